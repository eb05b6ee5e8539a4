"""一、检查情况 of a column report: where the column is, what it holds, and the support columns read
for rules that look outside it."""

from __future__ import annotations

from dataclasses import dataclass

from reports.sections.context import Context
from reports.summary import ColumnSummary, SupportSummary, summarise_support_columns

NUMBERED = True


@dataclass(frozen=True)
class ColumnCheck:
    columns: tuple[ColumnSummary, ...]
    max_clicks: int
    pages_checked: int
    pages_failed: int
    severities: tuple[tuple[str, int], ...]
    page_cap_note: str
    support_columns: tuple[SupportSummary, ...]


def build(ctx: Context) -> ColumnCheck:
    return ColumnCheck(
        ctx.columns,
        ctx.max_clicks,
        ctx.pages_checked,
        ctx.pages_failed,
        ctx.severities,
        ctx.page_cap_note,
        tuple(summarise_support_columns(ctx.site)),
    )
