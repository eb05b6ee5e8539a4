"""One audit from start to end: crawl into the store, judge the stored run, write the outputs."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings as ScrapySettings

from audit.judging.judge import conclude_run
from audit.run.pipeline import STORE_FAILED, EarlierRun, ResumedRun, StoredRun
from audit.run.progress import CrawlProgress
from crawler.vocabulary.quarters import Quarter
from audit.store import RunStatus, Store, StoreError
from audit.judging.history import quarter_of, rows_of, same_series
from audit.store.models import AuditRun
from crawler.crawl.frontier import FRONTIER_LOST, LEFT_STAT
from crawler.vocabulary.items import FetchedPage
from crawler.crawl.revalidate import reader_version
from crawler.crawl.spiders.portal import PortalSpider
from crawler.vocabulary.urls import canonical_url
from reports.data import ReportRow, build_bulletin
from reports.evidence import write_copies
from reports.exports import DEFAULT_FORMATS, write_csv, write_json, write_xlsx
from reports.files import check_writable, write_text
from reports.pdf import print_pdf
from reports.render import render_bulletin
from reports.screenshots import with_thumbnails
from reports.word import write_docx
from reports.summary import ColumnSummary, summarise_columns
from rules import Finding
from rules.settings import Settings
from rules.snapshot import SiteSnapshot

# One INFO line per page fetched: what `--verbose` shows (audit.run.logfile).
pages_log = logging.getLogger("govaudit.crawl")


class AuditInterrupted(Exception):
    """SIGINT or SIGTERM stopped the audit: the run is marked interrupted (never done), no report is
    written, and the same command resumes it."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class QuarterTaken(Exception):
    """Another process is auditing (or has audited) the same site for the same quarter: this run
    stands down, so a quarter is never recorded twice."""

    def __init__(self, run_id: int):
        super().__init__(run_id)
        self.run_id = run_id


class _AuditProcess(CrawlerProcess):
    """Scrapy's process, remembering which signal (if any) stopped the crawl: Scrapy closes the spider
    gracefully on SIGINT/SIGTERM exactly as when it ends, so its finish reason alone would let a cut
    crawl pass for a finished one."""

    received: int | None = None

    def _signal_shutdown(self, signum, frame) -> None:
        self.received = self.received or signum
        super()._signal_shutdown(signum, frame)

    def _signal_kill(self, signum, frame) -> None:
        self.received = self.received or signum
        super()._signal_kill(signum, frame)


