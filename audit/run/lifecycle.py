"""One audit run from start to end, the same whoever starts it (`govaudit audit`, `run-quarterly`,
a worker's audit, and `scrapy crawl portal` through audit.run.extension): start → crawl → conclude →
write. Each step is one method; the crawl's Scrapy process is audit.run.crawl, the Redis sharing
audit.run.share, the outputs audit.run.runner."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from audit.judging.history import quarter_of, same_series
from audit.judging.judge import conclude_run
from audit.run.crawl import AuditInterrupted, crawl, interruptible
from audit.run.progress import CrawlProgress
from audit.run.runner import clear_pending, mark_pending, pending_run, write_outputs
from audit.run.share import SharedCrawl, concluding
from audit.store import RunStatus, Store, StoreError
from audit.store.models import AuditRun
from crawler.vocabulary.quarters import Quarter
from crawler.vocabulary.urls import check_site_url
from reports.formats import DEFAULT_FORMATS
from reports.summary import ColumnSummary, summarise_columns
from rules import Finding, Severity
from rules.settings import Settings
from rules.snapshot import SiteSnapshot


class QuarterTaken(Exception):
    """Another process is auditing (or has audited) the same site for the same quarter: this run
    stands down, so a quarter is never recorded twice."""

    def __init__(self, run_id: int):
        super().__init__(run_id)
        self.run_id = run_id


@dataclass
class AuditOutcome:
    run_id: int
    status: str
    findings: list[Finding]
    columns: list[ColumnSummary]
    pages: int
    findings_path: Path | None
    bulletin_path: Path | None
    # Every file written, by format (html, json, xlsx, csv).
    outputs: dict[str, Path] = field(default_factory=dict)
    # What the crawl received, and how many pages the server said had not changed since the site's
    # last audit (their stored copies were reused).
    bytes_received: int = 0
    pages_not_modified: int = 0
    # --max-pages stopped the crawl at page_cap with pages_left requests queued (None: it ran to the end).
    page_cap: int | None = None
    pages_left: int | None = None


class Audit:
    """The run of one audit of `site_url` (an http(s) URL, already checked) as of `as_of`, of the
    whole site or of one `column`. With once_per_quarter (run-quarterly), QuarterTaken when another
    process audits or audited the same site for the same quarter; with `shared`, also when another
    process took the run over and concludes it."""

    def __init__(
        self,
        store: Store,
        config: Settings,
        site_url: str,
        as_of: date,
        column: str | None = None,
        *,
        once_per_quarter: bool = False,
        shared: SharedCrawl | None = None,
    ):
        if column is not None:
            config.column(column)  # KeyError for a column the settings do not have
        self.store, self.config = store, config
        self.site_url, self.as_of, self.column = site_url, as_of, column
        self.once_per_quarter, self.shared = once_per_quarter, shared
        self.run_id: int | None = None
        self.resumed = False
        self.findings: list[Finding] = []
        self.site: SiteSnapshot | None = None

    def start(self, resume: bool = True) -> int:
        """Record the run, or take over the same audit an earlier process left unfinished (`resume`)."""
        store, config = self.store, self.config
        interrupted = (
            store.interrupted_run(self.site_url, self.as_of, self.column, config.fingerprint) if resume else None
        )
        if interrupted is not None and store.claim_run(interrupted):
            self.run_id, self.resumed = interrupted, True
        elif interrupted is not None and self.once_per_quarter:
            raise QuarterTaken(interrupted)
        else:
            self.run_id = store.start_run(self.site_url, self.as_of, self.column, config.fingerprint)
        if self.once_per_quarter:
            rival = _rival(store, self.run_id)
            if rival is not None:
                if not self.resumed:
                    store.discard_run(self.run_id)
                raise QuarterTaken(rival)
        if self.shared is not None and self.shared.worker is not None:
            store.join_run(self.run_id, self.shared.worker)
        return self.run_id

    def crawl(self, progress: CrawlProgress | None = None) -> None:
        """Crawl the site into the run (audit.run.crawl: blocks until the crawl ends, once per process)."""
        crawl(
            self.store,
            self.run_id,
            self.site_url,
            self.column,
            self.config,
            progress,
            resume=self.resumed,
            shared=self.shared,
        )

    def conclude(self) -> list[Finding]:
        """Judge the crawled run and mark it finished, unless another process concludes it."""
        with concluding(self.store, self.run_id, self.shared) as concludes:
            if not concludes:
                raise QuarterTaken(self.run_id)
            try:
                self.findings, self.site = conclude_run(self.store, self.run_id, self.config)
            except AuditInterrupted:
                self.store.finish_run(self.run_id, RunStatus.INTERRUPTED)
                raise
        return self.findings

    def write(
        self, out_dir: Path, formats: tuple[str, ...] = DEFAULT_FORMATS, screenshots: bool = False
    ) -> dict[str, Path]:
        """The concluded run's outputs in `out_dir` (audit.run.runner)."""
        return write_outputs(self.store, self.run_id, self.site, self.config, out_dir, formats, screenshots)

    def outcome(self, outputs: dict[str, Path]) -> AuditOutcome:
        run = self.store.run(self.run_id)
        return AuditOutcome(
            self.run_id,
            run.status,
            self.findings,
            summarise_columns(self.site),
            len(self.site.pages),
            outputs.get("json"),
            outputs.get("html"),
            outputs,
            run.bytes_received or 0,
            self.store.not_modified_count(self.run_id),
            run.page_cap,
            run.pages_left,
        )


