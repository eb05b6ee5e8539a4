"""What a report is about, read from the store once: the run, its snapshot, its problem list (its
findings and the run before's, compared: audit.judging.problems), its score, the score of the quarters before it, and the settings. The bulletin and the
column report build every section from this (reports/sections/), so they never query the store."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from audit.judging.history import quarter_of, quarterly_runs, with_history
from audit.judging.problems import ProblemList
from audit.judging.review import RulePrecision, RunReview, kept_rows, precision_by_rule, reviewed_problem_list
from audit.judging.scoring import Score, result_text, score
from audit.store import Store
from audit.store.models import AuditRun
from audit.store.registers import register_imports
from crawler.vocabulary.quarters import Quarter
from rules import registered_rules
from rules.base import RuleSpec
from rules.settings import Settings
from rules.snapshot import SiteSnapshot


@dataclass(frozen=True)
class QuarterPoint:
    quarter: str
    run_id: int | None
    findings: int | None
    result: str  # 85.5分（合格） / 不合格（单项否决） / 无检查记录


@dataclass(frozen=True)
class ReportContext:
    run: AuditRun
    site: SiteSnapshot
    settings: Settings
    specs: Mapping[str, RuleSpec]
    quarter: Quarter
    problems: ProblemList  # the only source of every count and list the report prints
    score: Score
    previous: QuarterPoint | None  # the run compared with, None on a first audit
    trend: tuple[QuarterPoint, ...]  # the four quarters up to this run's, oldest first
    register_sources: Mapping[str, str]  # register kind → the file its rows were imported from
    review: RunReview  # the person's decisions on this run's problems (govaudit review)
    # The office's precision per rule over every reviewed run, and how many runs were reviewed.
    precision: tuple[tuple[RulePrecision, ...], int]

    @property
    def titles(self) -> dict[str, str]:
        return {rule_id: spec.title for rule_id, spec in self.specs.items()}

    @property
    def column_names(self) -> dict[str, str]:
        return {spec.key: spec.name for spec in self.settings.columns}


def report_context(store: Store, run: AuditRun, site: SiteSnapshot, settings: Settings) -> ReportContext:
    """Everything the reports need from the store about `run`, read once."""
    specs = {spec.id: spec for spec in registered_rules()}
    titles = {rule_id: spec.title for rule_id, spec in specs.items()}
    quarter = quarter_of(run)
    comparison = with_history(store, run)
    problems, review = reviewed_problem_list(store, comparison, settings.bulletin, store.page_evidence(run.id))

    def point(label: str, other: AuditRun | None, rows=None) -> QuarterPoint:
        if other is None:
            return QuarterPoint(label, None, None, "无检查记录")
        rows = kept_rows(store, other) if rows is None else rows
        return QuarterPoint(
            label, other.id, len(rows), result_text(score(rows, settings.scoring, titles), other.status)
        )

    chain = quarterly_runs(store, run)
    trend = []
    for offset in range(3, -1, -1):
        q = quarter
        for _ in range(offset):
            q = q.previous()
        other = chain.get(q)
        trend.append(point(q.label, other, problems.current if other is not None and other.id == run.id else None))
    previous = point(quarter_of(comparison.old).label, comparison.old) if comparison.old is not None else None
    sources = {kind: found.source for kind, found in register_imports(store, quarter.label, run.site_url).items()}
    return ReportContext(
        run=run,
        site=site,
        settings=settings,
        specs=specs,
        quarter=quarter,
        problems=problems,
        score=score(problems.current, settings.scoring, titles),
        previous=previous,
        trend=tuple(trend),
        register_sources=sources,
        review=review,
        precision=precision_by_rule(store),
    )
