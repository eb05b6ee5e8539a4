"""Database models: what a crawl stored and what the rules found.

A run holds one reference row per fetched URL (page); what a page said is stored once however many
runs saw it: the body under its content digest (page_content), the reading with its links and list
rows under the digest of the reading (page_version). Links and list rows refer to pages by URL rather
than by id: the crawler writes them as it goes, before the pages they point to have been fetched.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

URL = String(2048)


class Base(DeclarativeBase):
    pass


class RunStatus(str, enum.Enum):
    """Where an audit run stands: running → done | unreachable (finished, judged) | interrupted
    (to be resumed) | failed (the crawl broke)."""

    RUNNING = "running"
    DONE = "done"
    UNREACHABLE = "unreachable"
    INTERRUPTED = "interrupted"
    FAILED = "failed"

    def __str__(self) -> str:
        return self.value

    # Statuses come back from the database as plain strings: hash as the string they equal.
    __hash__ = str.__hash__


# A finished run: judged, with findings (a site that could not be reached is judged too).
FINISHED = (RunStatus.DONE, RunStatus.UNREACHABLE)
# A run that is not finished: resumable once its process is gone.
UNFINISHED = (RunStatus.RUNNING, RunStatus.INTERRUPTED)


class AuditRun(Base):
    __tablename__ = "audit_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_url: Mapped[str] = mapped_column(URL)
    as_of: Mapped[date]
    # None for a whole-portal audit, else the key of the one column audited.
    scope: Mapped[str | None] = mapped_column(String(32))
    config_fingerprint: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    # A RunStatus.
    status: Mapped[str] = mapped_column(String(16), default=RunStatus.RUNNING.value)
    # The quarter the run reports on (2022Q3), from as_of; None on rows stored before it existed.
    quarter: Mapped[str | None] = mapped_column(String(8), index=True)
    # The process crawling the run: an unfinished run whose process is gone can be resumed.
    owner_host: Mapped[str | None] = mapped_column(String(255))
    owner_pid: Mapped[int | None]
    # Rules the run did not judge because what they need lies in pages it did not read (a
    # one-column check without the site's 政策解读 column); None on rows stored before it existed.
    unjudged_rules: Mapped[list | None] = mapped_column(JSON)
    # [rule id, page URL] of each page a rule could not judge within its time budget
    # (audit.judging.judge.PageBudget): 未能完整检查 there. None on rows stored before it existed.
    rule_overruns: Mapped[list | None] = mapped_column(JSON)
    # robots.txt forbade the auditor the whole site (the crawl went on); None on rows stored before.
    robots_forbidden: Mapped[bool | None]
    # Bytes the crawl received (status lines, headers and bodies as sent), over all its sessions.
    bytes_received: Mapped[int | None] = mapped_column(BigInteger)
    # Which page reader read the pages (crawler.crawl.revalidate.reader_version): a later run reuses a
    # stored reading of an unchanged page only when the same reader made it.
    reader_version: Mapped[str | None] = mapped_column(String(16))
    # --max-pages stopped the crawl at this many pages, with pages_left requests still queued
    # (both None when the crawl ran to its end).
    page_cap: Mapped[int | None]
    pages_left: Mapped[int | None]
    # The workers (govaudit worker, by name) that crawled or concluded the run, in the order they
    # joined it; None for a run of a single `govaudit audit`.
    workers: Mapped[list | None] = mapped_column(JSON)


class PageContent(Base):
    """An HTML page's body as received (after transfer decoding), zlib-compressed, stored once under
    its SHA-256 digest however many runs and sites fetched the same bytes: the copy of the page a
    finding points at, shown as it was (reports.evidence) when the site has changed or denies it."""

    __tablename__ = "page_content"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    body: Mapped[bytes] = mapped_column(LargeBinary)


class PageVersion(Base):
    """What the page reader read from one version of a page (or the text of a document): stored once
    under the digest of all of it, and referred to by every run whose fetch read the same. Its links,
    list rows and hidden links are compact encoded lists (audit.store.versions), not a row each:
    they belong to the version, not to the runs that saw it."""

    __tablename__ = "page_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 (hex) of everything below (audit.store.versions): equal readings are stored once.
    key: Mapped[str] = mapped_column(String(64), unique=True)
    # SHA-256 (hex) of the body as received, after transfer decoding; for an HTML page the body is
    # kept in page_content under it. None on rows stored before it existed.
    digest: Mapped[str | None] = mapped_column(String(64))
    cms: Mapped[str | None] = mapped_column(String(32))
    encoding: Mapped[str | None] = mapped_column(String(32))
    title: Mapped[str | None] = mapped_column(Text)
    publish_date: Mapped[date | None]
    publish_date_source: Mapped[str | None] = mapped_column(String(16))
    written_date: Mapped[date | None]
    doc_number: Mapped[str | None] = mapped_column(String(256))
    publisher: Mapped[str | None] = mapped_column(String(256))
    index_number: Mapped[str | None] = mapped_column(String(256))
    topic: Mapped[str | None] = mapped_column(String(256))
    validity: Mapped[str | None] = mapped_column(String(64))
    disclosure_mode: Mapped[str | None] = mapped_column(String(64))
    labels: Mapped[list] = mapped_column(JSON, default=list)
    is_list: Mapped[bool] = mapped_column(default=False)
    empty_notice: Mapped[bool] = mapped_column(default=False)
    total_pages: Mapped[int | None]
    # The number of records a list page says its list holds (Hanweb totalrecord, "共N条").
    total_records: Mapped[int | None]
    redirect_to: Mapped[str | None] = mapped_column(URL)
    # POSTs that load further rows of this list (Hanweb dataproxy.jsp): [{"url", "formdata"}].
    more_requests: Mapped[list | None] = mapped_column(JSON)
    # A page that carries several lists (tabs, boxes): each list's row count (its rows follow one
    # another in the main list rows) and paging, [{"rows", "next_pages", "total_pages",
    # "total_records", "more_requests"}], so that a resumed or re-audited run follows each list as a
    # fetch does.
    lists: Mapped[list | None] = mapped_column(JSON)
    # The page's text (or the text read out of a document) and its meta tags (JSON), zlib-compressed
    # (audit.store.versions): read a batch of pages at a time, when a rule asks.
    text: Mapped[bytes | None] = mapped_column(LargeBinary)
    meta_tags: Mapped[bytes | None] = mapped_column(LargeBinary)
    # The 当前位置 trail, home first: [{"text", "url"}] (url None for the current page).
    breadcrumb: Mapped[list | None] = mapped_column(JSON)
    # zlib-compressed JSON lists (audit.store.versions): the links [to_url, text, tag, on_site,
    # is_click, region], the list rows [main_list, title, url, date, date_source] in page order, and
    # the hidden links [url, text, how]. None when there are none.
    links: Mapped[bytes | None] = mapped_column(LargeBinary)
    list_rows: Mapped[bytes | None] = mapped_column(LargeBinary)
    hidden_links: Mapped[bytes | None] = mapped_column(LargeBinary)


class Page(Base):
    """One fetched URL (HTML page or other resource) in one run, or the error fetching it gave: the
    answer's own facts, and references to the body (page_content) and what was read (page_version),
    which runs share when the page did not change."""

    __tablename__ = "page"
    __table_args__ = (UniqueConstraint("run_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed by the (run_id, url) constraint: no index of its own.
    run_id: Mapped[int] = mapped_column(ForeignKey("audit_run.id"))
    url: Mapped[str] = mapped_column(URL)
    # The URL that answered after redirects; None when it was `url` itself (or nothing answered).
    final_url: Mapped[str | None] = mapped_column(URL)
    status: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
    content_type: Mapped[str | None] = mapped_column(String(128))
    fetched_at: Mapped[datetime]
    # The body was cut at the crawler's size cap.
    truncated: Mapped[bool] = mapped_column(default=False)
    # 未能读取（超时） / 未能读取（过大）: the reader went over its budget (crawler.crawl.budget).
    unread: Mapped[str | None] = mapped_column(String(32))
    # The answer's validators, sent back on the site's next audit (If-None-Match, If-Modified-Since).
    etag: Mapped[str | None] = mapped_column(String(256))
    last_modified: Mapped[str | None] = mapped_column(String(64))
    # True: the server answered 304 Not Modified and the copy an earlier run stored was reused.
    not_modified: Mapped[bool | None]
    # What was received and read (None for an error): shared with every run that received the same.
    version_id: Mapped[int | None] = mapped_column(ForeignKey("page_version.id"), index=True)


class LinkCheck(Base):
    """The answer of a link target that was checked rather than fetched as a page."""

    __tablename__ = "link_check"
    __table_args__ = (UniqueConstraint("run_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("audit_run.id"), index=True)
    url: Mapped[str] = mapped_column(URL)
    final_url: Mapped[str | None] = mapped_column(URL)
    status: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
    method: Mapped[str] = mapped_column(String(8))
    checked_at: Mapped[datetime]


class CertificateRecord(Base):
    """The audited host's HTTPS certificate as a browser sees it (problem None: it verifies)."""

    __tablename__ = "certificate_check"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("audit_run.id"), index=True)
    host: Mapped[str] = mapped_column(String(255))
    problem: Mapped[str | None] = mapped_column(Text)
    checked_at: Mapped[datetime]


