"""（二）评分情况: the indicators, their points and deductions (the score is a header field)."""

from __future__ import annotations

from reports.sections.context import Context


def build(ctx: Context) -> None:
    return None
