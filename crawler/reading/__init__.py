"""The page reader: bytes of a fetched page in, a PageReading out.

`read_page` never raises; on input it cannot make sense of it returns a mostly
empty PageReading for the URL.
"""

from __future__ import annotations

import logging
from datetime import date

from crawler.vocabulary.reading import (
    Crumb,
    DatedValue,
    FormRequest,
    LinkRef,
    LinkRegion,
    ListEntry,
    PageList,
    PageReading,
)

from .adapters import choose_adapter
from .page import parse_page
from .scripted import looks_like_json, read_json_list

__all__ = [
    "read_page",
    "PageReading",
    "ListEntry",
    "PageList",
    "LinkRef",
    "LinkRegion",
    "Crumb",
    "DatedValue",
    "FormRequest",
]

log = logging.getLogger(__name__)


def read_page(
    body: bytes,
    url: str,
    *,
    content_type: str | None = None,
    encoding: str | None = None,
    reference_date: date | None = None,
) -> PageReading:
    """Read one fetched HTML page (or the JSON answer a list page's script asks for).

    content_type is the HTTP Content-Type header (its charset is a hint), encoding an
    explicit charset hint. reference_date ("today") bounds years guessed for month-day
    dates; it defaults to the current date.
    """
    try:
        body = body if isinstance(body, bytes) else bytes(body or b"")
        if looks_like_json(body, content_type):
            listed = read_json_list(body, url)
            if listed is not None:
                return listed
        page = parse_page(
            body,
            url,
            content_type=content_type,
            encoding=encoding,
            reference=reference_date or date.today(),
        )
        return choose_adapter(page).read(page)
    except MemoryError:
        raise  # the reader process's memory cap: the page is recorded as too big (crawler.crawl.budget)
    except Exception:  # the contract: a crawl never dies on one page
        log.exception("page reader failed on %s", url)
        return PageReading(url=url)
