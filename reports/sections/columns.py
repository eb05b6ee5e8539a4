"""（一）栏目检查情况: each required column's address, clicks from home, items and newest date."""

from __future__ import annotations

from dataclasses import dataclass

from reports.sections.context import Context
from reports.summary import ColumnSummary


@dataclass(frozen=True)
class Columns:
    columns: tuple[ColumnSummary, ...]
    max_clicks: int


def build(ctx: Context) -> Columns:
    return Columns(ctx.columns, ctx.max_clicks)