def run_audit(
    site_url: str,
    *,
    as_of: date,
    column: str | None,
    store: Store,
    config: Settings,
    out_dir: Path,
    progress: CrawlProgress | None = None,
    formats: tuple[str, ...] = DEFAULT_FORMATS,
    once_per_quarter: bool = False,
    shared: SharedCrawl | None = None,
    screenshots: bool = False,
) -> AuditOutcome:
    """Crawl, judge and write the outputs: an Audit from start to end. SIGINT/SIGTERM while judging or
    writing raise AuditInterrupted (half-written outputs are removed, the run is not left looking done)."""
    audit = Audit(
        store, config, check_site_url(site_url), as_of, column, once_per_quarter=once_per_quarter, shared=shared
    )
    # The same audit interrupted after it was concluded: its outputs are written, it is not done again.
    concluded = _finished_pending(audit, out_dir)
    if concluded is not None:
        return _stored_outcome(store, concluded, config, out_dir, formats, screenshots)
    audit.start()
    audit.crawl(progress)
    with interruptible():
        mark_pending(store, out_dir, audit.run_id)
        audit.conclude()
        outputs = audit.write(out_dir, formats, screenshots)
        clear_pending(out_dir)
    return audit.outcome(outputs)


def _finished_pending(audit: Audit, out_dir: Path) -> AuditRun | None:
    """The run of this very audit (site, as-of, scope, settings) concluded before its outputs were
    written into `out_dir`."""
    run_id = pending_run(audit.store, out_dir)
    if run_id is None:
        return None
    try:
        run = audit.store.run(run_id)
    except StoreError:
        return None
    same = (
        run.site_url == audit.site_url
        and run.as_of == audit.as_of
        and run.scope == audit.column
        and run.config_fingerprint == audit.config.fingerprint
    )
    return run if same and run.status in (RunStatus.DONE, RunStatus.UNREACHABLE) else None


def _stored_outcome(
    store: Store, run: AuditRun, config: Settings, out_dir: Path, formats: tuple[str, ...], screenshots: bool
) -> AuditOutcome:
    """The outcome of a concluded run, its outputs written from the store (no crawl, no judging)."""
    site = store.snapshot(run.id, config)
    with interruptible():
        outputs = write_outputs(store, run.id, site, config, out_dir, formats, screenshots)
    clear_pending(out_dir)
    findings = [
        Finding(
            record.rule,
            record.url,
            record.column,
            Severity(record.severity),
            record.message,
            record.evidence,
            record.facts or {},
        )
        for record in store.findings(run.id)
    ]
    return AuditOutcome(
        run.id,
        run.status,
        findings,
        summarise_columns(site),
        len(site.pages),
        outputs.get("json"),
        outputs.get("html"),
        outputs,
        run.bytes_received or 0,
        store.not_modified_count(run.id),
        run.page_cap,
        run.pages_left,
    )


def _rival(store: Store, run_id: int) -> int | None:
    """A run of the same site, scope and quarter that is done, or that is running in a live process
    and was started first: two run-quarterly started together both record their run, then the later
    one finds the earlier one here and stands down."""
    run = store.run(run_id)
    for other in store.runs():
        if other.id == run_id or not same_series(other, run) or quarter_of(other) != quarter_of(run):
            continue
        if other.status == RunStatus.DONE or (
            other.status == RunStatus.RUNNING and other.id < run_id and store.owner_alive(other)
        ):
            return other.id
    return None


def quarterly_as_of(quarter: Quarter, today: date) -> date:
    """The as-of date of the quarterly check of `quarter`: today while today reports on it (the month
    after it ends), else the quarter's last day. A quarter that has not ended is a ValueError."""
    if quarter >= Quarter.containing(today):
        raise ValueError(f"{quarter.label} 尚未结束 / quarter {quarter.label} has not ended yet")
    return today if Quarter.reported(today) == quarter else quarter.last_day
