"""The Scrapy process of an audit: the crawl of a run (or a helper's part of another process's run),
its Scrapy settings, and how it ended (interrupted by a signal, the shared frontier lost, the store
failing)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings as ScrapySettings

from audit.judging.history import recheck_urls
from audit.run.pipeline import STORE_FAILED, EarlierRun, ResumedRun, StoredRun
from audit.run.progress import CrawlProgress
from audit.run.share import RedisUnavailable, SharedCrawl, redis_errors, share_frontier
from audit.store import RunStatus, Store, StoreError
from crawler.crawl.frontier import FRONTIER_LOST, LEFT_STAT
from crawler.crawl.revalidate import reader_version
from crawler.crawl.spiders.portal import PortalSpider
from crawler.vocabulary.items import FetchedPage
from crawler.vocabulary.urls import canonical_url
from rules.settings import Settings

# One INFO line per page fetched: what `--verbose` shows (audit.run.logfile).
pages_log = logging.getLogger("govaudit.crawl")


class AuditInterrupted(Exception):
    """SIGINT or SIGTERM stopped the audit: the run is marked interrupted (never done), no report is
    written, and the same command resumes it."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


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
def interruptible() -> Iterator[None]:
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


def _check_redis(shared: SharedCrawl) -> None:
    """RedisUnavailable unless Redis answers now: scrapy-redis cannot start a crawl without it."""
    import redis

    try:
        redis.Redis.from_url(shared.redis_url, socket_timeout=10, socket_connect_timeout=5).ping()
    except redis_errors() as exc:
        raise RedisUnavailable() from exc


class FrontierLost(Exception):
    """Redis lost the crawl's frontier (it restarted without its data): the run is marked
    interrupted, and running the audit again resumes it from the store, which rebuilds the frontier."""


def crawl(
    store: Store,
    run_id: int,
    site_url: str,
    column: str | None,
    config: Settings,
    progress: CrawlProgress | None = None,
    resume: bool = False,
    shared: SharedCrawl | None = None,
) -> None:
    """Run the portal spider into `run_id`; blocks until the crawl ends (once per process).

    Raises StoreError when the store could not be written (a full disk): the crawl stops at
    once, everything committed before stays, and the run is marked failed where possible.
    Raises AuditInterrupted when SIGINT/SIGTERM stopped the crawl; the run is marked interrupted.
    """
    settings = scrapy_settings(store, run_id, config)
    if shared is not None:
        try:
            _check_redis(shared)
        except RedisUnavailable:
            store.finish_run(run_id, RunStatus.INTERRUPTED)
            raise
        share = None
        if shared.job is not None:
            share = json.dumps({"run_id": run_id, "url": site_url, "job": shared.job}, ensure_ascii=False)
        share_frontier(settings, shared, shared.run_base(store.db_url, run_id), share)
    # Unless it is in Redis, the queue of requests lives on disk (Scrapy's JOBDIR), one folder per run:
    # what a killed crawl left there is removed when the run resumes (it resumes from the store).
    frontier = None
    if shared is None:
        frontier = Path(tempfile.gettempdir()) / (
            "govaudit-frontier-" + hashlib.sha256(f"{os.getcwd()}#{store.db_url}#{run_id}".encode()).hexdigest()[:16]
        )
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
    process.crawl(
        crawler,
        url=site_url,
        column=column,
        config=config,
        resumed_run=ResumedRun(store, run_id) if resume else None,
        stored_copies=EarlierRun(store, earlier) if earlier is not None else None,
        stored_run=StoredRun(store, run_id),
        # The previous quarter's problem pages, asked for again: a page taken down is a result.
        recheck=recheck_urls(store, store.run(run_id)),
    )
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
    if crawler.stats.get_value("finish_reason") is None and shared is not None:
        # The spider never opened (Redis went away between the check and scrapy-redis's own): not a
        # crawl that found nothing, which would conclude the site unreachable.
        store.finish_run(run_id, RunStatus.INTERRUPTED)
        raise RedisUnavailable()
    if crawler.stats.get_value("finish_reason") == "closespider_pagecount":
        store.record_page_cap(run_id, config.crawl.max_pages, crawler.stats.get_value(LEFT_STAT))
    if store_failed(crawler):
        try:
            store.finish_run(run_id, RunStatus.FAILED)
        except StoreError:
            pass  # the store that failed the crawl may refuse this too; the run stays "running"
        raise StoreError(_STORE_FAILED_LINE)


_STORE_FAILED_LINE = (
    "数据库写入失败，检查已停止（已保存的内容不受影响）/ the database could not be written; "
    "the audit stopped and everything stored before is kept"
)


def store_failed(crawler) -> bool:
    return STORE_FAILED in (crawler.stats.get_value("finish_reason"), crawler.stats.get_value(STORE_FAILED))


def help_crawl(store: Store, shared: SharedCrawl, joined: str, config: Settings) -> tuple[str, int] | None:
    """Help crawl the run another process owns and advertised as `joined` (crawler.crawl.shared): take its
    queued requests, fetch and store them into the run, until its owner's crawl ends. Neither owns
    nor concludes the run. The site and how many answers this process fetched; None when the run
    is no longer joinable. Raises StoreError when the store could not be written."""
    import redis

    from crawler.crawl.shared import joinable_key

    try:
        advert = redis.Redis.from_url(shared.redis_url).hget(joinable_key(shared.prefix), joined)
    except redis_errors() as exc:
        raise RedisUnavailable() from exc
    if advert is None:
        return None
    advert = json.loads(advert)
    run_id = advert["run_id"]
    if shared.worker is not None:
        store.join_run(run_id, shared.worker)
    settings = scrapy_settings(store, run_id, config)
    # --max-pages counts what the owner reads (a helper's pages too): the owner stops, its helpers with it.
    settings.set("CLOSESPIDER_PAGECOUNT", 0)
    share_frontier(settings, shared, advert["keys"], None, helping=True)
    process = _AuditProcess(settings)
    crawler = process.create_crawler(PortalSpider)
    crawler.signals.connect(_log_page, signal=signals.item_scraped)
    earlier = store.copies_source(run_id)
    process.crawl(
        crawler,
        url=advert["url"],
        column=store.run(run_id).scope,
        config=config,
        helping=True,
        stored_copies=EarlierRun(store, earlier) if earlier is not None else None,
        stored_run=StoredRun(store, run_id),
    )
    process.start()
    if store_failed(crawler):
        raise StoreError(_STORE_FAILED_LINE)
    return advert["url"], crawler.stats.get_value("response_received_count", 0)


def scrapy_settings(store: Store, run_id: int, config: Settings) -> ScrapySettings:
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


def _log_page(item, response, spider) -> None:
    if isinstance(item, FetchedPage):
        pages_log.info("%s %s", item.error or item.status, item.url)
