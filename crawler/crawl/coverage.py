"""How much of each list the crawl has read, against what the list says it holds.

A CMS list declares its size (Hanweb totalrecord, TRS createPageHTML(n, …), "共N条 / 共N页"); the
crawl asks for the rest from what it actually received and stops when the declared count is read,
when a page fails, when a page brings nothing new, or at the crawl's max_list_pages. A list read
short of its declaration is a coverage gap: rules that need the whole list do not judge on part of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler.reading import PageList, PageReading
from crawler.vocabulary.items import ListCoverage
from crawler.vocabulary.urls import canonical_url


@dataclass
class ListProgress:
    """One list (keyed by its first page) as read so far."""

    column: str | None
    url: str
    declared_records: int | None = None
    declared_pages: int | None = None
    pages_read: int = 0
    items: set[str] = field(default_factory=set)
    # Every page of the list asked for (its first page included), in the order asked.
    requested: dict[str, None] = field(default_factory=dict)
    # Why the crawl stopped asking early (a failed page, a page with nothing new, the page limit).
    stopped: str | None = None
    # Pages known to exist were left unread (a page failed, or the page limit was reached).
    cut_short: bool = False

    def read(self, reading: PageReading | PageList) -> int:
        """Count a page of the list that was read (the page, or this list's part of a page that
        carries several); the number of items it listed for the first time."""
        self.pages_read += 1
        # A later page may state a larger total than the first (the list grew during the crawl).
        if reading.total_records is not None:
            self.declared_records = max(self.declared_records or 0, reading.total_records)
        if reading.total_pages is not None:
            self.declared_pages = max(self.declared_pages or 0, reading.total_pages)
        new = {canonical_url(item.url) for item in reading.list_items} - self.items
        self.items |= new
        return len(new)

    def stop(self, reason: str, *, cut_short: bool = False) -> None:
        if self.stopped is None:
            self.stopped = reason
        self.cut_short = self.cut_short or cut_short

    def page_number(self, url: str) -> int:
        """The page's place among the pages asked for (1 for the first page)."""
        return list(self.requested).index(url) + 1 if url in self.requested else len(self.requested) + 1

    @property
    def complete(self) -> bool:
        """Read as far as the list declares; a list that declares nothing is complete unless a page failed."""
        if self.declared_records is not None:
            return len(self.items) >= self.declared_records
        if self.declared_pages is not None:
            return self.pages_read >= self.declared_pages
        return not self.cut_short

    def shortfall(self) -> str | None:
        """Why the list was not read whole, in the bulletin's words (None when it was)."""
        if self.complete:
            return None
        if self.declared_records is not None:
            shown = f"列表声明{self.declared_records}条，读到{len(self.items)}条"
        elif self.declared_pages is not None:
            shown = f"列表声明{self.declared_pages}页，读到{self.pages_read}页"
        else:
            shown = f"读到{self.pages_read}页、{len(self.items)}条"
        return f"{shown}：{self.stopped or '检查结束时其余页面尚未读取'}"

    def record(self) -> ListCoverage:
        return ListCoverage(
            self.column or "",
            self.url,
            self.declared_records,
            self.declared_pages,
            len(self.items),
            self.pages_read,
            self.complete,
            self.shortfall(),
        )


def failed_reason(number: int, url: str, failure: str) -> str:
    return f"第{number}页无法读取（{failure}）：{url}"


def nothing_new_reason(number: int, url: str) -> str:
    return f"服务器对第{number}页未返回新的条目：{url}"


def limit_reason(limit: int) -> str:
    return f"已达每个列表最多读取{limit}页的上限（crawl.max_list_pages）"


class ListTracker:
    """Every list the crawl pages through, by (column, first page)."""

    def __init__(self) -> None:
        self._lists: dict[tuple[str | None, str], ListProgress] = {}

    def progress(self, column: str | None, url: str) -> ListProgress:
        key = (column, url)
        if key not in self._lists:
            self._lists[key] = ListProgress(column, url, requested={url: None})
        return self._lists[key]

    def get(self, column: str | None, url: str) -> ListProgress | None:
        return self._lists.get((column, url))
