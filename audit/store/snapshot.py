"""The store's snapshot building: a stored run read back as the rules' SiteSnapshot."""

from __future__ import annotations

import sys
from array import array

from sqlalchemy import select

from audit.store.common import _is_html
from audit.store.models import CertificateRecord, ColumnPage, LinkCheck, ListRead, Page, PageContent, PageVersion
from audit.store.registers import load_registers
from audit.store.versions import list_row_date, unpack, unpack_text
from crawler.vocabulary.items import ListCoverage
from crawler.vocabulary.reading import HiddenLink
from rules.settings import Settings
from rules.snapshot import Anchor, CheckView, ItemView, LinkView, MemberStep, PageView, SiteSnapshot

# The columns a PageView shows (everything but the text and meta tags, read on demand): the fetch's
# own, then what was read.
_PAGE_VIEW_COLUMNS = (
    Page.url,
    Page.final_url,
    Page.status,
    Page.error,
    Page.content_type,
    Page.unread,
    PageVersion.title,
    PageVersion.publish_date,
    PageVersion.doc_number,
    PageVersion.publisher,
    PageVersion.labels,
    PageVersion.is_list,
    PageVersion.empty_notice,
    PageVersion.redirect_to,
    PageVersion.written_date,
    PageVersion.index_number,
    PageVersion.topic,
    PageVersion.validity,
    PageVersion.disclosure_mode,
    PageVersion.publish_date_source,
)
# Link tags that are clicks or lead on (the snapshot's edges and anchors).
_EDGE_TAGS = frozenset({"a", "redirect", "iframe"})


