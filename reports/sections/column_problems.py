"""三、存在的问题 of a column report: its problems grouped by rule."""

from __future__ import annotations

from reports.sections.context import Context, ProblemGroup

NUMBERED = True


def build(ctx: Context) -> tuple[ProblemGroup, ...]:
    return ctx.groups
