"""Audit history: stable finding fingerprints, runs of the same site and scope, and the states
(新增 / 未整改 / 已整改 / 已撤下 / 未检查) that comparing two runs gives each finding.

A run belongs to a *series*: the same site (host and path; the port is ignored, so a portal served
on another port is the same portal) and the same scope (whole portal, or one column). The run a
bulletin compares with is the latest finished run of its series that reports on an earlier quarter.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import urljoin, urlsplit

from sqlalchemy import select

from audit.store import Store
from audit.store.models import FINISHED, AuditRun, FindingRecord, LinkCheck, Page, PageContent, PageVersion, RunStatus
from audit.store.versions import unpack, unpack_text
from crawler.vocabulary.quarters import BadQuarter, Quarter
from rules.base import Finding, registered_rules
from rules.snapshot import HomeCopy

NEW = "新增"
OPEN = "未整改"
FIXED = "已整改"
# The problem's page was taken down: it answers 404/410 and is no longer listed in its column.
TAKEN_DOWN = "已撤下"
UNCHECKED = "未检查"
STATES = (NEW, OPEN, FIXED, TAKEN_DOWN, UNCHECKED)

_INDEX_FILES = ("index.html", "index.htm", "index.shtml", "index.jsp", "index.php", "default.html", "default.htm")


def site_key(site_url: str) -> str:
    """The portal a URL belongs to: host name and path, without scheme, port or index file."""
    parts = urlsplit(site_url)
    return f"{(parts.hostname or '').lower()}{_path(parts.path).rstrip('/')}"


def _path(path: str) -> str:
    path = path or "/"
    head, _, last = path.rpartition("/")
    return f"{head}/" if last.lower() in _INDEX_FILES else path


def comparable_url(url: str, site_url: str) -> str:
    """A URL as runs compare it: on the portal's host, its path and query (`/xxgk/` for
    `http://host:8000/xxgk/index.html`); elsewhere the whole URL with a lower-case host."""
    parts = urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    host = (parts.hostname or "").lower()
    if host == (urlsplit(site_url).hostname or "").lower():
        return f"{_path(parts.path)}{query}"
    netloc = host + (f":{parts.port}" if parts.port else "")
    return f"{parts.scheme.lower()}://{netloc}{_path(parts.path)}{query}"


def locator(rule: str, column: str | None) -> str:
    """What tells apart findings of one rule on one URL: the column for column rules (column.missing
    fires on the home page once per missing column), nothing for rules that fire once per page."""
    return column or "" if rule.startswith("column.") else ""


def fingerprints(findings: list[Finding] | list[FindingRecord], site_url: str) -> list[str]:
    """One fingerprint per finding, in order: rule + canonical URL + locator, and an ordinal when a
    rule reports the same place twice in one run."""
    seen: Counter[str] = Counter()
    result = []
    for finding in findings:
        base = f"{finding.rule}|{comparable_url(finding.url, site_url)}|{locator(finding.rule, finding.column)}"
        seen[base] += 1
        key = base if seen[base] == 1 else f"{base}#{seen[base]}"
        result.append(hashlib.sha256(key.encode("utf-8")).hexdigest()[:16])
    return result


# -- rows of stored findings ----------------------------------------------------------------------


@dataclass(frozen=True)
class FindingRow:
    """A stored finding as reports show it, with its state against the previous run."""

    rule: str
    url: str
    column: str | None
    severity: str
    message: str
    evidence: str
    fingerprint: str
    units: tuple[str, ...]
    unit_source: str
    indicator: str | None
    state: str = NEW
    first_seen: str = ""
    # Consecutive earlier quarters the finding was already there (1 = 未整改 once).
    open_quarters: int = 0
    # Why the page was judged part of its column (所属栏目：… › …), None for pages of no column.
    membership: str | None = None
    # The evidence's page as fetched (ISO time, title) and the 整改期限 (ISO date), set by the reports.
    fetched_at: str = ""
    title: str = ""
    deadline: str = ""
    # The kept copy of the page (evidence/page-….html beside the bulletin), set by the reports.
    kept_copy: str = ""
    # A reviewer's decision (确认 / 排除 / 待核实, audit.judging.problems.ProblemList.reviewed), "" when none.
    review: str = ""
    # What the rule stated beyond its words (rules/base.py Facts); not part of findings.json.
    facts: dict = field(default_factory=dict, compare=False)

    def to_json(self) -> dict:
        """The findings.json contract ({rule, url, column, severity, message, evidence}) plus history."""
        return {
            "rule": self.rule,
            "url": self.url,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
            "evidence": self.evidence,
            "fingerprint": self.fingerprint,
            "units": list(self.units),
            "indicator": self.indicator,
            "state": self.state,
            "first_seen": self.first_seen,
            "membership": self.membership,
            "fetched_at": self.fetched_at,
            "title": self.title,
            "deadline": self.deadline,
            "kept_copy": self.kept_copy or None,
            # 确认 / 待核实 (govaudit review), None when nobody decided; an excluded problem is not listed.
            "review": self.review or None,
        }


def rows_of(store: Store, run: AuditRun) -> list[FindingRow]:
    records = store.findings(run.id)
    computed = fingerprints(records, run.site_url)
    return [
        FindingRow(
            rule=r.rule,
            url=r.url,
            column=r.column,
            severity=r.severity,
            message=r.message,
            evidence=r.evidence,
            fingerprint=r.fingerprint or fp,
            units=tuple(r.units or ("未确定",)),
            unit_source=r.unit_source or "unknown",
            indicator=r.indicator,
            membership=r.membership,
            facts={name: tuple(values) for name, values in (r.facts or {}).items()},
        )
        for r, fp in zip(records, computed)
    ]


# -- runs of a series -----------------------------------------------------------------------------


def quarter_of(run: AuditRun) -> Quarter:
    try:
        return Quarter.parse(run.quarter) if run.quarter else Quarter.reported(run.as_of)
    except BadQuarter:
        return Quarter.reported(run.as_of)


def same_series(a: AuditRun, b: AuditRun) -> bool:
    return site_key(a.site_url) == site_key(b.site_url) and a.scope == b.scope


def _order(run: AuditRun) -> tuple[date, int]:
    return run.as_of, run.id


def series(store: Store, run: AuditRun) -> list[AuditRun]:
    """Finished runs of the run's series (the run itself included whatever its status), oldest first."""
    runs = [r for r in store.runs() if same_series(r, run) and (r.status in FINISHED or r.id == run.id)]
    return sorted(runs, key=_order)


