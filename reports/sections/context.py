"""What every section is built from, computed once per report: the judging's ReportContext (run,
snapshot, comparison, settings, score, the quarters before) and the rows and figures more than one
section prints."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from audit.judging.context import ReportContext
from audit.judging.history import FIXED, OPEN, STATES, UNCHECKED
from audit.judging.verdicts import VerdictTable, verdict_table
from reports.rows import OTHER_PAGES, SEVERITY_ORDER, ReportRow, Rows
from reports.summary import ColumnSummary, page_cap_note, summarise_columns


@dataclass(frozen=True)
class ProblemGroup:
    title: str
    severity: str
    clause: str
    rows: tuple[ReportRow, ...]
    units_text: str


@dataclass(frozen=True)
class Context:
    report: ReportContext
    found: Rows

    def __getattr__(self, name: str):
        # run, site, settings, score, comparison, previous, trend … are the judging's.
        return getattr(self.report, name)

    @property
    def rows(self) -> tuple[ReportRow, ...]:
        return self.found.rows

    @cached_property
    def columns(self) -> tuple[ColumnSummary, ...]:
        return tuple(summarise_columns(self.report.site))

    @property
    def max_clicks(self) -> int:
        return self.report.settings.crawl.max_clicks

    @property
    def pages_checked(self) -> int:
        return sum(1 for p in self.report.site.pages.values() if p.fetched_ok)

    @property
    def pages_failed(self) -> int:
        return sum(1 for p in self.report.site.pages.values() if not p.fetched_ok)

    @property
    def page_cap_note(self) -> str:
        run = self.report.run
        return page_cap_note(run.page_cap, run.pages_left, len(self.report.site.pages)) if run.page_cap else ""

    @property
    def severities(self) -> tuple[tuple[str, int], ...]:
        return tuple((name, sum(1 for r in self.rows if r.severity == name)) for name in SEVERITY_ORDER)

    @property
    def states(self) -> tuple[tuple[str, int], ...]:
        return tuple((state, self.report.comparison.count(state)) for state in STATES)

    @property
    def fixed(self) -> tuple[ReportRow, ...]:
        return tuple(r for r in self.found.gone if r.state == FIXED)

    @property
    def still_open(self) -> tuple[ReportRow, ...]:
        return tuple(r for r in self.rows if r.state == OPEN)

    @property
    def unchecked(self) -> tuple[ReportRow, ...]:
        return tuple(r for r in self.found.gone if r.state == UNCHECKED)

    @cached_property
    def verdict_tables(self) -> tuple[VerdictTable, VerdictTable]:
        """Each rule's verdict on each column, and on the whole site."""
        return verdict_table(self.report.site, self.report.comparison.rows, list(self.report.specs.values()))

    @cached_property
    def groups(self) -> tuple[ProblemGroup, ...]:
        """The website problems by rule, in annex order, with the units concerned."""
        groups = []
        for rule_id in dict.fromkeys(row.rule for row in self.rows):
            members = tuple(row for row in self.rows if row.rule == rule_id)
            units = Counter(unit for row in members for unit in row.units)
            groups.append(
                ProblemGroup(
                    members[0].problem,
                    members[0].severity,
                    members[0].clause,
                    members,
                    "、".join(unit for unit, _ in units.most_common()),
                )
            )
        return tuple(groups)

    @property
    def column_pairs(self) -> list[tuple[str, int]]:
        """Problems per required column (and on other pages), for the chart."""
        names = self.report.column_names
        by_column = Counter(row.column_name for row in self.rows)
        pairs = [(names[spec.key], by_column.get(names[spec.key], 0)) for spec in self.report.site.audited_columns()]
        if by_column.get(OTHER_PAGES):
            pairs.append(("其他页面（非必设栏目）", by_column[OTHER_PAGES]))
        return pairs


__all__ = ["OTHER_PAGES", "Context", "ProblemGroup"]
