"""三、整改要求: the deadlines by class of problem in working days from the issue date, the date to
report back by, and the follow-up the office announces."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reports.sections.context import Context

NUMBERED = True


@dataclass(frozen=True)
class Deadline:
    severity: str
    days: int
    date: date
    count: int


@dataclass(frozen=True)
class Requirements:
    deadlines: tuple[Deadline, ...]
    report_back: date | None  # the written report of the work done is due with the last deadline
    interview_after: int


def deadline_dates(ctx: Context) -> dict[str, date]:
    """Severity → the date to fix by: its working days counted from the issue date (the problem list's)."""
    return dict(ctx.problems.deadlines)


def deadlines(ctx: Context) -> tuple[Deadline, ...]:
    settings, dates = ctx.settings.bulletin, deadline_dates(ctx)
    return tuple(
        Deadline(severity, settings.deadline_days(severity), dates[severity], count)
        for severity, count in ctx.severities
        if count
    )


def build(ctx: Context) -> Requirements:
    found = deadlines(ctx)
    return Requirements(
        found,
        max((item.date for item in found), default=None),
        ctx.settings.bulletin.interview_after_quarters,
    )