def quarterly_runs(store: Store, run: AuditRun) -> dict[Quarter, AuditRun]:
    """The run that stands for each quarter of the series up to `run`'s quarter: `run` for its own
    quarter, the latest finished run for each earlier one."""
    own = quarter_of(run)
    chosen: dict[Quarter, AuditRun] = {}
    for other in series(store, run):
        quarter = quarter_of(other)
        if quarter < own:
            chosen[quarter] = other
    chosen[own] = run
    return chosen


def previous_run(store: Store, run: AuditRun) -> AuditRun | None:
    """The latest finished run of the same site and scope that reports on an earlier quarter."""
    earlier = {q: r for q, r in quarterly_runs(store, run).items() if q < quarter_of(run)}
    return earlier[max(earlier)] if earlier else None


def previous_home(store: Store, run: AuditRun) -> HomeCopy | None:
    """The home page as the previous quarter's run of the site stored it (the whole-site series)."""
    earlier = previous_run(store, run)
    if earlier is None or earlier.scope is not None:
        return None
    with store.reading() as session:
        page = session.execute(
            select(PageVersion.text, PageVersion.links, PageContent.body, PageVersion.encoding)
            .join(Page, Page.version_id == PageVersion.id)
            .outerjoin(PageContent, PageContent.digest == PageVersion.digest)
            .where(Page.run_id == earlier.id, Page.url == earlier.site_url, Page.status < 400)
        ).first()
    if page is None:
        return None
    targets = [to_url for to_url, _, _, on_site, *_ in unpack(page.links) if not on_site]
    lines = tuple(
        line.strip() for line in (unpack_text(page.text, page.body, page.encoding) or "").splitlines() if line.strip()
    )
    return HomeCopy(earlier.id, earlier.as_of, lines, frozenset(filter(None, (_host(url) for url in targets))))


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def find_run(
    store: Store, site_url: str, scope: str | None, quarter: Quarter, statuses: tuple[str, ...] = (RunStatus.DONE,)
) -> AuditRun | None:
    """The latest run of a site and scope for a quarter that ended in one of `statuses`."""
    key = site_key(site_url)
    matches = [
        r
        for r in store.runs()
        if site_key(r.site_url) == key and r.scope == scope and r.status in statuses and quarter_of(r) == quarter
    ]
    return max(matches, key=_order) if matches else None


# -- comparing runs -------------------------------------------------------------------------------


@dataclass
class Comparison:
    old: AuditRun | None
    new: AuditRun
    rows: list[FindingRow]  # the new run's findings: 新增 or 未整改
    gone: list[FindingRow] = field(default_factory=list)  # the old run's others: 已整改, 已撤下 or 未检查


