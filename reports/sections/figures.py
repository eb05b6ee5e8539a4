"""The three charts (problems by column, by unit, over four quarters) — in the technical file."""

from __future__ import annotations

from dataclasses import dataclass

from reports.charts import BarChart, TrendChart, bar_chart, trend_chart
from reports.sections.context import Context


@dataclass(frozen=True)
class Figures:
    columns: BarChart
    units: BarChart
    trend: TrendChart


def build(ctx: Context) -> Figures:
    return Figures(
        bar_chart("各栏目问题数", ctx.column_pairs),
        bar_chart("各责任单位问题数", list(ctx.problems.by_unit()[:15])),
        trend_chart("近四个季度问题数", [(p.quarter, p.findings, p.result) for p in ctx.trend]),
    )
