"""The run's problems as the reports show them: one ReportRow per finding (the 问题清单 line of the
bulletin, the xlsx and the CSV), numbered website problems first, and the problems an earlier run
had that this one no longer reports."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import urlsplit

from audit.judging.context import ReportContext
from audit.judging.history import FindingRow
from crawler.vocabulary.quarters import add_working_days
from rules import Severity
from rules.base import judges_register

SEVERITY_ORDER = [s.value for s in Severity]
UNIT_SOURCES = {
    "sector": "行业主管部门",
    "issuer": "发文单位",
    "column": "任务清单",
    "publisher": "发布机构",
    "site": "网站主办单位",
    "register": "登记表",
    "unknown": "未记录",
}
# A finding outside the required columns (a department page, a news item, a link target).
OTHER_PAGES = "其他页面"


@dataclass(frozen=True)
class ReportRow:
    """One line of the 问题清单 (附件), as the bulletin, the xlsx and the CSV show it."""

    number: int
    units: tuple[str, ...]
    unit_source: str
    column_name: str
    url: str
    problem: str  # the rule's title
    message: str
    evidence: str
    indicator: str  # the scoring indicator's name, or the severity class when not scored
    severity: str
    state: str
    first_seen: str
    rule: str
    clause: str
    # Why the page was judged part of its column (所属栏目：… › …; "" for pages of no column).
    membership: str = ""
    deadline: date | None = None
    fetched_at: str = ""  # when the run fetched (or checked) the page, YYYY-MM-DD HH:MM
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
class Rows:
    findings: tuple[FindingRow, ...]  # the run's findings in stored order (findings.json)
    viewed: tuple[ReportRow, ...]  # every finding, numbered: website problems, then the registers'
    rows: tuple[ReportRow, ...]  # the website problems (附件1)
    gone: tuple[ReportRow, ...]  # an earlier run's problems not reported now (已整改 / 未检查)
    by_fingerprint: dict[str, ReportRow]
    deadline_of: dict[str, date]  # severity → the date to fix by


def issue_date() -> date:
    """The day the 通报 is written: its 落款 date, and the day its deadlines are counted from (never
    the as-of date: a run as of 10-01 is not issued on 国庆)."""
    return date.today()


def report_rows(ctx: ReportContext) -> Rows:
    specs, settings = ctx.specs, ctx.settings.bulletin
    column_names = ctx.column_names
    indicator_names = {ind.key: ind.name for ind in ctx.settings.scoring.indicators}
    deadline_of = {
        severity: add_working_days(issue_date(), settings.deadline_days(severity), settings.holidays, settings.workdays)
        for severity in SEVERITY_ORDER
    }

    def evidenced(row: FindingRow) -> FindingRow:
        fetched_at, title = ctx.seen.get(row.url, (None, None))
        deadline = deadline_of.get(row.severity)
        return replace(
            row,
            fetched_at=fetched_at.isoformat(timespec="seconds") if fetched_at else "",
            title=title or "",
            deadline=deadline.isoformat() if deadline else "",
        )

    def view(row: FindingRow, number: int) -> ReportRow:
        spec = specs.get(row.rule)
        return ReportRow(
            number=number,
            units=row.units,
            unit_source=UNIT_SOURCES.get(row.unit_source, row.unit_source),
            column_name=column_names.get(row.column, OTHER_PAGES) if row.column else OTHER_PAGES,
            url=row.url,
            problem=spec.title if spec else row.rule,
            message=row.message,
            evidence=row.evidence,
            membership=row.membership or "",
            indicator=indicator_names.get(row.indicator, row.severity) if row.indicator else row.severity,
            severity=row.severity,
            state=row.state,
            first_seen=row.first_seen,
            rule=row.rule,
            clause=spec.basis(ctx.settings, ctx.quarter.year) if spec else "",
            deadline=date.fromisoformat(row.deadline) if row.deadline else None,
            fetched_at=row.fetched_at.replace("T", " ")[:16],
            page_title=row.title,
            fingerprint=row.fingerprint,
        )

    # Website problems first (numbered for the annex), then the registers' (in their own sections).
    current = [evidenced(row) for row in ctx.comparison.rows]
    ordered = sorted(
        current,
        key=lambda r: (
            judges_register(r.rule),
            SEVERITY_ORDER.index(r.severity) if r.severity in SEVERITY_ORDER else 9,
            r.rule,
            r.column or "",
            r.url,
        ),
    )
    viewed = tuple(view(row, i) for i, row in enumerate(ordered, 1))
    return Rows(
        findings=tuple(current),
        viewed=viewed,
        rows=tuple(row for row in viewed if not judges_register(row.rule)),
        gone=tuple(
            view(row, 0)
            for row in sorted(ctx.comparison.gone, key=lambda r: (r.rule, r.url))
            if not judges_register(row.rule)
        ),
        by_fingerprint={row.fingerprint: view_row for row, view_row in zip(ordered, viewed)},
        deadline_of=deadline_of,
    )
