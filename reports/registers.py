"""The 季通报's sections beside the website: 政务新媒体, 12345 热线 and 网民留言, from the registers
the office imported for the quarter and the findings of the register rules."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from rules.base import judges_register
from rules.registers import Registers


@dataclass(frozen=True)
class UnitLine:
    """One unit's figures in a register section's table."""

    unit: str
    figures: tuple[str, ...]


@dataclass(frozen=True)
class RegisterProblem:
    problem: str     # the rule's title
    message: str     # names the account, unit or message itself
    detail: str      # what the register row said, where the message does not (a message's title)
    severity: str
    state: str
    first_seen: str


@dataclass(frozen=True)
class UnitProblems:
    unit: str
    problems: tuple[RegisterProblem, ...]


@dataclass(frozen=True)
class RegisterSection:
    kind: str
    title: str
    imported: bool                   # False: 本季度未导入 — never read as 合格
    source: str                      # the imported file's name
    summary: str                     # one sentence of totals
    headers: tuple[str, ...]
    lines: tuple[UnitLine, ...]
    problems: tuple[UnitProblems, ...]

    @property
    def problem_count(self) -> int:
        return sum(len(unit.problems) for unit in self.problems)


TITLES = {"media": "政务新媒体", "hotline": "12345政务服务便民热线", "messages": "网民留言（“我为政府网站找错”等）"}


def register_sections(registers: Registers, sources: dict[str, str], rows, as_of: date) -> tuple[RegisterSection, ...]:
    """One section per register kind. `rows` are the run's report rows (register rules' rows are
    taken from them); `sources` the imported file name by kind."""
    by_kind: dict[str, dict[str, list[RegisterProblem]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        if not judges_register(row.rule):
            continue
        kind = row.rule.split(".", 1)[0]
        for unit in row.units or ("未登记单位",):
            detail = row.evidence if kind == "messages" else ""
            by_kind[kind][unit].append(RegisterProblem(row.problem, row.message, detail,
                                                       row.severity, row.state, row.first_seen))
    sections = []
    for kind, builder in (("media", _media), ("hotline", _hotline), ("messages", _messages)):
        register = getattr(registers, kind)
        problems = tuple(UnitProblems(unit, tuple(found)) for unit, found in sorted(by_kind[kind].items()))
        if register is None:
            sections.append(RegisterSection(kind, TITLES[kind], False, "", "本季度未导入登记表，未检查。", (), (), problems))
            continue
        summary, headers, lines = builder(register, as_of)
        sections.append(RegisterSection(kind, TITLES[kind], True, sources.get(kind, ""), summary, headers,
                                        lines, problems))
    return tuple(sections)


def _media(accounts, as_of: date):
    operating = [a for a in accounts if a.operating_on(as_of)]
    platforms = defaultdict(int)
    for account in operating:
        platforms[account.platform] += 1
    by_unit = defaultdict(list)
    for account in operating:
        by_unit[account.unit].append(account)
    summary = (f"登记政务新媒体账号{len(accounts)}个，检查基准日在运营{len(operating)}个"
               + ("（" + "、".join(f"{name}{count}个" for name, count in sorted(platforms.items())) + "）" if platforms else "")
               + "。")
    lines = tuple(UnitLine(unit, (str(len(items)), str(sum(1 for a in items if a.filed)),
                                  str(sum(a.posts or 0 for a in items))))
                  for unit, items in sorted(by_unit.items()))
    return summary, ("运营单位", "在运营账号", "已备案", "本期发布条数"), lines


def _hotline(tickets, as_of: date):
    by_unit = defaultdict(list)
    for ticket in tickets:
        by_unit[ticket.unit].append(ticket)
    late_total = sum(1 for t in tickets if t.overdue_on(as_of))
    summary = (f"本季度12345热线工单{len(tickets)}件，按期办结率{_rate(len(tickets) - late_total, len(tickets))}，"
               f"超期{late_total}件。")
    lines = []
    for unit, items in sorted(by_unit.items()):
        late = sum(1 for t in items if t.overdue_on(as_of))
        rated = [t for t in items if t.satisfied is not None]
        lines.append(UnitLine(unit, (str(len(items)), str(late), _rate(len(items) - late, len(items)),
                                     _rate(sum(1 for t in rated if t.satisfied), len(rated)))))
    return summary, ("承办单位", "工单数", "超期", "按期办结率", "满意率"), tuple(lines)


def _messages(messages, as_of: date):
    by_unit = defaultdict(list)
    for message in messages:
        by_unit[message.unit].append(message)
    open_total = sum(1 for m in messages if m.answered is None)
    summary = f"本季度收到网民留言{len(messages)}条，已答复{len(messages) - open_total}条，未答复{open_total}条。"
    lines = tuple(UnitLine(unit, (str(len(items)), str(sum(1 for m in items if m.answered is not None)),
                                  str(sum(1 for m in items if m.answered is None))))
                  for unit, items in sorted(by_unit.items()))
    return summary, ("承办单位", "留言数", "已答复", "未答复"), lines


def _rate(part: int, whole: int) -> str:
    return f"{part / whole * 100:.1f}%" if whole else "—"
