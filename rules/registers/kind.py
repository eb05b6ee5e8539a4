"""What a register kind is: everything about one of the office's registers (政务新媒体 accounts,
12345 tickets, 网民留言 …) in one value, so that every layer — the import command, the importer,
the store, the snapshot, the bulletin's section, the rule cases — loops over the kinds instead of
naming them. A kind is one module of this package holding `KIND = RegisterKind(...)`; the package
finds it (rules/registers/__init__.py)."""

from __future__ import annotations

import re
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from urllib.parse import quote, urlsplit

from crawler.vocabulary.dates import parse_date

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
    template's, and the one error messages name) and how a cell is read."""

    name: str
    headers: tuple[str, ...]
    parse: Callable[[object], object]
    required: bool = True


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


_YES = {"是", "有", "已备案", "备案", "已", "y", "yes", "true", "1", "满意", "非常满意", "基本满意", "√", "✓"}
_NO = {"否", "无", "未备案", "未", "n", "no", "false", "0", "不满意", "非常不满意", "×", "✗"}


def yes_no(value: object) -> bool | None:
    found = text(value).lower()
    if found == "":
        return None
    if found in _YES:
        return True
    if found in _NO:
        return False
    raise ValueError(f"应为 是/否 / expected yes or no: {text(value)!r}")


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
