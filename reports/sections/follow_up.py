"""三、整改情况: what became of the last audit's problems — fixed, still open, not rechecked."""

from __future__ import annotations

from dataclasses import dataclass

from audit.judging.context import QuarterPoint
from reports.rows import ReportRow
from reports.sections.context import Context


@dataclass(frozen=True)
class FollowUp:
    previous: QuarterPoint | None
    states: tuple[tuple[str, int], ...]
    fixed: tuple[ReportRow, ...]
    still_open: tuple[ReportRow, ...]
    unchecked: tuple[ReportRow, ...]


def build(ctx: Context) -> FollowUp:
    return FollowUp(ctx.previous, ctx.states, ctx.fixed, ctx.still_open, ctx.unchecked)
