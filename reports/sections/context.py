"""What every section is built from, computed once per report: the judging's ReportContext (run,
snapshot, problem list, settings, score, the quarters before) and the rows and figures more than one
section prints — every count from the one problem list (audit.judging.problems)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from audit.judging.context import ReportContext
from audit.judging.history import FIXED, NEW, OPEN, TAKEN_DOWN, UNCHECKED
from audit.judging.problems import RESOLVED
from audit.judging.verdicts import VerdictTable, verdict_table
from reports.rows import OTHER_PAGES, ReportRow, Rows
from reports.summary import ColumnSummary, page_cap_note, summarise_columns
from rules.base import judges_register
from rules.registers import KINDS


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
        # run, site, settings, score, problems, previous, trend … are the judging's.
        return getattr(self.report, name)

    @property
    def rows(self) -> tuple[ReportRow, ...]:
        """This run's problems, website and registers, numbered as in 附件1."""
        return self.found.annex

    @property
    def website_rows(self) -> tuple[ReportRow, ...]:
        """This run's website problems (the registers' are shown in their own sections)."""
        return tuple(row for row in self.rows if not judges_register(row.rule))

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
        return self.report.problems.by_severity()

    @property
    def states(self) -> tuple[tuple[str, int], ...]:
        """The change since the previous run as a sentence lists it: 新增, 未整改, 已整改 (pages taken
        down among them, named when there are any), 未检查."""
        problems = self.report.problems
        taken_down = problems.count(TAKEN_DOWN)
        return (
            (NEW, problems.count(NEW)),
            (OPEN, problems.count(OPEN)),
            (FIXED, problems.count(*RESOLVED)),
            *((("其中" + TAKEN_DOWN, taken_down),) if taken_down else ()),
            (UNCHECKED, problems.count(UNCHECKED)),
        )

    @property
    def fixed(self) -> tuple[ReportRow, ...]:
        return tuple(r for r in self.found.earlier if r.state in RESOLVED)

    @property
    def taken_down(self) -> int:
        return self.report.problems.count(TAKEN_DOWN)

    @property
    def still_open(self) -> tuple[ReportRow, ...]:
        return tuple(r for r in self.rows if r.state == OPEN)

    @property
    def unchecked(self) -> tuple[ReportRow, ...]:
        return tuple(r for r in self.found.earlier if r.state == UNCHECKED)

    @cached_property
    def verdict_tables(self) -> tuple[VerdictTable, VerdictTable]:
        """Each rule's verdict on each column, and on the whole site."""
        return verdict_table(self.report.site, list(self.report.problems.current), list(self.report.specs.values()))

    @cached_property
    def groups(self) -> tuple[ProblemGroup, ...]:
        """The website problems by rule, in annex order, with the units concerned."""
        groups = []
        website = self.website_rows
        for rule_id in dict.fromkeys(row.rule for row in website):
            members = tuple(row for row in website if row.rule == rule_id)
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
        """Problems per required column, on other pages and in each register, for the chart: the bars
        add up to the problems found."""
        names = self.report.column_names
        by_column = Counter(row.column_name for row in self.rows)
        audited = [names[spec.key] for spec in self.report.site.audited_columns()]
        registers = [kind.title for kind in KINDS]
        pairs = [(name, by_column.get(name, 0)) for name in audited]
        # A problem in a column not audited here (a support column of a column report).
        pairs += [(name, count) for name, count in by_column.items() if name not in (*audited, OTHER_PAGES, *registers)]
        if by_column.get(OTHER_PAGES):
            pairs.append(("其他页面（非必设栏目）", by_column[OTHER_PAGES]))
        pairs += [(title, by_column[title]) for title in registers if by_column.get(title)]
        return pairs


__all__ = ["OTHER_PAGES", "Context", "ProblemGroup"]
