"""Everything the 季度通报 says, computed from a stored run and its history — templates and exports
only print what is here."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime
from urllib.parse import urlsplit

from rules.settings import Settings
from audit.judging.history import (FIXED, OPEN, STATES, UNCHECKED, Comparison, FindingRow, interview_list, quarter_of,
                           quarterly_runs, rows_of, with_history)
from audit.store.models import AuditRun, RunStatus
from crawler.vocabulary.quarters import Quarter, add_working_days
from audit.judging.scoring import Score, result_text, score
from audit.store import Store
from audit.store.registers import register_imports
from reports.summary import (ColumnSummary, ListCoverageSummary, SupportSummary, page_cap_note, rule_overrun_note,
                             summarise_columns, summarise_list_reads, summarise_support_columns)
from audit.judging.verdicts import VerdictTable, rule_table, verdict_table
from reports.charts import BarChart, TrendChart, bar_chart, trend_chart
from reports.registers import RegisterSection, register_sections
from rules import Severity, registered_rules
from rules.base import judges_register
from rules.snapshot import SiteSnapshot

SEVERITY_ORDER = [s.value for s in Severity]
STATE_ORDER = {state: i for i, state in enumerate(STATES)}
UNIT_SOURCES = {"sector": "行业主管部门", "issuer": "发文单位", "column": "任务清单", "publisher": "发布机构",
                "site": "网站主办单位", "register": "登记表", "unknown": "未记录"}
# A finding outside the required columns (a department page, a news item, a link target).
OTHER_PAGES = "其他页面"
DEFAULT_SITE_NAME = "县政府门户网站"


@dataclass(frozen=True)
class ReportRow:
    """One line of the 问题清单 (附件), as the bulletin, the xlsx and the CSV show it."""

    number: int
    units: tuple[str, ...]
    unit_source: str
    column_name: str
    url: str
    problem: str          # the rule's title
    message: str
    evidence: str
    indicator: str        # the scoring indicator's name, or the severity class when not scored
    severity: str
    state: str
    first_seen: str
    rule: str
    clause: str
    # Why the page was judged part of its column (所属栏目：… › …; "" for pages of no column).
    membership: str = ""
    deadline: date | None = None
    fetched_at: str = ""      # when the run fetched (or checked) the page, YYYY-MM-DD HH:MM
    page_title: str = ""
    fingerprint: str = ""
    # The kept copy of the page, relative to the bulletin (evidence/page-….html), "" when none was
    # stored; the page's thumbnail as a PNG data: URI with --screenshots (reports.evidence).
    kept_copy: str = ""
    thumbnail: str = ""

    @property
    def units_text(self) -> str:
        return "、".join(self.units)

    @property
    def statement(self) -> str:
        """The problem in one phrase: the message when it already names the problem, else both."""
        return self.message if self.message.startswith(self.problem) else f"{self.problem}：{self.message}"

    @property
    def path(self) -> str:
        """The URL as a reader finds it on the site: path and query, without scheme and host."""
        parts = urlsplit(self.url)
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


@dataclass(frozen=True)
class ProblemGroup:
    title: str
    severity: str
    clause: str
    rows: tuple[ReportRow, ...]
    units_text: str


@dataclass(frozen=True)
class QuarterPoint:
    quarter: str
    run_id: int | None
    findings: int | None
    result: str           # 85.5分 / 不合格（单项否决） / 未检查


@dataclass(frozen=True)
class InterviewView:
    unit: str
    rows: tuple[ReportRow, ...]


@dataclass(frozen=True)
class Deadline:
    severity: str
    days: int
    date: date
    count: int


@dataclass(frozen=True)
class BulletinData:
    run_id: int
    title: str
    quarter: Quarter
    site_url: str
    as_of: date
    scope: str | None
    scope_name: str | None
    generated: str
    issuer: str
    office: str
    addressees: str
    window_start: date
    window_end: date
    pages_checked: int
    pages_failed: int
    # --max-pages stopped the crawl: the sentence saying what was read and what was left ("" when not).
    page_cap_note: str
    # Pages a rule could not judge within its time budget: the sentence naming them ("" when none).
    rule_overrun_note: str
    columns: tuple[ColumnSummary, ...]
    columns_found: int
    list_coverage: ListCoverageSummary
    score: Score
    severities: tuple[tuple[str, int], ...]
    by_column: tuple[tuple[str, int], ...]
    by_unit: tuple[tuple[str, int], ...]
    previous: QuarterPoint | None
    states: tuple[tuple[str, int], ...]
    trend: tuple[QuarterPoint, ...]
    groups: tuple[ProblemGroup, ...]
    fixed: tuple[ReportRow, ...]
    still_open: tuple[ReportRow, ...]
    unchecked: tuple[ReportRow, ...]
    interviews: tuple[InterviewView, ...]
    interview_after: int
    deadlines: tuple[Deadline, ...]
    rows: tuple[ReportRow, ...]
    column_verdicts: VerdictTable
    site_verdicts: VerdictTable
    chart_columns: BarChart
    chart_units: BarChart
    chart_trend: TrendChart
    # The run's findings in stored order, with state and first seen (findings.json).
    findings: tuple[FindingRow, ...] = ()
    # A one-column check: every rule's verdict on the column, with why it is 未检查, and the
    # support columns it read for rules that look outside the column.
    rule_verdicts: VerdictTable | None = None
    support_columns: tuple[SupportSummary, ...] = ()
    # 政务新媒体, 12345 热线, 网民留言: sections of their own (empty for a single-column report).
    registers: tuple[RegisterSection, ...] = ()
    site_name: str = DEFAULT_SITE_NAME
    doc_number: str = ""
    score_source: str = ""
    max_clicks: int = 3

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def site_label(self) -> str:
        """The portal as the text names it: 马关县人民政府网站, 测试县政府门户网站."""
        return self.site_name if self.site_name.endswith(("网站", "门户网")) else f"{self.site_name}网站"


def build_bulletin(store: Store, run: AuditRun, site: SiteSnapshot, config: Settings) -> BulletinData:
    specs = {spec.id: spec for spec in registered_rules()}
    titles = {rule_id: spec.title for rule_id, spec in specs.items()}
    column_names = {spec.key: spec.name for spec in config.columns}
    indicator_names = {ind.key: ind.name for ind in config.scoring.indicators}
    quarter = quarter_of(run)
    comparison: Comparison = with_history(store, run)

    settings = config.bulletin
    seen = store.page_evidence(run.id)
    deadline_of = {severity: add_working_days(run.as_of, settings.deadline_days(severity), settings.holidays,
                                              settings.workdays) for severity in SEVERITY_ORDER}

    def evidenced(row: FindingRow) -> FindingRow:
        fetched_at, title = seen.get(row.url, (None, None))
        deadline = deadline_of.get(row.severity)
        return replace(row, fetched_at=fetched_at.isoformat(timespec="seconds") if fetched_at else "",
                       title=title or "", deadline=deadline.isoformat() if deadline else "")

    def view(row: FindingRow, number: int) -> ReportRow:
        spec = specs.get(row.rule)
        return ReportRow(
            number=number, units=row.units, unit_source=UNIT_SOURCES.get(row.unit_source, row.unit_source),
            column_name=column_names.get(row.column, OTHER_PAGES) if row.column else OTHER_PAGES, url=row.url,
            problem=spec.title if spec else row.rule, message=row.message, evidence=row.evidence,
            membership=row.membership or "",
            indicator=indicator_names.get(row.indicator, row.severity) if row.indicator else row.severity,
            severity=row.severity, state=row.state, first_seen=row.first_seen, rule=row.rule,
            clause=spec.clause if spec else "",
            deadline=date.fromisoformat(row.deadline) if row.deadline else None,
            fetched_at=row.fetched_at.replace("T", " ")[:16], page_title=row.title, fingerprint=row.fingerprint)

    # Website problems first (numbered for the annex), then the registers' (in their own sections).
    current = [evidenced(row) for row in comparison.rows]
    ordered = sorted(current, key=lambda r: (judges_register(r.rule),
                                             SEVERITY_ORDER.index(r.severity) if r.severity in SEVERITY_ORDER
                                             else 9, r.rule, r.column or "", r.url))
    viewed = tuple(view(row, i) for i, row in enumerate(ordered, 1))
    by_fingerprint = {row.fingerprint: view_row for row, view_row in zip(ordered, viewed)}
    rows = tuple(row for row in viewed if not judges_register(row.rule))
    gone = [view(row, 0) for row in sorted(comparison.gone, key=lambda r: (r.rule, r.url))
            if not judges_register(row.rule)]

    result = score(comparison.rows, config.scoring, titles)
    groups = []
    for rule_id in dict.fromkeys(row.rule for row in rows):
        members = tuple(row for row in rows if row.rule == rule_id)
        units = Counter(unit for row in members for unit in row.units)
        groups.append(ProblemGroup(members[0].problem, members[0].severity, members[0].clause, members,
                                   "、".join(unit for unit, _ in units.most_common())))

    by_column = Counter(row.column_name for row in rows)
    by_unit = Counter(unit for row in rows for unit in row.units)
    column_pairs = [(column_names[spec.key], by_column.get(column_names[spec.key], 0)) for spec in site.audited_columns()]
    if by_column.get(OTHER_PAGES):
        column_pairs.append(("其他页面（非必设栏目）", by_column[OTHER_PAGES]))
    unit_pairs = by_unit.most_common()

    trend = []
    chain = quarterly_runs(store, run)
    for offset in range(3, -1, -1):
        q = quarter
        for _ in range(offset):
            q = q.previous()
        other = chain.get(q)
        if other is None:
            trend.append(QuarterPoint(q.label, None, None, "无检查记录"))
            continue
        other_rows = comparison.rows if other.id == run.id else rows_of(store, other)
        trend.append(QuarterPoint(q.label, other.id, len(other_rows),
                                  result_text(score(other_rows, config.scoring, titles), other.status)))
    previous = None
    if comparison.old is not None:
        old_rows = rows_of(store, comparison.old)
        previous = QuarterPoint(quarter_of(comparison.old).label, comparison.old.id, len(old_rows),
                                result_text(score(old_rows, config.scoring, titles), comparison.old.status))

    interviews = tuple(
        InterviewView(item.unit, tuple(by_fingerprint[r.fingerprint] for r in item.rows))
        for item in interview_list(comparison, settings.interview_after_quarters))
    column_verdicts, site_verdicts = verdict_table(site, comparison.rows, list(specs.values()))
    columns = tuple(summarise_columns(site))
    scope_name = column_names.get(run.scope) if run.scope else None
    if scope_name:
        title = f"关于{quarter.chinese}「{scope_name}」栏目检查情况的报告"
    else:
        title = f"关于{quarter.chinese}政府网站监测情况的通报"
    return BulletinData(
        run_id=run.id, title=title, quarter=quarter, site_url=run.site_url, as_of=run.as_of, scope=run.scope,
        scope_name=scope_name, generated=datetime.now().strftime("%Y-%m-%d %H:%M"),
        issuer=settings.issuer, office=settings.office, addressees=settings.addressees,
        # The period monitored ends on the as-of date (today without --as-of), never in the future.
        window_start=quarter.first_day, window_end=run.as_of,
        pages_checked=sum(1 for p in site.pages.values() if p.fetched_ok),
        pages_failed=sum(1 for p in site.pages.values() if not p.fetched_ok),
        page_cap_note=page_cap_note(run.page_cap, run.pages_left, len(site.pages)) if run.page_cap else "",
        rule_overrun_note=rule_overrun_note(run.rule_overruns, titles, config.crawl.rule_seconds),
        columns=columns, columns_found=sum(1 for c in columns if c.url), list_coverage=summarise_list_reads(site),
        score=result,
        severities=tuple((name, sum(1 for r in rows if r.severity == name)) for name in SEVERITY_ORDER),
        by_column=tuple(column_pairs), by_unit=tuple(unit_pairs), previous=previous,
        states=tuple((state, comparison.count(state)) for state in STATES), trend=tuple(trend),
        groups=tuple(groups),
        fixed=tuple(r for r in gone if r.state == FIXED),
        still_open=tuple(r for r in rows if r.state == OPEN),
        unchecked=tuple(r for r in gone if r.state == UNCHECKED),
        interviews=interviews, interview_after=settings.interview_after_quarters,
        deadlines=tuple(Deadline(severity, settings.deadline_days(severity), deadline_of[severity],
                                 sum(1 for r in rows if r.severity == severity))
                        for severity in SEVERITY_ORDER if any(r.severity == severity for r in rows)),
        rows=rows, column_verdicts=column_verdicts, site_verdicts=site_verdicts,
        chart_columns=bar_chart("各栏目问题数", column_pairs),
        chart_units=bar_chart("各责任单位问题数", unit_pairs[:15]),
        chart_trend=trend_chart("近四个季度问题数", [(p.quarter, p.findings, p.result) for p in trend]),
        findings=tuple(current),
        rule_verdicts=rule_table(column_verdicts, site_verdicts) if run.scope else None,
        support_columns=tuple(summarise_support_columns(site)) if run.scope else (),
        registers=() if run.scope else register_sections(
            site.registers, {kind: found.source for kind, found in register_imports(store, quarter.label).items()},
            viewed, run.as_of),
        site_name=settings.site_name or _site_name(site), doc_number=settings.doc_number,
        score_source=config.scoring.source,
        max_clicks=config.crawl.max_clicks,
    )


def _site_name(site: SiteSnapshot) -> str:
    """The portal's name from its home page's SiteName tag (网页标签规范), else a plain description."""
    for page in site.home_chain():
        for name, value in site.meta_tags_of(page.url).items():
            if name.lower() == "sitename" and value.strip():
                return value.strip()
    return DEFAULT_SITE_NAME


