"""The run's problem list: every problem of the run and every problem of the run before it that this
run no longer reports — website and register problems alike — each with its units, severity,
整改期限, state (新增 / 未整改 / 已整改 / 已撤下 / 未检查), first quarter seen, quarters open and
evidence.

It is built once per run from the comparison with the previous run (audit.judging.history) and is the
only source of what the outputs count and list: 一、总体情况, the charts, 二、存在的主要问题, 三、整改情况,
约谈, 附件1, findings.json / xlsx / csv, `govaudit history`, `diff` and the combined bulletin. A
reviewer's decision on a problem (确认 / 排除 / 待核实) is applied in one place, `ProblemList.reviewed`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from audit.judging.history import (
    FIXED,
    NEW,
    OPEN,
    STATES,
    TAKEN_DOWN,
    UNCHECKED,
    Comparison,
    FindingRow,
)
from audit.store.reviews import EXCLUDED
from crawler.vocabulary.quarters import add_working_days
from rules import Severity
from rules.base import judges_register
from rules.settings import BulletinSettings

SEVERITIES = tuple(severity.value for severity in Severity)
# Found by this run: what 共发现问题, 附件1 and the exports count.
CURRENT = (NEW, OPEN)
# The previous run's problems this run no longer reports.
EARLIER = (FIXED, TAKEN_DOWN, UNCHECKED)
# Counted among the fixed: a page taken down (404/410, gone from its column) is a result.
RESOLVED = (FIXED, TAKEN_DOWN)


def _annex_order(row: FindingRow):
    # Website problems first, then the registers'; within each by severity, rule, column, page.
    return (
        judges_register(row.rule),
        SEVERITIES.index(row.severity) if row.severity in SEVERITIES else len(SEVERITIES),
        row.rule,
        row.column or "",
        row.url,
    )


@dataclass(frozen=True)
class ProblemList:
    problems: tuple[FindingRow, ...]  # this run's (annex order), then the previous run's others
    deadlines: Mapping[str, date]  # severity → the date to fix by
    excluded: tuple[FindingRow, ...] = field(default=())  # taken out by a reviewer (排除)

    @property
    def current(self) -> tuple[FindingRow, ...]:
        """The problems this run found (新增, 未整改), numbered in this order in 附件1."""
        return self.of(*CURRENT)

    @property
    def earlier(self) -> tuple[FindingRow, ...]:
        """The previous run's problems this run does not report (已整改, 已撤下, 未检查)."""
        return self.of(*EARLIER)

    @property
    def website(self) -> tuple[FindingRow, ...]:
        return tuple(row for row in self.current if not judges_register(row.rule))

    @property
    def total(self) -> int:
        return len(self.current)

    def of(self, *states: str) -> tuple[FindingRow, ...]:
        return tuple(row for row in self.problems if row.state in states)

    def count(self, *states: str) -> int:
        return sum(1 for row in self.problems if row.state in states)

    def by_state(self) -> tuple[tuple[str, int], ...]:
        return tuple((state, self.count(state)) for state in STATES)

    def by_severity(self, rows: Iterable[FindingRow] | None = None) -> tuple[tuple[str, int], ...]:
        """This run's problems (or `rows` of them) by class, every class named (0 when none)."""
        counts = Counter(row.severity for row in (self.current if rows is None else rows))
        return tuple((severity, counts[severity]) for severity in SEVERITIES)

    def by_unit(self) -> tuple[tuple[str, int], ...]:
        """This run's problems per 责任单位 (a problem of two units counts for each), most first."""
        counts = Counter(unit for row in self.current for unit in row.units)
        return tuple(sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])))

    def reviewed(self, decisions: Mapping[str, str]) -> ProblemList:
        """The list with the reviewer's decisions applied (fingerprint → 确认 / 排除 / 待核实, as
        audit.judging.review.RunReview.decisions gives them): the one place a problem is taken out of
        every count and list (排除, kept in `excluded`) or marked (`FindingRow.review`)."""
        marked = [
            replace(row, review=decisions[row.fingerprint]) if row.fingerprint in decisions else row
            for row in self.problems
        ]
        return ProblemList(
            tuple(row for row in marked if row.review != EXCLUDED),
            self.deadlines,
            self.excluded + tuple(row for row in marked if row.review == EXCLUDED),
        )


@dataclass(frozen=True)
class Interview:
    """A unit proposed for 约谈 and the problems that put it there."""

    unit: str
    rows: tuple[FindingRow, ...]


# Only problems that cost the site its verdict or points can put a unit's leader before a 约谈.
INTERVIEW_SEVERITIES = (Severity.VETO.value, Severity.DEDUCT.value)


def interview_list(problems: ProblemList, after_quarters: int) -> list[Interview]:
    """Units with a 单项否决 or 扣分 problem that has stayed 未整改 `after_quarters` quarters in a row
    (a 提示 never does)."""
    by_unit: dict[str, list[FindingRow]] = {}
    for row in problems.of(OPEN):
        if row.open_quarters >= after_quarters and row.severity in INTERVIEW_SEVERITIES:
            for unit in row.units:
                by_unit.setdefault(unit, []).append(row)
    return [Interview(unit, tuple(rows)) for unit, rows in sorted(by_unit.items())]


def deadlines(settings: BulletinSettings, issued: date) -> dict[str, date]:
    """The 整改期限 of each class of problem: working days after the day the 通报 is issued."""
    return {
        severity: add_working_days(issued, settings.deadline_days(severity), settings.holidays, settings.workdays)
        for severity in SEVERITIES
    }


def problem_list(comparison: Comparison, settings: BulletinSettings, seen: Mapping[str, tuple]) -> ProblemList:
    """The run's problem list from its comparison with the previous run; `seen` (URL → fetched at,
    page title) is what the run stored of each problem's page."""
    # Counted from the day the outputs are written (never the as-of date: a run as of 10-01 is not
    # issued on 国庆), as reports.rows.issue_date dates the 通报.
    due = deadlines(settings, date.today())

    def evidenced(row: FindingRow) -> FindingRow:
        fetched_at, title = seen.get(row.url, (None, None))
        deadline = due.get(row.severity)
        return replace(
            row,
            fetched_at=fetched_at.isoformat(timespec="seconds") if fetched_at else "",
            title=title or "",
            deadline=deadline.isoformat() if deadline else "",
        )

    current = sorted((evidenced(row) for row in comparison.rows), key=_annex_order)
    earlier = sorted(comparison.gone, key=lambda row: (judges_register(row.rule), row.rule, row.url))
    return ProblemList(tuple(current + earlier), due)
