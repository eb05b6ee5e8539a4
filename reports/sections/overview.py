"""一、总体情况: the period, the pages read, the score in a sentence, the problems by class, the change
since the last audit, and the three charts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from audit.judging.context import QuarterPoint
from audit.store import RunStatus
from reports.charts import BarChart, TrendChart, bar_chart, trend_chart
from reports.sections.context import Context
from reports.summary import ColumnSummary

NUMBERED = True


@dataclass(frozen=True)
class Overview:
    window_start: date
    window_end: date
    pages_checked: int
    pages_failed: int
    columns: tuple[ColumnSummary, ...]
    columns_found: int
    # --max-pages stopped the crawl: the sentence saying what was read and what was left ("" when not).
    page_cap_note: str
    # The audit could not open the home page: nothing else was checked, and no score is given.
    home_unreached: bool
    severities: tuple[tuple[str, int], ...]
    previous: QuarterPoint | None
    states: tuple[tuple[str, int], ...]
    chart_columns: BarChart
    chart_units: BarChart
    chart_trend: TrendChart


def build(ctx: Context) -> Overview:
    by_unit = Counter(unit for row in ctx.rows for unit in row.units).most_common()
    return Overview(
        # The period monitored ends on the as-of date (today without --as-of), never in the future.
        window_start=ctx.quarter.first_day,
        window_end=ctx.run.as_of,
        pages_checked=ctx.pages_checked,
        pages_failed=ctx.pages_failed,
        columns=ctx.columns,
        columns_found=sum(1 for c in ctx.columns if c.url),
        page_cap_note=ctx.page_cap_note,
        home_unreached=ctx.run.status == RunStatus.UNREACHABLE,
        severities=ctx.severities,
        previous=ctx.previous,
        states=ctx.states,
        chart_columns=bar_chart("各栏目问题数", ctx.column_pairs),
        chart_units=bar_chart("各责任单位问题数", by_unit[:15]),
        chart_trend=trend_chart("近四个季度问题数", [(p.quarter, p.findings, p.result) for p in ctx.trend]),
    )
