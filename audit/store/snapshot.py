"""The store's snapshot building: a stored run read back as the rules' SiteSnapshot."""

from __future__ import annotations

import sys

from sqlalchemy import select

from audit.store.common import _is_html
from audit.store.models import (
    CertificateRecord,
    ColumnPage,
    HiddenLinkRecord,
    Link,
    LinkCheck,
    ListItem,
    ListRead,
    Page,
)
from audit.store.registers import load_registers
from crawler.vocabulary.items import ListCoverage
from crawler.vocabulary.reading import HiddenLink
from rules.settings import Settings
from rules.snapshot import Anchor, CheckView, ItemView, LinkView, MemberStep, PageView, SiteSnapshot

# The page columns a PageView shows (everything but the text and meta tags, read on demand).
_PAGE_VIEW_COLUMNS = (
    "url",
    "final_url",
    "status",
    "error",
    "content_type",
    "title",
    "publish_date",
    "doc_number",
    "publisher",
    "labels",
    "is_list",
    "empty_notice",
    "redirect_to",
    "written_date",
    "index_number",
    "topic",
    "validity",
    "disclosure_mode",
    "publish_date_source",
    "unread",
)


class Snapshots:
    """Snapshot building (a part of audit.store.Store, whose sessions it uses)."""

    def snapshot(self, run_id: int, config: Settings) -> SiteSnapshot:
        run = self.run(run_id)
        content = StoredRunContent(self, run_id)
        snap = SiteSnapshot(
            site_url=run.site_url,
            as_of=run.as_of,
            scope=run.scope,
            config=config,
            content=content,
            robots_forbidden=bool(run.robots_forbidden),
        )
        with self._sessions() as session:
            # Page text and the raw rows stay in the database: rules read text one page at a time,
            # and rows are streamed, so a 20k-page run is not held in memory twice.
            pages = session.execute(
                select(*(getattr(Page, name) for name in _PAGE_VIEW_COLUMNS))
                .where(Page.run_id == run_id)
                .execution_options(yield_per=1000)
            )
            # A 20k-page run holds half a million links and thousands of pages: each URL and each
            # repeated value (content type, publisher, labels…) is kept once, not per row; edges are
            # integer ids; meta tags are read on demand (StoredRunContent).
            shared: dict = {}
            for page in pages:
                url = sys.intern(page.url)
                snap.pages[url] = PageView(
                    url=url,
                    final_url=url if page.final_url == url else _shared(shared, page.final_url),
                    status=page.status,
                    error=page.error,
                    content_type=_shared(shared, page.content_type),
                    title=page.title,
                    publish_date=page.publish_date,
                    doc_number=page.doc_number,
                    publisher=_shared(shared, page.publisher),
                    labels=_shared(shared, tuple(page.labels or ())),
                    is_list=page.is_list,
                    empty_notice=page.empty_notice,
                    redirect_to=page.redirect_to,
                    written_date=page.written_date,
                    index_number=page.index_number,
                    topic=_shared(shared, page.topic),
                    validity=_shared(shared, page.validity),
                    disclosure_mode=_shared(shared, page.disclosure_mode),
                    publish_date_source=_shared(shared, page.publish_date_source),
                    is_html=_is_html(page.content_type),
                    unread=page.unread,
                )
            links = session.execute(
                select(Link.from_url, Link.to_url, Link.text, Link.on_site, Link.is_click)
                .where(Link.run_id == run_id, Link.tag.in_(("a", "redirect", "iframe")))
                .distinct()
                .execution_options(yield_per=5000)
            )
            for from_url, to_url, text, on_site, is_click in links:
                from_url, to_url = sys.intern(from_url), sys.intern(to_url)
                if on_site:
                    snap.edges.add(from_url, to_url, is_click)
                spec = config.column_for_anchor(text) if text else None
                if spec is not None:
                    snap.anchors[spec.key].append(Anchor(from_url, to_url, _shared(shared, text), on_site))
            content.follow_order(list(snap.pages))
            snap.certificate_problem = session.scalar(
                select(CertificateRecord.problem).where(CertificateRecord.run_id == run_id)
            )
            for url, status, error in session.execute(
                select(LinkCheck.url, LinkCheck.status, LinkCheck.error).where(LinkCheck.run_id == run_id)
            ):
                snap.checks[url] = CheckView(url, status, error)
            for column, url, role, via, reason in session.execute(
                select(ColumnPage.column, ColumnPage.url, ColumnPage.role, ColumnPage.via, ColumnPage.reason)
                .where(ColumnPage.run_id == run_id)
                .order_by(ColumnPage.id)
            ):
                url, role, via = sys.intern(url), _shared(shared, role), via and sys.intern(via)
                snap.members[column].append((url, role))
                snap.member_how.setdefault((column, url), MemberStep(role, via, _shared(shared, reason)))
                if via is not None:
                    snap.member_via[(column, url)].add(via)
            for read in session.scalars(select(ListRead).where(ListRead.run_id == run_id).order_by(ListRead.id)):
                snap.list_reads[read.column].append(
                    ListCoverage(
                        read.column,
                        read.url,
                        read.declared_records,
                        read.declared_pages,
                        read.items_read,
                        read.pages_read,
                        read.complete,
                        read.shortfall,
                    )
                )
            rows = session.execute(
                select(ListItem.page_url, ListItem.title, ListItem.url, ListItem.date, ListItem.main_list)
                .where(ListItem.run_id == run_id)
                .order_by(ListItem.page_url, ListItem.main_list, ListItem.position)
                .execution_options(yield_per=5000)
            )
            for page_url, title, url, item_date, main_list in rows:
                target = snap.main_items if main_list else snap.dated_links
                target[page_url].append(ItemView(sys.intern(page_url), title, sys.intern(url), item_date))
            for page_url, url, text, how in session.execute(
                select(HiddenLinkRecord.page_url, HiddenLinkRecord.url, HiddenLinkRecord.text, HiddenLinkRecord.how)
                .where(HiddenLinkRecord.run_id == run_id)
                .order_by(HiddenLinkRecord.id)
            ):
                snap.hidden_links[page_url].append(HiddenLink(url, text, how))
        snap.registers = load_registers(self, run.quarter, run.site_url).with_units(config.units)
        return snap


