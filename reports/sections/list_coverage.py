"""列表读取情况: how many of the columns' lists were read whole, and why the others were not."""

from __future__ import annotations

from reports.sections.context import Context
from reports.summary import ListCoverageSummary, summarise_list_reads


def build(ctx: Context) -> ListCoverageSummary:
    return summarise_list_reads(ctx.site)