@contextmanager
def _interruptible() -> Iterator[None]:
    """Outside the crawl (judging, writing the outputs), SIGINT and SIGTERM raise AuditInterrupted,
    so half-written outputs are removed (reports.files) and the run is not left looking finished."""
    def stop(signum, _frame):
        raise AuditInterrupted(signum)

    previous = {number: signal.signal(number, stop) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@dataclass(frozen=True)
class SharedCrawl:
    """A crawl that shares Redis with other processes (`--redis`): its frontier lives there
    (scrapy-redis, keyed by run), per-host politeness holds across processes, and one process at
    a time concludes a run. `worker` names the govaudit worker running it, recorded on the run;
    `job` the worker's job, with which the run is advertised to helpers (crawler.crawl.shared)."""

    redis_url: str
    prefix: str = "govaudit"
    worker: str | None = None
    job: str | None = None

    def run_base(self, db_url: str, run_id: int) -> str:
        """What a run's keys begin with: run ids are numbered per database, and two databases may
        share one Redis."""
        database = hashlib.sha256(db_url.encode()).hexdigest()[:12]
        return f"{self.prefix}:run:{database}-{run_id}"

    def run_key(self, db_url: str, run_id: int, name: str) -> str:
        return f"{self.run_base(db_url, run_id)}:{name}"


class FrontierLost(Exception):
    """Redis lost the crawl's frontier (it restarted without its data): the run is marked
    interrupted, and running the audit again resumes it from the store, which rebuilds the frontier."""


class BadSiteURL(ValueError):
    """The address to audit is not an http(s) URL with a host."""


def check_site_url(url: str) -> str:
    """The URL to audit, normalised (a bare host path gets a trailing /), or BadSiteURL."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        raise BadSiteURL(f"网址必须以 http:// 或 https:// 开头 / URL must start with http:// or https://: {url!r}")
    if not parts.hostname:
        raise BadSiteURL(f"网址缺少主机名 / URL has no host: {url!r}")
    try:
        parts.port
    except ValueError as exc:
        raise BadSiteURL(f"网址端口无效 / URL has an invalid port: {url!r}") from exc
    return canonical_url(parts._replace(path=parts.path or "/").geturl())


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


def crawl(store: Store, run_id: int, site_url: str, column: str | None, config: Settings,
          progress: CrawlProgress | None = None, resume: bool = False, shared: SharedCrawl | None = None) -> None:
    """Run the portal spider into `run_id`; blocks until the crawl ends (once per process).

    Raises StoreError when the store could not be written (a full disk): the crawl stops at
    once, everything committed before stays, and the run is marked failed where possible.
    Raises AuditInterrupted when SIGINT/SIGTERM stopped the crawl; the run is marked interrupted.
    """
    settings = _settings(store, run_id, config)
    if shared is not None:
        share = None
        if shared.job is not None:
            share = json.dumps({"run_id": run_id, "url": site_url, "job": shared.job}, ensure_ascii=False)
        _share(settings, shared, shared.run_base(store.db_url, run_id), share)
    # Unless it is in Redis, the queue of requests lives on disk (Scrapy's JOBDIR), one folder per run:
    # what a killed crawl left there is removed when the run resumes (it resumes from the store).
    frontier = None
    if shared is None:
        frontier = Path(tempfile.gettempdir()) / ("govaudit-frontier-" + hashlib.sha256(
            f"{os.getcwd()}#{store.db_url}#{run_id}".encode()).hexdigest()[:16])
        shutil.rmtree(frontier, ignore_errors=True)
        settings.set("JOBDIR", str(frontier))
    process = _AuditProcess(settings)
    crawler = process.create_crawler(PortalSpider)
    if progress is not None:
        progress.attach(crawler)
    crawler.signals.connect(_log_page, signal=signals.item_scraped)
    # A re-audit asks for what the site's last audit stored conditionally: unchanged pages are not sent again.
    store.set_reader_version(run_id, reader_version())
    earlier = store.copies_source(run_id)
    process.crawl(crawler, url=site_url, column=column, config=config,
                  resumed_run=ResumedRun(store, run_id) if resume else None,
                  stored_copies=EarlierRun(store, earlier) if earlier is not None else None,
                  stored_run=StoredRun(store, run_id))
    try:
        process.start()
    finally:
        if frontier is not None:
            shutil.rmtree(frontier, ignore_errors=True)
        # Neither the crawl's URL cache (16k entries on a big portal) nor the connections its threads
        # opened (each with its own SQLite page cache) are needed by the rules: their memory goes to
        # the snapshot instead of adding to the peak.
        canonical_url.cache_clear()
        store.engine.dispose()
    if process.received is not None:
        store.finish_run(run_id, RunStatus.INTERRUPTED)
        raise AuditInterrupted(process.received)
    if crawler.stats.get_value(FRONTIER_LOST):
        store.finish_run(run_id, RunStatus.INTERRUPTED)
        raise FrontierLost()
    if crawler.stats.get_value("finish_reason") == "closespider_pagecount":
        store.record_page_cap(run_id, config.crawl.max_pages, crawler.stats.get_value(LEFT_STAT))
    if _store_failed(crawler):
        try:
            store.finish_run(run_id, RunStatus.FAILED)
        except StoreError:
            pass  # the store that failed the crawl may refuse this too; the run stays "running"
        raise StoreError(_STORE_FAILED_LINE)


_STORE_FAILED_LINE = ("数据库写入失败，检查已停止（已保存的内容不受影响）/ the database could not be written; "
                      "the audit stopped and everything stored before is kept")


def _store_failed(crawler) -> bool:
    return STORE_FAILED in (crawler.stats.get_value("finish_reason"), crawler.stats.get_value(STORE_FAILED))


def help_crawl(store: Store, shared: SharedCrawl, joined: str, config: Settings) -> tuple[str, int] | None:
    """Help crawl the run another process owns and advertised as `joined` (crawler.crawl.shared): take its
    queued requests, fetch and store them into the run, until its owner's crawl ends. Neither owns
    nor concludes the run. The site and how many answers this process fetched; None when the run
    is no longer joinable. Raises StoreError when the store could not be written."""
    import redis

    from crawler.crawl.shared import joinable_key

    advert = redis.Redis.from_url(shared.redis_url).hget(joinable_key(shared.prefix), joined)
    if advert is None:
        return None
    advert = json.loads(advert)
    run_id = advert["run_id"]
    if shared.worker is not None:
        store.join_run(run_id, shared.worker)
    settings = _settings(store, run_id, config)
    # --max-pages counts what the owner reads (a helper's pages too): the owner stops, its helpers with it.
    settings.set("CLOSESPIDER_PAGECOUNT", 0)
    _share(settings, shared, advert["keys"], None, helping=True)
    process = _AuditProcess(settings)
    crawler = process.create_crawler(PortalSpider)
    crawler.signals.connect(_log_page, signal=signals.item_scraped)
    earlier = store.copies_source(run_id)
    process.crawl(crawler, url=advert["url"], column=store.run(run_id).scope, config=config, helping=True,
                  stored_copies=EarlierRun(store, earlier) if earlier is not None else None,
                  stored_run=StoredRun(store, run_id))
    process.start()
    if _store_failed(crawler):
        raise StoreError(_STORE_FAILED_LINE)
    return advert["url"], crawler.stats.get_value("response_received_count", 0)


def _settings(store: Store, run_id: int, config: Settings) -> ScrapySettings:
    """The crawl's Scrapy settings: the project's, with the audit's limits, into `run_id`."""
    settings = ScrapySettings()
    settings.setmodule("audit.run.scrapy_settings", priority="project")
    settings.set("GOVAUDIT_DB", store.db_url)
    settings.set("GOVAUDIT_RUN_ID", run_id)
    settings.set("DOWNLOAD_TIMEOUT", config.crawl.timeout)
    settings.set("DNS_TIMEOUT", config.crawl.timeout)
    settings.set("CLOSESPIDER_PAGECOUNT", config.crawl.max_pages)
    settings.set("ROBOTSTXT_OBEY", config.crawl.obey_robots)
    if config.crawl.concurrency is not None:
        settings.set("AUTOTHROTTLE_ENABLED", False)
        settings.set("CONCURRENT_REQUESTS", config.crawl.concurrency)
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", config.crawl.concurrency)
    settings.set("DOWNLOAD_DELAY", config.crawl.delay)
    # Fetch failures are stored and reported as findings; Scrapy's own log would only repeat them on the
    # terminal. Its WARNING+ (INFO with --verbose) still reach a --log-file (audit.run.logfile).
    settings.set("LOG_LEVEL", "CRITICAL")
    return settings


def _share(settings: ScrapySettings, shared: SharedCrawl, base: str, share: str | None, helping: bool = False) -> None:
    """The run's frontier in Redis through scrapy-redis (its keys begin with `base`), and per-host
    politeness across processes. The owner's resumed run replays what the store holds and so rebuilds
    its frontier: it starts empty; it is advertised to helpers with `share` (JSON). A helper's
    frontier takes from the owner's queue and leaves it as it is."""
    settings.set("REDIS_URL", shared.redis_url)
    settings.set("GOVAUDIT_REDIS_PREFIX", shared.prefix)
    settings.set("GOVAUDIT_RUN_KEYS", base)
    settings.set("GOVAUDIT_SHARE", share)
    settings.set("SCHEDULER", "crawler.crawl.shared.HelpingFrontier" if helping else "crawler.crawl.shared.SharedFrontier")
    settings.set("SCHEDULER_QUEUE_KEY", f"{base}:requests")
    settings.set("SCHEDULER_DUPEFILTER_KEY", f"{base}:dupefilter")
    settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter")
    settings.set("SCHEDULER_FLUSH_ON_START", not helping)
    settings.set("SCHEDULER_PERSIST", helping)
    middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    # Next to the download itself: redirects and retries take a slot again, replayed pages none.
    middlewares["crawler.crawl.shared.SharedHostSlots"] = 950
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares)


