"""What the spider hands to the store: fetched pages and the columns it followed them for."""
from __future__ import annotations

from dataclasses import dataclass

from crawler.reading import PageReading


@dataclass
class FetchedPage:
    """One fetch: the URL as requested, what came back, and what the page reader read."""

    url: str
    final_url: str | None
    status: int | None
    content_type: str | None
    error: str | None
    reading: PageReading | None


@dataclass(frozen=True)
class ColumnMembership:
    """The spider followed `url` as the `role` (index/sub/paging/item) of required column `column`."""

    column: str
    url: str
    role: str
    via: str | None
