"""Between the crawl and the store: the pipeline writes what the spider reads into the store as the
crawl goes (it only stores items: the run is started and concluded by audit.run.lifecycle), so page
bodies never pile up in memory and an interrupted crawl keeps everything it already fetched; ResumedRun hands a resumed crawl what the interrupted one stored, EarlierRun hands a
re-audit the copies the site's last audit stored (for conditional requests)."""

from __future__ import annotations

import time

from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

from audit.store import Store, StoreError, default_db_url
from crawler.crawl.revalidate import StoredCopy
from crawler.reading import PageReading
from crawler.vocabulary.items import (
    Answered,
    CertificateCheck,
    CheckedLink,
    ColumnMembership,
    FetchedPage,
    ListCoverage,
    RobotsRefusal,
    UnchangedPage,
    answers_stored,
)

# The finish reason of a crawl stopped because the store could not be written.
STORE_FAILED = "store_failed"
# Sent with run_id= when the run the items go to is started during the crawl (`scrapy crawl portal`:
# audit.run.extension); under govaudit the run is known before (GOVAUDIT_RUN_ID).
run_started = object()
# Items are written in one transaction per this many, or per this many seconds, whichever comes
# first: a commit per page was half the crawler's time. A killed crawl loses at most that much,
# which resuming fetches again.
BATCH_ITEMS = 200
BATCH_SECONDS = 1.0


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.store = Store(settings.get("GOVAUDIT_DB") or default_db_url())
        self.run_id: int | None = settings.get("GOVAUDIT_RUN_ID")
        self.failure: str | None = None
        self.closing = False
        self._pending: list = []
        self._since = time.monotonic()
        # Bytes received so far that the run's row already counts.
        self._bytes_counted = 0
        # A batch is also written when no item comes to fill it: a helper's answers wait on it.
        self._timer = task.LoopingCall(self._flush_due)

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline._run_started, signal=run_started)
        return pipeline

    def _run_started(self, run_id: int) -> None:
        self.run_id = run_id

    def open_spider(self) -> None:
        self._timer.start(BATCH_SECONDS, now=False)

    def process_item(self, item):
        if self.failure is not None:
            raise DropItem(self.failure)
        self._pending.append(item)
        if len(self._pending) >= BATCH_ITEMS or time.monotonic() - self._since >= BATCH_SECONDS:
            self._flush()
        return item

    def _flush_due(self) -> None:
        if self._pending and self.failure is None and time.monotonic() - self._since >= BATCH_SECONDS:
            try:
                self._flush()
            except DropItem:
                pass  # the crawl is being stopped (_fail)

    def _flush(self) -> None:
        pending, self._pending, self._since = self._pending, [], time.monotonic()
        # The bytes received since the last batch are added to the run with the pages they brought.
        received = self.crawler.stats.get_value("downloader/response_bytes", 0)
        try:
            with self.store.batch():
                for item in pending:
                    self._save(item)
                if received > self._bytes_counted:
                    self.store.add_bytes_received(self.run_id, received - self._bytes_counted)
            self._bytes_counted = received
        except StoreError:
            # The batch did not fit (a full disk): keep what does, one item a transaction, up to
            # the first that fails, so a stopped crawl loses no more than it must.
            try:
                for item in pending:
                    self._save(item)
            except StoreError as exc:
                self._fail(exc)
        answers = [item for item in pending if isinstance(item, Answered)]
        if answers:
            self.crawler.signals.send_catch_log(answers_stored, answers=answers)

    def _fail(self, exc: StoreError) -> None:
        """A full disk or a lost database: stop cleanly; what was committed stays committed."""
        self.failure = str(exc)
        # Also when the last batch fails as the crawl closes (its finish reason is then set).
        self.crawler.stats.set_value(STORE_FAILED, True)
        if not self.closing:
            self.closing = True
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=STORE_FAILED))
        raise DropItem(str(exc)) from exc

    def _save(self, item) -> None:
        save = _SAVERS.get(type(item))
        if save is not None:
            save(self.store, self.run_id, item)

    def close_spider(self) -> None:
        if self._timer.running:
            self._timer.stop()
        if self.failure is None:
            try:
                self._flush()
            except DropItem:
                return
        self.store.engine.dispose()  # the run's own store goes on without this one's connections


# What each kind of item is stored by (the items are final dataclasses: their type is the kind).
_SAVERS = {
    FetchedPage: lambda store, run_id, item: store.save_page(run_id, item),
    UnchangedPage: lambda store, run_id, item: store.copy_page(run_id, item.run_id, item.url),
    CheckedLink: lambda store, run_id, item: store.save_check(run_id, item),
    CertificateCheck: lambda store, run_id, item: store.save_certificate(run_id, item),
    RobotsRefusal: lambda store, run_id, item: store.save_robots_refusal(run_id),
    ColumnMembership: lambda store, run_id, item: store.save_membership(run_id, item),
    ListCoverage: lambda store, run_id, item: store.save_list_read(run_id, item),
}


class StoredRun:
    """The run being crawled, as stored so far: a page another process fetched into it (a helper,
    or the interrupted run being resumed) is read back from here."""

    def __init__(self, store: Store, run_id: int):
        self._store = store
        self._run_id = run_id
        self.robots_forbidden = bool(store.run(run_id).robots_forbidden)

    def reading(self, url: str) -> PageReading:
        return self._store.load_reading(self._run_id, url)


class ResumedRun(StoredRun):
    """An interrupted run being resumed: the pages it read are replayed from the store
    (the spider's ReplaySource)."""

    def __init__(self, store: Store, run_id: int):
        super().__init__(store, run_id)
        self._index = store.replay_index(run_id)

    def has_read(self, url: str) -> bool:
        return url in self._index.read

    def has_stored(self, url: str) -> bool:
        return url in self._index.stored

    def has_answer(self, url: str) -> bool:
        return url in self._index.stored or url in self._index.checked


class EarlierRun:
    """The last audit of the same site, read by the same page reader: the copies it stored are asked
    for again conditionally (the spider's StoredCopies)."""

    def __init__(self, store: Store, run_id: int):
        self._store = store
        self.run_id = run_id
        self._copies = store.stored_copies(run_id)

    def copy(self, url: str) -> StoredCopy | None:
        return self._copies.get(url)

    def reading(self, url: str) -> PageReading:
        return self._store.load_reading(self.run_id, url)