@contextmanager
def _concluding(store: Store, run_id: int, shared: SharedCrawl | None) -> Iterator[bool]:
    """Whether this process concludes the run: it still owns it, and (when sharing Redis) holds the
    run's conclusion lock, so two processes never judge one run."""
    if shared is None:
        yield True
        return
    import redis

    lock = redis.Redis.from_url(shared.redis_url).lock(shared.run_key(store.db_url, run_id, "conclude"), timeout=3600)
    if not lock.acquire(blocking=False):
        yield False
        return
    try:
        yield store.owns_run(run_id) and store.run(run_id).status == RunStatus.RUNNING
    finally:
        try:
            lock.release()
        except redis.exceptions.RedisError:
            pass  # expired or Redis gone: the lock frees itself


def _log_page(item, response, spider) -> None:
    if isinstance(item, FetchedPage):
        pages_log.info("%s %s", item.error or item.status, item.url)


def write_outputs(store: Store, run_id: int, site: SiteSnapshot, config: Settings, out_dir: Path,
                  formats: tuple[str, ...] = DEFAULT_FORMATS, screenshots: bool = False) -> dict[str, Path]:
    """Write the run's bulletin and 问题清单 in each of `formats` into `out_dir`, each file whole or not
    at all (reports.files), with the kept copy of every problem page in out_dir/evidence/ (and its
    thumbnail in the annex with `screenshots`); OutputError when one cannot be written."""
    check_writable(out_dir)
    run = store.run(run_id)
    data = write_copies(store, build_bulletin(store, run, site, config), out_dir)
    if screenshots:
        data = with_thumbnails(data, out_dir)
    written: dict[str, Path] = {}
    if "json" in formats:
        written["json"] = write_json(out_dir / "findings.json", list(data.findings))
    html = render_bulletin(data)
    if "html" in formats:
        written["html"] = write_text(out_dir / "bulletin.html", html)
    if "xlsx" in formats:
        written["xlsx"] = write_xlsx(out_dir / "findings.xlsx", data)
    if "csv" in formats:
        written["csv"] = write_csv(out_dir / "findings.csv", data)
    if "docx" in formats:
        written["docx"] = write_docx(out_dir / "bulletin.docx", html, data.title, config.bulletin.fonts)
    if "pdf" in formats:
        written["pdf"] = _write_pdf(out_dir, html, written.get("html"))
    return written


