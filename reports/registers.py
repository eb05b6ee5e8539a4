"""The 季通报's sections beside the website, one per register kind (政务新媒体, 12345 热线, 网民留言 …),
from the registers the office imported for the quarter and the findings of the register rules."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from rules import registered_rules
from rules.base import judges_register
from rules.people import without_people
from rules.registers import KINDS, Registers, UnitLine, kind_of_url

__all__ = ["RegisterProblem", "RegisterSection", "UnitLine", "UnitProblems", "register_sections"]


@dataclass(frozen=True)
class RegisterProblem:
    problem: str  # the rule's title
    message: str  # names the account, unit or message itself
    detail: str  # what the register row said, where the message does not (a message's title)
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
    imported: bool  # False: 本季度未导入、未检查 — never read as 合格 or 未发现问题
    source: str  # the imported file's name
    imported_at: str  # when it was imported (Beijing time), "" when not imported or not known
    unchecked: tuple[str, ...]  # titles of the kind's rules the file's columns did not let judge
    summary: str  # one sentence of totals
    headers: tuple[str, ...]
    lines: tuple[UnitLine, ...]
    problems: tuple[UnitProblems, ...]

    @property
    def problem_count(self) -> int:
        return sum(len(unit.problems) for unit in self.problems)


def register_sections(registers: Registers, sources: dict[str, str], rows, as_of: date) -> tuple[RegisterSection, ...]:
    """One section per register kind. `rows` are the run's report rows (register rules' rows are
    taken from them, each to the kind its place belongs to); `sources` the imported file name by kind."""
    by_kind: dict[str, dict[str, list[RegisterProblem]]] = defaultdict(lambda: defaultdict(list))
    detailed = {kind.name for kind in KINDS if kind.evidence_as_detail}
    for row in rows:
        if not judges_register(row.rule):
            continue
        kind = kind_of_url(row.url)
        for unit in row.units or ("未登记单位",):
            # The row's words as the 通报 may print them, also for a finding stored before they were
            # cleaned at import: whoever wrote in is 网民, their numbers left out.
            detail = without_people(row.evidence) if kind in detailed else ""
            by_kind[kind][unit].append(
                RegisterProblem(row.problem, row.message, detail, row.severity, row.state, row.first_seen)
            )
    titles = {spec.id: spec.title for spec in registered_rules()}
    sections = []
    for kind in KINDS:
        register = registers.of(kind.name)
        problems = tuple(UnitProblems(unit, tuple(found)) for unit, found in sorted(by_kind[kind.name].items()))
        if register is None:
            sections.append(
                RegisterSection(
                    kind.name, kind.title, False, "", "", (), "本季度未导入登记表、未检查。", (), (), problems
                )
            )
            continue
        summary = kind.summarise(register, as_of)
        note = registers.notes.get(kind.name)
        sections.append(
            RegisterSection(
                kind.name,
                kind.title,
                True,
                sources.get(kind.name, ""),
                _beijing(note.imported_at) if note else "",
                tuple(titles.get(rule, rule) for rule in kind.unjudged_rules(note.fields)) if note else (),
                summary.text,
                summary.headers,
                summary.lines,
                problems,
            )
        )
    return tuple(sections)


def _beijing(moment: datetime) -> str:
    """A stored UTC time as the office reads it: 2022-10-20 17:30 (Beijing time)."""
    return (moment + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")
