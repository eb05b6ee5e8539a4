"""Renders the bulletin (季度通报) handed to 督查室 as one self-contained HTML file."""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined

from audit.config import AuditConfig
from audit.summary import ColumnSummary
from reports.masking import mask_personal
from rules import Finding, Severity, registered_rules
from rules.snapshot import SiteSnapshot

_QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}


def reported_quarter(as_of: date) -> tuple[int, int]:
    """The quarter a bulletin reports on: monitoring done in a quarter's first month reports on
    the quarter just ended (as-of 2022-10-15 → 2022 Q3); later in a quarter, on that quarter."""
    quarter = (as_of.month - 1) // 3 + 1
    if (as_of.month - 1) % 3 == 0:
        return (as_of.year, quarter - 1) if quarter > 1 else (as_of.year - 1, 4)
    return as_of.year, quarter


def safe_href(url: str | None) -> str:
    """Only http(s) targets become links in a report; anything else is inert."""
    return url if url and urlsplit(url).scheme in ("http", "https") else "#"


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("reports", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["mask"] = mask_personal
    env.filters["href"] = safe_href
    return env


def render_bulletin(site: SiteSnapshot, findings: list[Finding], columns: list[ColumnSummary],
                    config: AuditConfig) -> str:
    year, quarter = reported_quarter(site.as_of)
    specs = {spec.id: spec for spec in registered_rules()}
    by_severity = Counter(f.severity for f in findings)
    by_column = Counter(f.column for f in findings)
    vetoed = by_severity[Severity.VETO] > 0
    column_names = {spec.key: spec.name for spec in config.columns}
    rows = [
        {"finding": f, "title": specs[f.rule].title, "clause": specs[f.rule].clause,
         "column_name": column_names.get(f.column, "—") if f.column else "—"}
        for f in sorted(findings, key=lambda f: (list(Severity).index(f.severity), f.rule, f.url))
    ]
    column_rows = [
        {"summary": c, "findings": by_column.get(c.key, 0),
         "verdict": "未找到" if c.url is None else ("有问题" if by_column.get(c.key) else "未发现问题")}
        for c in columns
    ]
    return _environment().get_template("bulletin.html").render(
        title=f"关于{year}年第{_QUARTER_NAMES[quarter]}季度政府网站监测情况的通报",
        site_url=site.site_url,
        as_of=site.as_of,
        scope_name=column_names.get(site.scope) if site.scope else None,
        generated=datetime.now().strftime("%Y-%m-%d %H:%M"),
        pages_checked=sum(1 for p in site.pages.values() if p.fetched_ok),
        pages_failed=sum(1 for p in site.pages.values() if not p.fetched_ok),
        total=len(findings),
        severities=[(s.value, by_severity.get(s, 0)) for s in Severity],
        vetoed=vetoed,
        column_rows=column_rows,
        rows=rows,
    )
