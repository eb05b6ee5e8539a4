"""`scrapy crawl portal` as an audit: a Scrapy extension that runs the same lifecycle as `govaudit
audit` (audit.run.lifecycle.Audit) around the spider: spider_opened starts the run, spider_closed
concludes it. Under govaudit (GOVAUDIT_RUN_ID set) the run is the CLI's, and the extension stays off."""

from __future__ import annotations

from datetime import date

from scrapy import signals
from scrapy.exceptions import NotConfigured

from audit.run.lifecycle import Audit
from audit.run.pipeline import STORE_FAILED, run_started
from audit.store import Store, default_db_url


class RunLifecycle:
    def __init__(self, crawler):
        self.crawler = crawler
        self.audit: Audit | None = None

    @classmethod
    def from_crawler(cls, crawler):
        if crawler.settings.get("GOVAUDIT_RUN_ID") is not None:
            raise NotConfigured("the govaudit command runs the audit")
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider) -> None:
        settings = self.crawler.settings
        as_of = date.fromisoformat(settings.get("GOVAUDIT_AS_OF") or date.today().isoformat())
        store = Store(settings.get("GOVAUDIT_DB") or default_db_url())
        self.audit = Audit(store, spider.audit_config, spider.start_url, as_of, spider.scope)
        # Always a new run: this spider was built without the store's replay of an interrupted one.
        self.crawler.signals.send_catch_log(run_started, run_id=self.audit.start(resume=False))

    def spider_closed(self, spider, reason: str) -> None:
        if self.audit is None:
            return
        try:
            # A crawl stopped because the store could not be written is not judged (it stays unfinished).
            if reason != STORE_FAILED and not self.crawler.stats.get_value(STORE_FAILED):
                self.audit.conclude()
        finally:
            self.audit.store.engine.dispose()
