"""Writes what the spider reads into the store as the crawl goes, so page bodies never pile up
in memory and an interrupted crawl keeps everything it already fetched."""
from __future__ import annotations

from datetime import date

from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

from audit.runner import conclude_run
from audit.store import Store, StoreError, default_db_url
from crawler.items import CertificateCheck, CheckedLink, ColumnMembership, FetchedPage

# The finish reason of a crawl stopped because the store could not be written.
STORE_FAILED = "store_failed"


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.store = Store(settings.get("GOVAUDIT_DB") or default_db_url())
        self.run_id: int | None = settings.get("GOVAUDIT_RUN_ID")
        # `scrapy crawl portal` without the govaudit CLI: the pipeline opens and concludes the run.
        self.owns_run = self.run_id is None
        self.failure: str | None = None
        self.closing = False

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self) -> None:
        if self.owns_run:
            spider = self.crawler.spider
            as_of = self.crawler.settings.get("GOVAUDIT_AS_OF") or date.today().isoformat()
            self.run_id = self.store.start_run(spider.start_url, date.fromisoformat(as_of), spider.scope,
                                               spider.audit_config.fingerprint)

    def process_item(self, item):
        try:
            if isinstance(item, FetchedPage):
                self.store.save_page(self.run_id, item)
            elif isinstance(item, CheckedLink):
                self.store.save_check(self.run_id, item)
            elif isinstance(item, CertificateCheck):
                self.store.save_certificate(self.run_id, item)
            elif isinstance(item, ColumnMembership):
                self.store.save_membership(self.run_id, item)
        except StoreError as exc:
            # A full disk or a lost database: stop cleanly; what was committed stays committed.
            self.failure = str(exc)
            if not self.closing:
                self.closing = True
                deferred_from_coro(self.crawler.engine.close_spider_async(reason=STORE_FAILED))
            raise DropItem(str(exc)) from exc
        return item

    def close_spider(self) -> None:
        if self.owns_run and self.failure is None:
            spider = self.crawler.spider
            conclude_run(self.store, self.run_id, spider.audit_config)
