"""四、整改情况 of a column report: the change since the last audit of the column."""

from __future__ import annotations

from reports.sections.context import Context
from reports.sections.follow_up import FollowUp
from reports.sections.follow_up import build as _build

NUMBERED = True


def build(ctx: Context) -> FollowUp:
    return _build(ctx)
