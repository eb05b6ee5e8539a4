"""Which runs `govaudit prune --keep-quarters N` thins out, and what of them it keeps: a site's runs of
quarters before its latest N lose their page rows (and the page versions and bodies no other run
refers to), except the evidence of problems still open — the pages of their findings, and for a
finding on a page without a kept copy (a broken link) the page that links to it. Runs, findings and
history stay; runs not finished are never touched."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from audit.judging.history import quarter_of, rows_of, site_key
from audit.store import Store
from audit.store.models import FINISHED, AuditRun


@dataclass(frozen=True)
class PrunePlan:
    # Run id → the URLs whose page rows stay (the evidence of its findings still open).
    keep: dict[int, set[str]]
    # Findings of the pruned runs still open (their evidence kept).
    open_findings: int


def prune_plan(store: Store, keep_quarters: int) -> PrunePlan:
    """The runs older than each site's latest `keep_quarters` quarters, with the evidence they keep."""
    by_site: dict[str, list[AuditRun]] = defaultdict(list)
    for run in store.runs():
        by_site[site_key(run.site_url)].append(run)
    keep: dict[int, set[str]] = {}
    open_findings = 0
    for runs in by_site.values():
        oldest_kept = max(quarter_of(run) for run in runs)
        for _ in range(keep_quarters - 1):
            oldest_kept = oldest_kept.previous()
        finished = sorted((run for run in runs if run.status in FINISHED), key=lambda run: (run.as_of, run.id))
        # A problem is open while the latest finished run of its series (scope) still finds it.
        latest = {run.scope: run for run in finished}
        still_open = {scope: {row.fingerprint for row in rows_of(store, run)} for scope, run in latest.items()}
        for run in finished:
            if quarter_of(run) >= oldest_kept:
                continue
            open_rows = [row for row in rows_of(store, run) if row.fingerprint in still_open[run.scope]]
            open_findings += len(open_rows)
            urls = {row.url for row in open_rows}
            without_copy = urls - store.kept_urls(run.id, urls)
            keep[run.id] = urls | set(store.referring_pages(run.id, without_copy).values())
    return PrunePlan(keep, open_findings)
