"""二、存在的主要问题: the website's problems grouped by rule, with the units concerned."""

from __future__ import annotations

from reports.sections.context import Context, ProblemGroup

NUMBERED = True


def build(ctx: Context) -> tuple[ProblemGroup, ...]:
    return ctx.groups
