"""Crawl progress on stderr: pages done, queued and failed, live on a terminal, in lines otherwise."""

from __future__ import annotations

import time

from rich.console import Console
from rich.live import Live
from rich.text import Text
from scrapy import signals

from crawler.vocabulary.items import FetchedPage


class CrawlProgress:
    def __init__(self, console: Console):
        self.console = console
        self._seen: set[str] = set()
        self._failed: set[str] = set()
        self._crawler = None
        self._live: Live | None = None
        self._last_line = 0.0

    def attach(self, crawler) -> None:
        self._crawler = crawler
        crawler.signals.connect(self._on_item, signal=signals.item_scraped)
        crawler.signals.connect(self._on_open, signal=signals.spider_opened)
        crawler.signals.connect(self._on_close, signal=signals.spider_closed)

    @property
    def queued(self) -> int:
        stats = self._crawler.stats if self._crawler is not None else None
        if stats is None:
            return 0
        return max(0, (stats.get_value("scheduler/enqueued") or 0) - (stats.get_value("scheduler/dequeued") or 0))

    def line(self) -> Text:
        return Text(f"已检查页面 {len(self._seen)} · 待抓取 {self.queued} · 错误 {len(self._failed)}")

    def _on_open(self, spider) -> None:
        if self.console.is_terminal:
            self._live = Live(self.line(), console=self.console, refresh_per_second=4, transient=True)
            self._live.start()

    def _on_item(self, item, response, spider) -> None:
        if not isinstance(item, FetchedPage):
            return
        # A page fetched again for a second column role is still one page.
        self._seen.add(item.url)
        if item.error is not None or (item.status is not None and item.status >= 400):
            self._failed.add(item.url)
        if self._live is not None:
            self._live.update(self.line())
        elif time.monotonic() - self._last_line >= 5:
            self._last_line = time.monotonic()
            self.console.print(self.line())

    def _on_close(self, spider, reason) -> None:
        # The crawler holds the spider and all it learnt of the site: let it go before the rules
        # phase builds its snapshot (a 20k-page crawl's sets are tens of MB).
        self._crawler = None
        if self._live is not None:
            self._live.stop()
            self._live = None
        self.console.print(self.line())
