"""Calendar quarters: which quarter a check reports on, labels like 2022Q3, and working-day deadlines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar

_CHINESE = {1: "一", 2: "二", 3: "三", 4: "四"}
_LABEL = re.compile(r"^\s*(\d{4})\s*[Qq]\s*([1-4])\s*$")


class BadQuarter(ValueError):
    """A quarter label that is not YYYYQn."""


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, label: str) -> "Quarter":
        match = _LABEL.match(label or "")
        if not match:
            raise BadQuarter(f"季度格式应为 YYYYQn，如 2022Q3 / quarter must look like 2022Q3: {label!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def reported(cls, as_of: date) -> "Quarter":
        """The quarter a check on `as_of` reports on: a check in a quarter's first month reports on
        the quarter just ended (2022-10-15 → 2022Q3); later in a quarter, on that quarter."""
        current = cls.containing(as_of)
        return current.previous() if (as_of.month - 1) % 3 == 0 else current

    @property
    def label(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def chinese(self) -> str:
        return f"{self.year}年第{_CHINESE[self.number]}季度"

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    def previous(self) -> "Quarter":
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def next(self) -> "Quarter":
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def __str__(self) -> str:
        return self.label


def is_working_day(day: date, holidays: frozenset[date] = frozenset(), workdays: frozenset[date] = frozenset()) -> bool:
    """A working day under the State Council's holiday notice of its year (法定节假日 off, 调休 weekend
    days on, from the chinesecalendar package); `holidays` and `workdays` from the configuration win,
    and carry the calendar for a year the package does not know yet (then Monday to Friday)."""
    if day in workdays:
        return True
    if day in holidays:
        return False
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(
    start: date, days: int, holidays: frozenset[date] = frozenset(), workdays: frozenset[date] = frozenset()
) -> date:
    """The date `days` working days after `start` (see is_working_day)."""
    current = start
    left = days
    while left > 0:
        current += timedelta(days=1)
        if is_working_day(current, holidays, workdays):
            left -= 1
    return current
