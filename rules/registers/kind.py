"""What a register kind is: everything about one of the office's registers (政务新媒体 accounts,
12345 tickets, 网民留言 …) in one value, so that every layer — the import command, the importer,
the store, the snapshot, the bulletin's section, the rule cases — loops over the kinds instead of
naming them. A kind is one module of this package holding `KIND = RegisterKind(...)`; the package
finds it (rules/registers/__init__.py)."""

from __future__ import annotations

import re
import typing
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from urllib.parse import quote, urlsplit

from crawler.vocabulary.dates import parse_date
from crawler.vocabulary.quarters import Quarter, add_working_days

REGISTER_SCHEME = "register"


def register_url(kind: str, *parts: str) -> str:
    """Where a register finding is, in the form findings use: register://media/微信公众号/马关发布."""
    return f"{REGISTER_SCHEME}://{kind}/" + "/".join(_escape(part) for part in parts)


def _escape(part: str) -> str:
    """Readable (Chinese stays Chinese), but a name holding / ? # % stays one path segment."""
    return "".join(quote(ch, safe="") if ch in "%/?#\\" or ch.isspace() else ch for ch in part)


def is_register_url(url: str) -> bool:
    return url.startswith(f"{REGISTER_SCHEME}://")


def kind_of_url(url: str) -> str | None:
    """The register kind a register:// place belongs to (its host): register://media/… → media."""
    return urlsplit(url).netloc if is_register_url(url) else None


@dataclass(frozen=True)
class FieldSpec:
    """One field of a register row: the column names offices use for it (the first is the
    template's, and the one error messages name) and how a cell is read. A parser may answer a
    Term ("5个工作日") for a date field: it is counted from the row's `counted_from` date."""

    name: str
    headers: tuple[str, ...]
    parse: Callable[[object], object]
    required: bool = True
    counted_from: str | None = None


@dataclass(frozen=True)
class UnitLine:
    """One unit's figures in a register section's table."""

    unit: str
    figures: tuple[str, ...]


@dataclass(frozen=True)
class Summary:
    """A register section's totals: one sentence, and a table of figures by unit."""

    text: str
    headers: tuple[str, ...]
    lines: tuple[UnitLine, ...]


@dataclass(frozen=True)
class RegisterKind:
    """One register kind. `name` is the CLI group (govaudit media import …), the stored kind and
    the host of its findings' places (register://media/…); `title` the bulletin section's;
    `file_title` what the office calls the file; `row` the frozen dataclass the rules read, whose
    fields `fields` reads from the file's columns in order; `place` the parts of the place a
    finding on a row names (its identity: an account's platform and name, a message's id);
    `summarise(rows, as_of)` the section's totals; `order` the section's place in the bulletin.
    The functions are module-level, so a kind pickles (a reader process can be handed one)."""

    name: str
    title: str
    file_title: str
    help: str
    row: type
    fields: tuple[FieldSpec, ...]
    place: Callable[[object], tuple[str, ...]]
    summarise: Callable[[tuple, date], Summary]
    order: int
    # The section shows a finding's evidence beside it (a message's title, which the message
    # itself does not name).
    evidence_as_detail: bool = False
    # The date field that places a file in its quarter when the import names none, and how:
    # "most" — the quarter most rows' dates fall in (tickets, messages of the quarter);
    # "reported" — the quarter a check on the latest date reports on (a register made at the check).
    dated_by: str | None = None
    dated_how: str = "most"
    # Optional fields a rule cannot judge without: a file lacking the column leaves the rule 未检查.
    rule_fields: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def unjudged_rules(self, present: Iterable[str]) -> tuple[str, ...]:
        """The rules of this kind a file with only the fields `present` cannot judge."""
        have = set(present)
        return tuple(rule for rule, needed in self.rule_fields.items() if not have.issuperset(needed))

    def quarter_of(self, rows: Iterable) -> Quarter | None:
        """The quarter the file's dates place it in (see dated_by), None when it has no dates."""
        days = [getattr(row, self.dated_by) for row in rows] if self.dated_by else []
        days = [day for day in days if day is not None]
        if not days:
            return None
        if self.dated_how == "reported":
            return Quarter.reported(max(days))
        counts = Counter(Quarter.containing(day) for day in days)
        return max(counts, key=lambda quarter: (counts[quarter], quarter.label))

    def url_of(self, row) -> str:
        return register_url(self.name, *self.place(row))

    def unit_of(self, row) -> str:
        """The unit that answers for the row (its operator or handling unit)."""
        return row.unit

    def to_data(self, row) -> dict:
        """The row as JSON-ready data (dates as ISO text), as the store keeps it."""
        return {name: value.isoformat() if isinstance(value, date) else value for name, value in vars(row).items()}

    def from_data(self, data: dict):
        """The row the store kept (to_data), typed again."""
        hints = typing.get_type_hints(self.row)
        return self.row(**{spec.name: _typed(data.get(spec.name), hints[spec.name]) for spec in fields(self.row)})


