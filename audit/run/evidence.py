"""The office's evidence of a run (issue 26): the package of originals, masked copies and digests
(`govaudit evidence`), one page's original exported on request (`govaudit show --original`), and the
copies every quarter kept of the same problem (`govaudit show`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from audit.judging.context import report_context
from audit.judging.history import quarter_of, rows_of, series
from audit.store import Store
from audit.store.models import AuditRun
from reports.data import build_bulletin
from reports.evidence import copy_pages
from reports.evidence_package import PackageSummary, original_suffix, sha256, write_package, write_private
from rules.settings import Settings


def package_run(store: Store, run: AuditRun, config: Settings, out_dir: Path) -> PackageSummary:
    """out_dir/evidence-<run>.zip of the run's problem pages (reports.evidence_package)."""
    data = build_bulletin(report_context(store, run, store.snapshot(run.id, config), config))
    return write_package(store, data, out_dir)


@dataclass(frozen=True)
class KeptCopy:
    """What one run kept of the page that shows a problem."""

    run: AuditRun
    url: str
    fetched_at: datetime
    digest: str | None  # SHA-256 of the body as received; None when only an attachment's text was kept
    body: bytes | None
    content_type: str | None

    @property
    def quarter(self) -> str:
        return str(quarter_of(self.run))


def kept_copy(store: Store, run: AuditRun, url: str) -> KeptCopy | None:
    """The page of `run` that shows the problem found on `url` (the page itself, or a page linking to a
    broken link's target) as the run kept it; None when the run kept neither."""
    page_url = copy_pages(store, run.id, [url]).get(url)
    if page_url is None:
        return None
    page = next(iter(store.kept_pages(run.id, [page_url])), None)
    answer = store.page_answers(run.id, [page_url]).get(page_url)
    if page is None or answer is None:
        return None
    digest = sha256(page.body) if page.body is not None else None
    return KeptCopy(run, page_url, answer.fetched_at, digest, page.body, answer.content_type)


def copies_across_quarters(store: Store, run: AuditRun, fingerprint: str) -> list[KeptCopy]:
    """The kept copy of the problem `fingerprint` in every run of the run's series that found it, oldest
    first (the same problem has the same fingerprint across quarters: audit.judging.history)."""
    copies = []
    for earlier in series(store, run):
        row = next((row for row in rows_of(store, earlier) if row.fingerprint == fingerprint), None)
        copy = kept_copy(store, earlier, row.url) if row is not None else None
        if copy is not None:
            copies.append(copy)
    return copies


def export_original(copy: KeptCopy, out: Path | None, fingerprint: str) -> Path:
    """The original bytes of `copy` (one with a body) written to `out` (default
    ./original-<fingerprint>.<ext>), mode 0600."""
    path = out or Path(f"original-{fingerprint[:16]}.{original_suffix(copy.content_type)}")
    return write_private(path, copy.body)