def _write_pdf(out_dir: Path, html: str, html_path: Path | None) -> Path:
    """bulletin.pdf, printed from bulletin.html (or from a temporary copy when html is not asked for)."""
    if html_path is not None:
        return print_pdf(html_path, out_dir / "bulletin.pdf")
    with tempfile.TemporaryDirectory(prefix="govaudit-") as scratch:
        source = Path(scratch) / "bulletin.html"
        source.write_text(html, encoding="utf-8")
        return print_pdf(source, out_dir / "bulletin.pdf")


def find_finding(store: Store, fingerprint: str, config: Settings) -> tuple[AuditRun, ReportRow] | None:
    """The latest stored run with a finding whose fingerprint begins with `fingerprint`, and that
    finding as the run's bulletin shows it (state, unit, deadline, page as fetched)."""
    for run in sorted(store.runs(), key=lambda r: r.id, reverse=True):
        if not any(row.fingerprint.startswith(fingerprint) for row in rows_of(store, run)):
            continue
        data = build_bulletin(store, run, store.snapshot(run.id, config), config)
        found = next((row for row in data.rows if row.fingerprint.startswith(fingerprint)), None)
        if found is not None:
            return run, found
    return None


def render_stored(store: Store, run_id: int, config: Settings, out_dir: Path,
                  formats: tuple[str, ...] = DEFAULT_FORMATS, screenshots: bool = False) -> dict[str, Path]:
    """Write the outputs of a run already in the store (no crawl)."""
    return write_outputs(store, run_id, store.snapshot(run_id, config), config, out_dir, formats,
                         screenshots)


