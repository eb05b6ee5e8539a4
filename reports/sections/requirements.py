"""五、下一步要求: the deadlines by class of problem, and the follow-up the office announces."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reports.rows import SEVERITY_ORDER
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
    interview_after: int


def deadlines(ctx: Context) -> tuple[Deadline, ...]:
    settings = ctx.settings.bulletin
    return tuple(
        Deadline(
            severity,
            settings.deadline_days(severity),
            ctx.found.deadline_of[severity],
            sum(1 for r in ctx.rows if r.severity == severity),
        )
        for severity in SEVERITY_ORDER
        if any(r.severity == severity for r in ctx.rows)
    )


def build(ctx: Context) -> Requirements:
    return Requirements(deadlines(ctx), ctx.settings.bulletin.interview_after_quarters)
