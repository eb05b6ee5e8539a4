"""What the spider hands to the store: fetched pages and the columns it followed them for."""

from __future__ import annotations

from dataclasses import dataclass

from crawler.vocabulary.reading import PageReading


@dataclass
class FetchedPage:
    """One fetch: the URL as requested, what came back, and what the page reader read."""

    url: str
    final_url: str | None
    status: int | None
    content_type: str | None
    error: str | None
    reading: PageReading | None
    # Text read out of a non-HTML resource (an attachment: .xlsx, .docx, .pdf …).
    attachment_text: str | None = None
    # The body was cut at the size cap; what was read is kept.
    truncated: bool = False
    # Why the page or attachment was not read: over its time or memory budget (crawler.crawl.budget).
    unread: str | None = None
    # The answer's validators, for the next audit's conditional requests (crawler.crawl.revalidate).
    etag: str | None = None
    last_modified: str | None = None
    # An HTML page's body as received, zlib-compressed (the kept copy of the page; None otherwise).
    body: bytes | None = None
    # SHA-256 (hex) of the body as received, after transfer decoding (None when nothing was received
    # whole: an error, a body over its decoding cap).
    digest: str | None = None


@dataclass(frozen=True)
class UnchangedPage:
    """The server answered 304 Not Modified for `url`: the copy run `run_id` stored stands, and is
    taken into this run as fetched now."""

    url: str
    run_id: int


# The method of a check that asked again for a page the previous run reported a problem on: it tells
# whether the page is still there (404/410: taken down), never that its content was judged.
RECHECK = "RECHECK"


@dataclass(frozen=True)
class CheckedLink:
    """The answer a link target gave to a check (HEAD, then a GET stopped after the headers), or a
    previous problem page to a recheck (method RECHECK)."""

    url: str
    final_url: str | None
    status: int | None
    error: str | None
    method: str


@dataclass(frozen=True)
class ColumnMembership:
    """The spider followed `url` as the `role` (index/sub/paging/item) of column `column` (required or
    support), from the page `via`, for `reason` (a crawler.vocabulary.columns.MemberReason)."""

    column: str
    url: str
    role: str
    via: str | None
    reason: str


@dataclass(frozen=True)
class RobotsRefusal:
    """robots.txt forbids the auditor the audited site's home page: the whole site. The crawl goes on
    without obeying it (as the national monitor does); the refusal is a finding of its own."""

    url: str


@dataclass(frozen=True)
class CertificateCheck:
    """The HTTPS certificate of the audited host, verified as a browser would (problem None: fine)."""

    host: str
    problem: str | None


@dataclass(frozen=True)
class ListCoverage:
    """How much of one list of required column `column` was read (url: the list's first page):
    what the list declares, what came back, and why it was read short (None when it was not)."""

    column: str
    url: str
    declared_records: int | None
    declared_pages: int | None
    items_read: int
    pages_read: int
    complete: bool
    shortfall: str | None


# What a helper's spider says it did with a request of a run another process crawls (crawler.crawl.shared):
# READ the page is stored and read (the owner follows it), FAILED a further page of a list did not
# answer (the owner reads the list short), REFUSED robots.txt kept the helper out (the owner decides
# what to check instead), DONE nothing is left to decide.
READ, FAILED, REFUSED, DONE = "read", "failed", "refused", "done"


@dataclass
class Answered:
    """A helper answered a request it took from a shared run: published to the run's owner once
    what the answer brought is stored (so the owner can read it back from the store)."""

    outcome: str
    reason: str | None = None
    final_url: str | None = None
    # The request's lease (crawler.crawl.shared), set by the helper's frontier.
    lease: str | None = None


# Sent by the store pipeline with the Answered items of a batch once the batch is committed.
answers_stored = object()