def run_versions(run_id: int, column, *more):
    """(page URL, `column` of its version, *more) of every page of run `run_id` whose version has it."""
    return (
        select(Page.url, column, *more)
        .join(PageVersion, PageVersion.id == Page.version_id)
        .where(Page.run_id == run_id, column.is_not(None))
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
                select(*_PAGE_VIEW_COLUMNS)
                .outerjoin(PageVersion, PageVersion.id == Page.version_id)
                .where(Page.run_id == run_id)
                .order_by(Page.id)
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
                    # Stored only when another URL answered; an answer came from the URL itself.
                    final_url=_shared(shared, page.final_url) or (url if page.status is not None else None),
                    status=page.status,
                    error=page.error,
                    content_type=_shared(shared, page.content_type),
                    title=page.title,
                    publish_date=page.publish_date,
                    doc_number=page.doc_number,
                    publisher=_shared(shared, page.publisher),
                    labels=_shared(shared, tuple(page.labels or ())),
                    is_list=bool(page.is_list),
                    empty_notice=bool(page.empty_notice),
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
            content.follow_order(list(snap.pages))
            # Each version's links are one encoded list: read once here for the edges and anchors and
            # for the index of the pages linking each target (StoredRunContent.links_to).
            linked_from: dict[str, array] = {}
            order = content.order
            for from_url, packed in session.execute(
                run_versions(run_id, PageVersion.links).order_by(Page.id).execution_options(yield_per=1000)
            ):
                from_url = sys.intern(from_url)
                position = order[from_url]
                seen = set()
                for to_url, text, tag, on_site, is_click, _ in unpack(packed):
                    to_url = sys.intern(to_url)
                    positions = linked_from.get(to_url)
                    if positions is None:
                        positions = linked_from[to_url] = array("i")
                    if not positions or positions[-1] != position:
                        positions.append(position)
                    if tag not in _EDGE_TAGS or (to_url, text, on_site, is_click) in seen:
                        continue
                    seen.add((to_url, text, on_site, is_click))
                    if on_site:
                        snap.edges.add(from_url, to_url, is_click)
                    spec = config.column_for_anchor(text) if text else None
                    if spec is not None:
                        snap.anchors[spec.key].append(Anchor(from_url, to_url, _shared(shared, text), on_site))
            content.linked_from = linked_from
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
            for page_url, packed in session.execute(
                run_versions(run_id, PageVersion.list_rows).order_by(Page.url).execution_options(yield_per=1000)
            ):
                page_url = sys.intern(page_url)
                for main_list, title, url, item_date, _ in unpack(packed):
                    target = snap.main_items if main_list else snap.dated_links
                    target[page_url].append(ItemView(page_url, title, sys.intern(url), list_row_date(item_date)))
            for page_url, packed in session.execute(run_versions(run_id, PageVersion.hidden_links).order_by(Page.id)):
                snap.hidden_links[page_url].extend(HiddenLink(url, text, how) for url, text, how in unpack(packed))
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
    The pages linking a target are found through the index the snapshot built (linked_from).
    """

    TEXT_BATCH = 500
    # Pages skipped between two asks that still count as walking in order (attachments have no links).
    LINK_WALK_GAP = 8

    def __init__(self, store: Snapshots, run_id: int):
        self._store = store
        self._run_id = run_id
        self.order: dict[str, int] = {}
        self._urls: list[str] = []
        self._texts: dict[str, str | None] = {}
        self._meta_tags: dict[str, dict[str, str] | None] = {}
        self._links_ahead: dict[str, list[LinkView]] = {}
        self._last_linked = -1
        # Link target → positions (in the snapshot's order) of the pages linking it.
        self.linked_from: dict[str, array] = {}

    def follow_order(self, urls: list[str]) -> None:
        """The order rules walk the pages in (the snapshot's)."""
        self._urls = urls
        self.order = {url: position for position, url in enumerate(urls)}

    def text_of(self, url: str) -> str:
        if url not in self._texts:
            start = self.order.get(url)
            batch = [url] if start is None else self._urls[start : start + self.TEXT_BATCH]
            self._texts = dict.fromkeys(batch)
            with self._store.reading() as session:
                rows = session.execute(
                    run_versions(self._run_id, PageVersion.text, PageContent.body, PageVersion.encoding)
                    .outerjoin(PageContent, PageContent.digest == PageVersion.digest)
                    .where(Page.url.in_(batch))
                )
                self._texts.update((page, unpack_text(packed, body, encoding)) for page, packed, body, encoding in rows)
        return self._texts.get(url) or ""

    def meta_tags_of(self, url: str) -> dict[str, str]:
        if url not in self._meta_tags:
            self._meta_tags = {
                page: unpack(packed, None) for page, packed in self._batch(PageVersion.meta_tags, url).items()
            }
        return self._meta_tags.get(url) or {}

    def _batch(self, column, url: str) -> dict:
        """`column` of the pages from `url` on in the snapshot's order, one batch of them."""
        start = self.order.get(url)
        return self._read(column, [url] if start is None else self._urls[start : start + self.TEXT_BATCH])

    def _read(self, column, urls: list[str]) -> dict:
        with self._store.reading() as session:
            found = dict.fromkeys(urls)
            found.update(session.execute(run_versions(self._run_id, column).where(Page.url.in_(urls))).all())
        return found

    def links_from(self, url: str) -> list[LinkView]:
        position = self.order.get(url)
        if position is None:
            return self._links_of([url])[url]
        walking = 0 < position - self._last_linked <= self.LINK_WALK_GAP
        self._last_linked = position
        if url not in self._links_ahead:
            if not walking:
                return self._links_of([url])[url]
            self._links_ahead = self._links_of(self._urls[position : position + self.TEXT_BATCH])
        return list(self._links_ahead[url])

    def links_to(self, url: str) -> list[LinkView]:
        pages = [self._urls[position] for position in self.linked_from.get(url, ())]
        found: list[LinkView] = []
        for start in range(0, len(pages), self.TEXT_BATCH):
            for links in self._links_of(pages[start : start + self.TEXT_BATCH]).values():
                found.extend(link for link in links if link.to_url == url)
        return found

    def offsite_links(self) -> list[LinkView]:
        found: list[LinkView] = []
        for start in range(0, len(self._urls), self.TEXT_BATCH):
            for links in self._links_of(self._urls[start : start + self.TEXT_BATCH]).values():
                found.extend(link for link in links if not link.on_site)
        return found

    def _links_of(self, urls: list[str]) -> dict[str, list[LinkView]]:
        """The links of each of `urls` (pages of the run), in page order."""
        return {
            page: [LinkView(page, to_url, text, tag, on_site) for to_url, text, tag, on_site, _, _ in unpack(packed)]
            for page, packed in self._read(PageVersion.links, urls).items()
        }