def _shared(shared: dict, value):
    """One object for equal values across the snapshot's rows."""
    return shared.setdefault(value, value) if value is not None else None


class StoredRunContent:
    """Page text and links of one stored run, read when a rule asks for them.

    Rules walk the pages in the snapshot's order, so text (and meta tags) are read a batch of pages
    ahead: one query per batch instead of one per page, and only one batch held in memory. Links
    too, when asked for page after page in that order (the privacy rules read every page's: a query
    per page cost them 0.7 ms a page); a rule asking for a page here and there reads that page's.
    """

    TEXT_BATCH = 500
    # Pages skipped between two asks that still count as walking in order (attachments have no links).
    LINK_WALK_GAP = 8

    def __init__(self, store: Snapshots, run_id: int):
        self._store = store
        self._run_id = run_id
        self._order: dict[str, int] = {}
        self._urls: list[str] = []
        self._texts: dict[str, str | None] = {}
        self._meta_tags: dict[str, dict[str, str] | None] = {}
        self._links_ahead: dict[str, list[LinkView]] = {}
        self._last_linked = -1

    def follow_order(self, urls: list[str]) -> None:
        """The order rules walk the pages in (the snapshot's)."""
        self._urls = urls
        self._order = {url: position for position, url in enumerate(urls)}

    def text_of(self, url: str) -> str:
        if url not in self._texts:
            self._texts = self._batch(Page.text, url)
        return self._texts.get(url) or ""

    def meta_tags_of(self, url: str) -> dict[str, str]:
        if url not in self._meta_tags:
            self._meta_tags = self._batch(Page.meta_tags, url)
        return self._meta_tags.get(url) or {}

    def _batch(self, column, url: str) -> dict:
        """`column` of the pages from `url` on in the snapshot's order, one batch of them."""
        start = self._order.get(url)
        batch = [url] if start is None else self._urls[start : start + self.TEXT_BATCH]
        with self._store.reading() as session:
            rows = session.execute(select(Page.url, column).where(Page.run_id == self._run_id, Page.url.in_(batch)))
            found = dict.fromkeys(batch)
            found.update(rows.all())
        return found

    def links_from(self, url: str) -> list[LinkView]:
        position = self._order.get(url)
        if position is None:
            return self._links(Link.from_url == url)
        walking = 0 < position - self._last_linked <= self.LINK_WALK_GAP
        self._last_linked = position
        if url not in self._links_ahead:
            if not walking:
                return self._links(Link.from_url == url)
            batch = self._urls[position : position + self.TEXT_BATCH]
            ahead: dict[str, list[LinkView]] = {page: [] for page in batch}
            for link in self._links(Link.from_url.in_(batch)):
                ahead[link.from_url].append(link)
            self._links_ahead = ahead
        return list(self._links_ahead[url])

    def links_to(self, url: str) -> list[LinkView]:
        return self._links(Link.to_url == url)

    def offsite_links(self) -> list[LinkView]:
        return self._links(Link.on_site.is_(False))

    def _links(self, condition) -> list[LinkView]:
        with self._store.reading() as session:
            rows = session.execute(
                select(Link.from_url, Link.to_url, Link.text, Link.tag, Link.on_site)
                .where(Link.run_id == self._run_id, condition)
                .order_by(Link.id)
            )
            return [LinkView(*row) for row in rows]