class ColumnPage(Base):
    """The crawler followed `url` as part of a column (required or support): its index, a sub-column,
    a further page of one of its lists, or one of its items."""

    __tablename__ = "column_page"
    __table_args__ = (UniqueConstraint("run_id", "column", "url", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("audit_run.id"), index=True)
    column: Mapped[str] = mapped_column(String(32))
    url: Mapped[str] = mapped_column(URL)
    role: Mapped[str] = mapped_column(String(16))  # index | sub | paging | item
    via: Mapped[str | None] = mapped_column(URL)
    # Why the page belongs to the column (crawler.vocabulary.columns.MemberReason); None on older rows.
    reason: Mapped[str | None] = mapped_column(String(16))


class ListRead(Base):
    """How much of one list of a required column the crawl read (url: the list's first page):
    the size the list declares, what came back, and why it fell short. A list read short is a
    coverage gap: rules that need the whole list do not judge that column on part of it."""

    __tablename__ = "list_read"
    __table_args__ = (UniqueConstraint("run_id", "column", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("audit_run.id"), index=True)
    column: Mapped[str] = mapped_column(String(32))
    url: Mapped[str] = mapped_column(URL)
    declared_records: Mapped[int | None]
    declared_pages: Mapped[int | None]
    items_read: Mapped[int]
    pages_read: Mapped[int]
    complete: Mapped[bool]
    shortfall: Mapped[str | None] = mapped_column(Text)


class FindingRecord(Base):
    __tablename__ = "finding"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("audit_run.id"), index=True)
    rule: Mapped[str] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(URL)
    column: Mapped[str | None] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text)
    # Stable across runs (rule + canonical URL + locator; audit/history.py), so runs compare.
    fingerprint: Mapped[str | None] = mapped_column(String(32), index=True)
    # 责任单位 (one or more) and where the attribution came from: column | publisher | site.
    units: Mapped[list | None] = mapped_column(JSON)
    unit_source: Mapped[str | None] = mapped_column(String(16))
    # The scoring indicator (audit/scoring.py) the finding deducts from, None when not scored.
    indicator: Mapped[str | None] = mapped_column(String(32))
    # Why the page was judged part of its column (所属栏目：… › …), None for pages of no column.
    membership: Mapped[str | None] = mapped_column(Text)
    # What the rule stated beyond its words ({"sectors": ["供电"]}; rules/base.py Facts), {} if nothing.
    facts: Mapped[dict] = mapped_column(JSON, default=dict)
