"""Everything the 季度通报 and the column report say: their header fields, the problem rows (the 问题清单
the exports write too) and their sections (reports/sections/), built from one ReportContext — templates
and exports only print what is here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from audit.judging.context import QuarterPoint, ReportContext
from audit.judging.history import FindingRow
from audit.judging.scoring import Score
from crawler.vocabulary.quarters import Quarter
from reports.rows import OTHER_PAGES, SEVERITY_ORDER, UNIT_SOURCES, ReportRow, issue_date, report_rows
from reports.sections import BULLETIN, COLUMN_REPORT, TECHNICAL, Context, Section, build_sections
from reports.sections.context import ProblemGroup
from reports.sections.interviews import InterviewView
from reports.sections.overview import checked_names
from reports.sections.requirements import Deadline
from rules.settings import full_organ_name

DEFAULT_SITE_NAME = "县政府门户网站"


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
    score: Score
    rows: tuple[ReportRow, ...]
    # The run's findings in stored order, with state and first seen (findings.json).
    findings: tuple[FindingRow, ...]
    # What the report prints between its title and its footer, in order.
    sections: tuple[Section, ...]
    site_name: str = DEFAULT_SITE_NAME
    doc_number: str = ""
    score_source: str = ""
    # The county and the issuing organ's full name as configured ("" when not: never invented).
    county: str = ""
    organ: str = ""
    # Every document the bulletin cites, national first (《…》（文号）).
    basis: tuple[str, ...] = ()
    # The bulletin settings the county has not given yet (县名（county）…): the 技术说明 lists them as 未配置.
    unconfigured: tuple[str, ...] = ()
    # The day the 通报 is written: its 落款 date; deadlines count from it.
    issue_date: date | None = None
    # What the technical file (technical.html) prints: tables, charts, evidence, ids and weights.
    technical: tuple[Section, ...] = ()

    @property
    def reviewed(self) -> bool:
        """A person reviewed the run's problems (the body says 经人工核查 only then)."""
        overview = self.section("overview")
        return bool(getattr(overview, "reviewed", False))

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def site_label(self) -> str:
        """The portal as the text names it: 马关县人民政府网站, 测试县政府门户网站."""
        return self.site_name if self.site_name.endswith(("网站", "门户网")) else f"{self.site_name}网站"

    def section(self, name: str) -> object | None:
        """The data of the section called `name`, None when the report has no such section."""
        return next((section.data for section in (*self.sections, *self.technical) if section.name == name), None)

    @property
    def registers(self) -> tuple:
        """政务新媒体, 12345 热线, 网民留言 (empty in a column report)."""
        return self.section("registers") or ()


def build_bulletin(report: ReportContext) -> BulletinData:
    """The bulletin of a whole-portal run, or the column report of a one-column run."""
    run, settings = report.run, report.settings.bulletin
    found = report_rows(report)
    context = Context(report, found)
    scope_name = report.column_names.get(run.scope) if run.scope else None
    site_name = settings.site_name or _site_name(report.site)
    issued = issue_date()
    if scope_name:
        title = f"关于{report.quarter.chinese}「{scope_name}」栏目检查情况的报告"
    else:
        title = f"{settings.organ_name}关于{report.quarter.chinese}{_joined(checked_names(context))}监测情况的通报"
    return BulletinData(
        run_id=run.id,
        title=title,
        quarter=report.quarter,
        site_url=run.site_url,
        as_of=run.as_of,
        scope=run.scope,
        scope_name=scope_name,
        generated=datetime.now().strftime("%Y-%m-%d %H:%M"),
        issuer=settings.signatory,
        office=full_organ_name(settings.county_name, settings.office) or settings.office,
        addressees=settings.addressees,
        score=report.score,
        rows=found.annex,
        findings=found.problems.current,
        sections=build_sections(context, COLUMN_REPORT if run.scope else BULLETIN),
        site_name=site_name,
        doc_number=settings.doc_number_for(issued.year),
        score_source=report.settings.scoring.source,
        county=settings.county_name,
        organ=settings.organ_name,
        basis=settings.basis_citations(report.quarter.year),
        unconfigured=settings.unconfigured(),
        issue_date=issued,
        technical=build_sections(context, TECHNICAL),
    )


def _joined(names: tuple[str, ...]) -> str:
    """政府网站 / 政府网站和政务新媒体 / 政府网站、政务新媒体和12345热线."""
    return names[0] if len(names) == 1 else f"{'、'.join(names[:-1])}和{names[-1]}"


def _site_name(site) -> str:
    """The portal's name from its home page's SiteName tag (网页标签规范), else a plain description."""
    for page in site.home_chain():
        for name, value in site.meta_tags_of(page.url).items():
            if name.lower() == "sitename" and value.strip():
                return value.strip()
    return DEFAULT_SITE_NAME


__all__ = [
    "OTHER_PAGES",
    "SEVERITY_ORDER",
    "UNIT_SOURCES",
    "BulletinData",
    "Deadline",
    "InterviewView",
    "ProblemGroup",
    "QuarterPoint",
    "ReportRow",
    "build_bulletin",
]