# The answers that say a page was taken down, not that it failed: 404 Not Found and 410 Gone.
GONE_STATUSES = (404, 410)
# Rules whose problem is the URL not answering: there a 404 is the problem itself, never its removal.
ABOUT_ANSWERING = frozenset({"link.broken", "site.unreachable"})


def gone_urls(store: Store, run: AuditRun) -> set[str]:
    """The pages (comparable URLs) that answered 404/410 in `run`."""
    with store.reading() as session:
        gone = set()
        for table in (Page, LinkCheck):
            gone.update(
                session.scalars(select(table.url).where(table.run_id == run.id, table.status.in_(GONE_STATUSES)))
            )
    return {comparable_url(url, run.site_url) for url in gone}


def recheck_urls(store: Store, run: AuditRun) -> tuple[str, ...]:
    """The pages on the site the previous run reported problems on, at `run`'s address (the portal may
    be served on another port now): the crawl asks for each again, reached by its links or not."""
    earlier = previous_run(store, run)
    if earlier is None:
        return ()
    places = (comparable_url(row.url, earlier.site_url) for row in rows_of(store, earlier))
    return tuple(dict.fromkeys(urljoin(run.site_url, place) for place in places if place.startswith("/")))


def compare(store: Store, old: AuditRun | None, new: AuditRun) -> Comparison:
    """States of the new run's findings against the old run's. A finding of the old run that the new
    run does not report is 已撤下 when its page now answers 404/410 and no page of the site links to
    it any more — off its column's list (a result, counted among the fixed); 已整改 only when the new run judged its rule (on that
    page, within its time budget) and fetched its page again and the page answered (for a
    broken-link finding: the link target answered), and, for a rule that needs the whole list, read
    the column's lists whole; otherwise (not reached, a timeout, a 500) it is 未检查."""
    new_rows = rows_of(store, new)
    if old is None:
        return Comparison(None, new, [replace(row, state=NEW) for row in new_rows])
    old_rows = rows_of(store, old)
    old_prints = {row.fingerprint for row in old_rows}
    new_prints = {row.fingerprint for row in new_rows}
    answered = {comparable_url(url, new.site_url) for url in store.answered_urls(new.id)}
    unjudged = set(new.unjudged_rules or ())
    read_short = store.read_short_columns(new.id)
    whole_list = {spec.id for spec in registered_rules() if spec.needs_whole_list}
    # Pages a rule could not judge within its time budget (audit.judging.judge.PageBudget).
    overrun = {(rule, comparable_url(url, new.site_url)) for rule, url in new.rule_overruns or ()}

    def judged(row: FindingRow) -> bool:
        return (
            row.rule not in unjudged
            and not (row.rule in whole_list and row.column in read_short)
            and (row.rule, comparable_url(row.url, old.site_url)) not in overrun
        )

    # Gone, and nothing on the site links to it any more (a page still linked is a broken link).
    still_linked = {comparable_url(row.url, new.site_url) for row in new_rows if row.rule in ABOUT_ANSWERING}
    taken_down = gone_urls(store, new) - still_linked

    def state(row: FindingRow) -> str:
        place = comparable_url(row.url, old.site_url)
        if place in taken_down and row.rule not in ABOUT_ANSWERING:
            return TAKEN_DOWN
        return FIXED if judged(row) and place in answered else UNCHECKED

    rows = [replace(row, state=OPEN if row.fingerprint in old_prints else NEW) for row in new_rows]
    gone = [replace(row, state=state(row)) for row in old_rows if row.fingerprint not in new_prints]
    return Comparison(old, new, rows, gone)


def with_history(store: Store, run: AuditRun) -> Comparison:
    """The run compared with its previous run, each finding with the quarter it was first seen and
    how many quarters in a row it has stayed 未整改."""
    comparison = compare(store, previous_run(store, run), run)
    quarters = quarterly_runs(store, run)
    own = quarter_of(run)
    prints: dict[Quarter, set[str]] = {}

    def present(quarter: Quarter) -> set[str]:
        if quarter not in prints:
            prints[quarter] = {row.fingerprint for row in rows_of(store, quarters[quarter])}
        return prints[quarter]

    rows = []
    for row in comparison.rows:
        streak, quarter = 0, own.previous()
        while quarter in quarters and row.fingerprint in present(quarter):
            streak += 1
            quarter = quarter.previous()
        first = quarter.next() if streak else own
        rows.append(replace(row, open_quarters=streak, first_seen=first.label))
    gone = []
    for row in comparison.gone:
        first, quarter = quarter_of(comparison.old), quarter_of(comparison.old).previous()
        while quarter in quarters and row.fingerprint in present(quarter):
            first, quarter = quarter, quarter.previous()
        gone.append(replace(row, first_seen=first.label))
    comparison.rows, comparison.gone = rows, gone
    return comparison
