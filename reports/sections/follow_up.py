"""三、整改情况: what became of the last audit's problems — fixed (pages taken down among them), still
open, not rechecked — website and registers alike."""

from __future__ import annotations

from dataclasses import dataclass

from audit.judging.context import QuarterPoint
from reports.rows import ReportRow
from reports.sections.context import Context


@dataclass(frozen=True)
class FollowUp:
    previous: QuarterPoint | None
    states: tuple[tuple[str, int], ...]
    fixed: tuple[ReportRow, ...]  # 已整改 and 已撤下
    taken_down: int
    still_open: tuple[ReportRow, ...]
    unchecked: tuple[ReportRow, ...]


def build(ctx: Context) -> FollowUp:
    return FollowUp(ctx.previous, ctx.states, ctx.fixed, ctx.taken_down, ctx.still_open, ctx.unchecked)