def _typed(value, hint):
    if isinstance(value, str) and date in (typing.get_args(hint) or (hint,)):
        return date.fromisoformat(value)
    return value


# -- reading a cell: the parsers a FieldSpec names ------------------------------------------------


def text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an id typed as a number in Excel: 1023.0 → "1023"
    return " ".join(str(value).split())


def a_date(value: object) -> date | None:
    if value is None or text(value) == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and 20000 < value < 80000:
        return date(1899, 12, 30) + timedelta(days=int(value))  # an Excel serial date in a CSV
    found = parse_date(text(value))
    if found is None:
        raise ValueError(f"不是日期 / not a date: {text(value)!r}")
    return found


@dataclass(frozen=True)
class Term:
    """A time limit written as a length ("5个工作日", "15天") rather than a date."""

    days: int
    working: bool

    def counted_from(self, start: date) -> date:
        return add_working_days(start, self.days) if self.working else start + timedelta(days=self.days)


_TERM = re.compile(r"^(\d{1,3})个?(工作日|自然日|日|天)内?$")


def date_or_term(value: object) -> date | Term | None:
    """A date, or a time limit such as "5个工作日" (counted from the row's FieldSpec.counted_from)."""
    found = _TERM.match(re.sub(r"\s+", "", text(value)))
    if found:
        return Term(int(found.group(1)), found.group(2) == "工作日")
    return a_date(value)


_YES = {
    *("是", "有", "已备案", "备案", "已", "y", "yes", "true", "1", "√", "✓", "对"),
    *("已开通", "开通", "开启", "已开启", "正常"),
}
_NO = {*("否", "无", "未备案", "未", "n", "no", "false", "0", "×", "✗", "x"), *("未开通", "关闭", "已关闭", "未开启")}


def _choice(value: object, yes: set[str], no: set[str], empty: set[str], hint: str) -> bool | None:
    found = re.sub(r"\s+", "", text(value)).lower()
    if found in empty or found == "" or found in _BLANK:
        return None
    if found in yes:
        return True
    if found in no:
        return False
    raise ValueError(f"应为 {hint} / expected one of {hint}: {text(value)!r}")


# What an office writes in a cell it has nothing to say in.
_BLANK = {"-", "—", "--", "——", "/", "／", "无数据", "暂无"}


def yes_no(value: object) -> bool | None:
    return _choice(value, _YES, _NO, set(), "是/否")


_SATISFIED = {"满意", "非常满意", "基本满意", "比较满意", "满意度高", "是", "很满意"}
_UNSATISFIED = {"不满意", "非常不满意", "否", "很不满意", "一般"}
# A ticket whose caller was not asked, could not be reached or would not say: no rating.
_NOT_RATED = {
    *("未回访", "未评价", "无评价", "未评", "不需回访", "无需回访", "免回访", "拒绝回访", "拒访", "拒评"),
    *("无法联系", "联系不上", "未接通", "无人接听", "待回访", "回访中", "无"),
}


def satisfaction(value: object) -> bool | None:
    """满意 / 基本满意 → True, 不满意 → False, 未回访 (and the like) → None: not rated, not an error."""
    return _choice(value, _SATISFIED, _UNSATISFIED, _NOT_RATED, "满意/基本满意/不满意/未回访")


_SETTLED = {"办结", "已办结", "已完成", "完成", "已归档", "归档", "已答复", "已回复", "已处理", "是", "结案", "已结案"}
_UNSETTLED = {
    *("办理中", "未办结", "处理中", "待办", "待处理", "待签收", "已签收", "退回", "已退回", "延期", "否"),
    *("超期未办结", "未答复", "未回复", "待答复", "转办中", "已转办", "受理"),
}


def settled(value: object) -> bool | None:
    """办结 / 已办结 → True, 办理中 / 未办结 → False (a ticket's or message's status column)."""
    return _choice(value, _SETTLED, _UNSETTLED, set(), "已办结/办理中")


def required_yes_no(value: object) -> bool:
    found = yes_no(value)
    if found is None:
        raise ValueError("为空，应为 是/否 / empty, expected yes or no")
    return found


def count(value: object) -> int | None:
    found = text(value)
    if found == "":
        return None
    if not re.fullmatch(r"\d+", found):
        raise ValueError(f"不是整数 / not a whole number: {found!r}")
    return int(found)


def required_text(value: object) -> str:
    found = text(value)
    if not found:
        raise ValueError("为空 / empty")
    return found


def required_date(value: object) -> date:
    found = a_date(value)
    if found is None:
        raise ValueError("为空 / empty")
    return found


# -- the figures of a section ---------------------------------------------------------------------


def by_unit(rows: Iterable) -> dict[str, list]:
    """The rows of each unit, units in name order."""
    found: dict[str, list] = {}
    for row in rows:
        found.setdefault(row.unit, []).append(row)
    return dict(sorted(found.items()))


def rate(part: int, whole: int) -> str:
    return f"{part / whole * 100:.1f}%" if whole else "—"
