"""五、整改要求 of a column report: the deadlines by class of problem."""

from __future__ import annotations

from reports.sections.context import Context
from reports.sections.requirements import Deadline, deadlines

NUMBERED = True


def build(ctx: Context) -> tuple[Deadline, ...]:
    return deadlines(ctx)