def run_audit(site_url: str, *, as_of: date, column: str | None, store: Store, config: Settings,
              out_dir: Path, progress: CrawlProgress | None = None,
              formats: tuple[str, ...] = DEFAULT_FORMATS, once_per_quarter: bool = False,
              shared: SharedCrawl | None = None, screenshots: bool = False) -> AuditOutcome:
    """Crawl, judge and write the outputs. With once_per_quarter (run-quarterly), QuarterTaken when
    another process audits or audited the same site for the same quarter; with `shared`, also when
    another process took the run over and concludes it."""
    site_url = check_site_url(site_url)
    if column is not None:
        config.column(column)
    # The same audit killed before it finished is resumed, not started over.
    interrupted = store.interrupted_run(site_url, as_of, column, config.fingerprint)
    if interrupted is not None and store.claim_run(interrupted):
        run_id = interrupted
    elif interrupted is not None and once_per_quarter:
        raise QuarterTaken(interrupted)
    else:
        interrupted = None
        run_id = store.start_run(site_url, as_of, column, config.fingerprint)
    if once_per_quarter:
        rival = _rival(store, run_id)
        if rival is not None:
            if interrupted is None:
                store.discard_run(run_id)
            raise QuarterTaken(rival)
    if shared is not None and shared.worker is not None:
        store.join_run(run_id, shared.worker)
    crawl(store, run_id, site_url, column, config, progress, resume=interrupted is not None, shared=shared)
    with _interruptible(), _concluding(store, run_id, shared) as concludes:
        if not concludes:
            raise QuarterTaken(run_id)
        try:
            findings, site = conclude_run(store, run_id, config)
        except AuditInterrupted:
            store.finish_run(run_id, RunStatus.INTERRUPTED)
            raise
        columns = summarise_columns(site)
        outputs = write_outputs(store, run_id, site, config, out_dir, formats, screenshots)
    run = store.run(run_id)
    return AuditOutcome(run_id, run.status, findings, columns, len(site.pages), outputs.get("json"),
                        outputs.get("html"), outputs, run.bytes_received or 0, store.not_modified_count(run_id),
                        run.page_cap, run.pages_left)


def _rival(store: Store, run_id: int) -> int | None:
    """A run of the same site, scope and quarter that is done, or that is running in a live process
    and was started first: two run-quarterly started together both record their run, then the later
    one finds the earlier one here and stands down."""
    run = store.run(run_id)
    for other in store.runs():
        if other.id == run_id or not same_series(other, run) or quarter_of(other) != quarter_of(run):
            continue
        if other.status == RunStatus.DONE or (other.status == RunStatus.RUNNING and other.id < run_id and store.owner_alive(other)):
            return other.id
    return None


def quarterly_as_of(quarter: Quarter, today: date) -> date:
    """The as-of date of the quarterly check of `quarter`: today while today reports on it (the month
    after it ends), else the quarter's last day. A quarter that has not ended is a ValueError."""
    if quarter >= Quarter.containing(today):
        raise ValueError(f"{quarter.label} 尚未结束 / quarter {quarter.label} has not ended yet")
    return today if Quarter.reported(today) == quarter else quarter.last_day
