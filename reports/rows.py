"""The run's problem list (audit.judging.problems) as the reports show it: one ReportRow per problem
(the 问题清单 line of the bulletin, the xlsx and the CSV) — this run's numbered for 附件1, website
problems first, then the registers' — and the previous run's problems this run no longer reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from audit.judging.context import ReportContext
from audit.judging.history import TAKEN_DOWN, FindingRow
from audit.judging.problems import SEVERITIES, ProblemList
from rules.registers import KINDS, kind_of_url

SEVERITY_ORDER = list(SEVERITIES)
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
    def taken_down(self) -> bool:
        """已整改（已撤下）: the page answers 404/410 and is off its column's lists."""
        return self.state == TAKEN_DOWN

    @property
    def path(self) -> str:
        """The URL as a reader finds it on the site: path and query, without scheme and host."""
        parts = urlsplit(self.url)
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


@dataclass(frozen=True)
class Rows:
    problems: ProblemList  # what every count is taken from
    annex: tuple[ReportRow, ...]  # this run's problems, numbered: 附件1, findings.xlsx / csv
    earlier: tuple[ReportRow, ...]  # the previous run's problems not reported now (已整改 / 已撤下 / 未检查)
    by_fingerprint: dict[str, ReportRow]


def issue_date() -> date:
    """The day the 通报 is written: its 落款 date, and the day its deadlines are counted from (never
    the as-of date: a run as of 10-01 is not issued on 国庆)."""
    return date.today()


def report_rows(ctx: ReportContext) -> Rows:
    specs, column_names = ctx.specs, ctx.column_names
    indicator_names = {ind.key: ind.name for ind in ctx.settings.scoring.indicators}
    register_titles = {kind.name: kind.title for kind in KINDS}

    def place(row: FindingRow) -> str:
        """The column the problem is in, or the register it was found in."""
        kind = kind_of_url(row.url)
        if kind is not None:
            return register_titles.get(kind, kind)
        return column_names.get(row.column, OTHER_PAGES) if row.column else OTHER_PAGES

    def view(row: FindingRow, number: int) -> ReportRow:
        spec = specs.get(row.rule)
        return ReportRow(
            number=number,
            units=row.units,
            unit_source=UNIT_SOURCES.get(row.unit_source, row.unit_source),
            column_name=place(row),
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

    problems = ctx.problems
    annex = tuple(view(row, number) for number, row in enumerate(problems.current, 1))
    return Rows(
        problems=problems,
        annex=annex,
        earlier=tuple(view(row, 0) for row in problems.earlier),
        by_fingerprint={row.fingerprint: row for row in annex},
    )
