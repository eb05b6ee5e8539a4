"""The store's page writes and copies: what the crawler hands over, written in batches, and what a
crawl reads back (the pages of a resumed run, the copies of the site's last audit)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice

from sqlalchemy import case, delete, func, insert, literal, select
from sqlalchemy.orm import Session

from audit.store.common import _host, _is_html, _now
from audit.store.models import (
    AuditRun,
    Base,
    CertificateRecord,
    ColumnPage,
    FindingRecord,
    HiddenLinkRecord,
    Link,
    LinkCheck,
    ListItem,
    ListRead,
    Page,
    PageBody,
    RunStatus,
)
from audit.store.registers import load_registers
from crawler.crawl.revalidate import StoredCopy
from crawler.reading import Crumb, DatedValue, FormRequest, LinkRef, ListEntry, PageList, PageReading
from crawler.vocabulary.items import CertificateCheck, CheckedLink, ColumnMembership, FetchedPage, ListCoverage
from crawler.vocabulary.urls import canonical_url
from rules.base import Finding

# URLs named in one statement (SQLite allows 32766 bound parameters, PostgreSQL 65535).
_URLS_PER_STATEMENT = 500
# The tables holding what was stored of a page, each with the column naming the page.
_PAGE_TABLES = (
    (Page, Page.url),
    (PageBody, PageBody.url),
    (Link, Link.from_url),
    (ListItem, ListItem.page_url),
    (HiddenLinkRecord, HiddenLinkRecord.page_url),
)

# Page columns only a reading fills (None for an error or a document).
_READING_COLUMNS = (
    "cms",
    "encoding",
    "title",
    "publish_date",
    "publish_date_source",
    "written_date",
    "doc_number",
    "publisher",
    "index_number",
    "topic",
    "validity",
    "disclosure_mode",
    "total_pages",
    "total_records",
    "redirect_to",
    "breadcrumb",
    "more_requests",
    "lists",
)


class PageWrites:
    """Page writes and copies (a part of audit.store.Store, whose sessions it uses)."""

    def save_page(self, run_id: int, fetched: FetchedPage) -> None:
        """Store a fetch with its links and list rows; a refetch of a URL replaces the earlier one.
        Inside batch() the rows are written together when the batch ends (executemany per table)."""
        site_hosts = self._site_hosts_of(run_id)
        if fetched.final_url and fetched.url == self._site_urls[run_id]:
            # A home page that redirects to another host (http → https://www.) moves the site there.
            site_hosts.add(_host(fetched.final_url))
        with self.unit_of_work() as session:
            self._make_way(session, run_id, fetched.url)
            self._rows.add_page(run_id, fetched, site_hosts)
            if self._batch is None:
                self._write_rows(session)

    def _site_hosts_of(self, run_id: int) -> set[str]:
        if run_id not in self._site_hosts:
            self._site_urls[run_id] = self.run(run_id).site_url
            self._site_hosts[run_id] = {_host(self._site_urls[run_id])}
        return self._site_hosts[run_id]

    def _make_way(self, session: Session, run_id: int, url: str) -> None:
        """A URL stored again within one batch: the earlier rows go in now, to be replaced when the
        batch is written (_write_rows replaces whatever the run stored of the URLs it writes)."""
        if (run_id, url) in self._rows.urls:
            self._write_rows(session)

    def _clear(self, session: Session, urls: set[tuple[int, str]]) -> None:
        """Remove what the runs stored of `urls` before they are stored again: one lookup for a batch
        (most URLs are stored once), deletes only for those found."""
        by_run: dict[int, list[str]] = defaultdict(list)
        for run_id, url in urls:
            by_run[run_id].append(url)
        # Not matched against the objects of a batch's session (that cost grows with the batch).
        unsynchronised = {"synchronize_session": False}
        for run_id, run_urls in by_run.items():
            run_urls.sort()
            for start in range(0, len(run_urls), _URLS_PER_STATEMENT):
                chunk = run_urls[start : start + _URLS_PER_STATEMENT]
                stored = session.scalars(select(Page.url).where(Page.run_id == run_id, Page.url.in_(chunk))).all()
                for table, url_column in _PAGE_TABLES if stored else ():
                    session.execute(
                        delete(table).where(table.run_id == run_id, url_column.in_(stored)),
                        execution_options=unsynchronised,
                    )

    def _write_rows(self, session: Session) -> None:
        """The pages, links, list rows and hidden links waiting to be written, by executemany
        (a page holds hundreds of links; ORM objects cost more than the SQL), then the copies
        waiting, a few hundred pages to one INSERT … SELECT per table."""
        tables, copies, urls = self._rows.take()
        self._clear(session, urls)
        for table, rows in tables:
            session.execute(insert(table), rows)
        for (run_id, from_run), urls in copies.items():
            overrides = {
                "run_id": literal(run_id),
                "fetched_at": literal(_now(), Page.fetched_at.type),
                "not_modified": literal(True, Page.not_modified.type),
            }
            for model, url_column in _PAGE_TABLES:
                columns = [column for column in model.__table__.columns if column.name != "id"]
                for start in range(0, len(urls), _URLS_PER_STATEMENT):
                    rows = (
                        select(*(overrides.get(column.name, column) for column in columns))
                        .where(model.run_id == from_run, url_column.in_(urls[start : start + _URLS_PER_STATEMENT]))
                        .order_by(model.id)
                    )
                    session.execute(insert(model).from_select([column.name for column in columns], rows))

    def copy_page(self, run_id: int, from_run: int, url: str) -> None:
        """Take the copy run `from_run` stored of `url` (page, links, list rows, hidden links) into run
        `run_id`, as fetched now and marked not modified: the server said it has not changed. Inside
        batch() the copy is made with the batch's others when the batch ends (a re-audit's pages are
        nearly all copies: one set of statements per page was 40% of its crawler's time)."""
        with self.unit_of_work() as session:
            self._make_way(session, run_id, url)
            self._rows.add_copy(run_id, from_run, url)
            if self._batch is None:
                self._write_rows(session)

    def save_check(self, run_id: int, checked: CheckedLink) -> None:
        with self.unit_of_work() as session:
            session.execute(delete(LinkCheck).where(LinkCheck.run_id == run_id, LinkCheck.url == checked.url))
            session.add(
                LinkCheck(
                    run_id=run_id,
                    url=checked.url,
                    final_url=checked.final_url,
                    status=checked.status,
                    error=checked.error,
                    method=checked.method,
                    checked_at=_now(),
                )
            )

    def save_robots_refusal(self, run_id: int) -> None:
        with self.unit_of_work() as session:
            session.get(AuditRun, run_id).robots_forbidden = True

    def save_certificate(self, run_id: int, check: CertificateCheck) -> None:
        with self.unit_of_work() as session:
            session.execute(delete(CertificateRecord).where(CertificateRecord.run_id == run_id))
            session.add(CertificateRecord(run_id=run_id, host=check.host, problem=check.problem, checked_at=_now()))

    def save_membership(self, run_id: int, membership: ColumnMembership) -> None:
        with self.unit_of_work() as session:
            exists = session.scalar(
                select(ColumnPage.id).where(
                    ColumnPage.run_id == run_id,
                    ColumnPage.column == membership.column,
                    ColumnPage.url == membership.url,
                    ColumnPage.role == membership.role,
                )
            )
            if exists is None:
                session.add(
                    ColumnPage(
                        run_id=run_id,
                        column=membership.column,
                        url=membership.url,
                        role=membership.role,
                        via=membership.via,
                        reason=membership.reason,
                    )
                )

    def save_list_read(self, run_id: int, coverage: ListCoverage) -> None:
        """Store how much of a list was read so far; a later state of the same list replaces it."""
        with self.unit_of_work() as session:
            session.execute(
                delete(ListRead).where(
                    ListRead.run_id == run_id, ListRead.column == coverage.column, ListRead.url == coverage.url
                )
            )
            session.add(
                ListRead(
                    run_id=run_id,
                    column=coverage.column,
                    url=coverage.url,
                    declared_records=coverage.declared_records,
                    declared_pages=coverage.declared_pages,
                    items_read=coverage.items_read,
                    pages_read=coverage.pages_read,
                    complete=coverage.complete,
                    shortfall=coverage.shortfall,
                )
            )

    def save_findings(self, run_id: int, findings: Iterable[Finding]) -> None:
        with self.unit_of_work() as session:
            session.execute(delete(FindingRecord).where(FindingRecord.run_id == run_id))
            session.add_all(
                FindingRecord(
                    run_id=run_id,
                    rule=f.rule,
                    url=f.url,
                    column=f.column,
                    severity=f.severity.value,
                    message=f.message,
                    evidence=f.evidence,
                    facts=_facts(f),
                )
                for f in findings
            )

    def save_annotated_findings(
        self, run_id: int, rows: Iterable[tuple[Finding, "FindingNotes"]], rules: Iterable[str] | None = None
    ) -> None:
        """Like save_findings, with each finding's fingerprint, 责任单位 and scoring indicator. With
        `rules`, only the findings of those rules are replaced (the register rules judged again)."""
        with self.unit_of_work() as session:
            replaced = delete(FindingRecord).where(FindingRecord.run_id == run_id)
            if rules is not None:
                replaced = replaced.where(FindingRecord.rule.in_(list(rules)))
            session.execute(replaced)
            session.add_all(
                FindingRecord(
                    run_id=run_id,
                    rule=f.rule,
                    url=f.url,
                    column=f.column,
                    severity=f.severity.value,
                    message=f.message,
                    evidence=f.evidence,
                    fingerprint=notes.fingerprint,
                    units=list(notes.units),
                    unit_source=notes.unit_source,
                    indicator=notes.indicator,
                    membership=notes.membership,
                    facts=_facts(f),
                )
                for f, notes in rows
            )

    def replay_index(self, run_id: int) -> ReplayIndex:
        """What an interrupted run already holds: pages fetched (their reading is stored) and link
        targets checked. Resuming reuses them instead of fetching them again."""
        with self.reading() as session:
            pages = session.execute(
                select(Page.url, Page.error, Page.status, Page.content_type).where(Page.run_id == run_id)
            ).all()
            checks = session.scalars(select(LinkCheck.url).where(LinkCheck.run_id == run_id)).all()
        read = frozenset(
            url
            for url, error, status, content_type in pages
            if error is None and status is not None and status < 400 and _is_html(content_type)
        )
        return ReplayIndex(read, frozenset(url for url, *_ in pages), frozenset(checks))

    def load_reading(self, run_id: int, url: str) -> PageReading:
        """A stored page's reading, as far as the crawler needs it to decide what to follow."""
        with self.reading() as session:
            page = session.scalar(select(Page).where(Page.run_id == run_id, Page.url == url))
            links = session.execute(
                select(Link.to_url, Link.text, Link.tag, Link.is_click, Link.region)
                .where(Link.run_id == run_id, Link.from_url == url)
                .order_by(Link.id)
            ).all()
            items = session.execute(
                select(ListItem.title, ListItem.url, ListItem.date, ListItem.date_source)
                .where(ListItem.run_id == run_id, ListItem.page_url == url, ListItem.main_list)
                .order_by(ListItem.position)
            ).all()
        reading = PageReading(
            url=url,
            title=page.title,
            redirect_to=page.redirect_to,
            empty_notice=page.empty_notice,
            total_pages=page.total_pages,
            total_records=page.total_records,
        )
        if page.publish_date is not None:
            reading.publish_date = DatedValue(page.publish_date, page.publish_date_source or "meta")
        reading.links = [
            LinkRef(to_url, text, tag, region or LinkRef.region)
            for to_url, text, tag, _, region in links
            if tag != "redirect"
        ]
        reading.next_pages = [to_url for to_url, _, tag, is_click, _ in links if tag == "a" and not is_click]
        reading.breadcrumb = [Crumb(crumb["text"], crumb["url"]) for crumb in page.breadcrumb or ()]
        reading.list_items = [
            ListEntry(title, item_url, item_date, source) for title, item_url, item_date, source in items
        ]
        reading.more_requests = _form_requests(page.more_requests)
        rows = iter(reading.list_items)
        reading.lists = [
            PageList(
                list(islice(rows, part["rows"])),
                list(part["next_pages"]),
                part["total_pages"],
                part["total_records"],
                _form_requests(part["more_requests"]),
            )
            for part in page.lists or ()
        ]
        return reading

    def stored_copies(self, run_id: int) -> dict[str, StoredCopy]:
        """The pages and documents run `run_id` fetched whole and read, with the validators they came
        with: what a later audit of the site may ask for conditionally."""
        with self.reading() as session:
            rows = session.execute(
                select(Page.url, Page.final_url, Page.etag, Page.last_modified, Page.content_type).where(
                    Page.run_id == run_id,
                    Page.error.is_(None),
                    Page.status >= 200,
                    Page.status < 300,
                    Page.unread.is_(None),
                    (Page.etag.is_not(None)) | (Page.last_modified.is_not(None)),
                )
            )
            return {
                url: StoredCopy(etag, last_modified, final_url if final_url != url else None, _is_html(content_type))
                for url, final_url, etag, last_modified, content_type in rows
            }

    def copies_source(self, run_id: int) -> int | None:
        """The run whose stored copies run `run_id` may reuse: the latest finished audit of the same
        site read by the same page reader, one of the same scope first."""
        run = self.run(run_id)
        same_scope = AuditRun.scope.is_(None) if run.scope is None else AuditRun.scope == run.scope
        with self.reading() as session:
            return session.scalar(
                select(AuditRun.id)
                .where(
                    AuditRun.site_url == run.site_url,
                    AuditRun.status == RunStatus.DONE.value,
                    AuditRun.reader_version == run.reader_version,
                    AuditRun.id != run_id,
                )
                .order_by(case((same_scope, 0), else_=1), AuditRun.id.desc())
                .limit(1)
            )

    def not_modified_count(self, run_id: int) -> int:
        """How many of the run's pages were copies an earlier run stored, the server saying unchanged."""
        with self.reading() as session:
            return session.scalar(
                select(func.count()).select_from(Page).where(Page.run_id == run_id, Page.not_modified.is_(True))
            )

    def answered_urls(self, run_id: int) -> set[str]:
        """URLs the run fetched or checked and that answered (no error, HTTP status below 400)."""
        with self._sessions() as session:
            answered: set[str] = set()
            for table in (Page, LinkCheck):
                answered.update(
                    session.scalars(
                        select(table.url).where(
                            table.run_id == run_id, table.error.is_(None), table.status.is_not(None), table.status < 400
                        )
                    )
                )
        # Register places the quarter's imports looked at count as checked, like fetched pages.
        run = self.run(run_id)
        return answered | load_registers(self, run.quarter, run.site_url).checked_urls()


class _PageRows:
    """Rows of fetched pages not yet written: one list per table, in the order they came."""

    def __init__(self):
        self.urls: set[tuple[int, str]] = set()
        self._tables: dict[type[Base], list[dict]] = {
            Page: [],
            PageBody: [],
            Link: [],
            ListItem: [],
            HiddenLinkRecord: [],
        }
        # (run, earlier run) → the URLs whose copy the earlier run stored are to be taken over.
        self._copies: dict[tuple[int, int], list[str]] = defaultdict(list)

    def take(
        self,
    ) -> tuple[list[tuple[type[Base], list[dict]]], dict[tuple[int, int], list[str]], set[tuple[int, str]]]:
        """The rows waiting, table by table (pages first), the copies waiting and the (run, URL) of
        them all; the buffer is left empty."""
        waiting = [(table, rows) for table, rows in self._tables.items() if rows]
        copies, self._copies = self._copies, defaultdict(list)
        urls, self.urls = self.urls, set()
        self._tables = {table: [] for table in self._tables}
        return waiting, copies, urls

    def add_copy(self, run_id: int, from_run: int, url: str) -> None:
        self.urls.add((run_id, url))
        self._copies[(run_id, from_run)].append(url)

    def add_page(self, run_id: int, fetched: FetchedPage, site_hosts: set[str]) -> None:
        self.urls.add((run_id, fetched.url))
        page = dict(
            run_id=run_id,
            url=fetched.url,
            final_url=fetched.final_url,
            status=fetched.status,
            error=fetched.error,
            content_type=fetched.content_type,
            fetched_at=_now(),
            labels=[],
            meta_tags={},
            text=fetched.attachment_text,
            truncated=fetched.truncated,
            unread=fetched.unread,
            etag=fetched.etag,
            last_modified=fetched.last_modified,
            is_list=False,
            empty_notice=False,
            **dict.fromkeys(_READING_COLUMNS),
        )
        self._tables[Page].append(page)
        if fetched.body is not None:
            self._tables[PageBody].append(dict(run_id=run_id, url=fetched.url, body=fetched.body))
        reading = fetched.reading
        if reading is None:
            return
        redirect_to = canonical_url(reading.redirect_to) if reading.redirect_to else None
        page.update(
            cms=reading.cms,
            encoding=reading.encoding,
            title=reading.title,
            publish_date=reading.publish_date.value if reading.publish_date is not None else None,
            publish_date_source=reading.publish_date.source if reading.publish_date is not None else None,
            written_date=reading.written_date,
            doc_number=reading.doc_number,
            publisher=reading.publisher,
            index_number=reading.index_number,
            topic=reading.topic,
            validity=reading.validity,
            disclosure_mode=reading.disclosure_mode,
            labels=list(reading.labels),
            is_list=bool(reading.list_items),
            empty_notice=reading.empty_notice,
            total_pages=reading.total_pages,
            total_records=reading.total_records,
            redirect_to=redirect_to,
            meta_tags=dict(reading.meta_tags),
            text=reading.text,
            breadcrumb=[{"text": crumb.text, "url": crumb.url} for crumb in reading.breadcrumb],
            more_requests=_form_records(reading.more_requests),
            lists=[
                {
                    "rows": len(part.list_items),
                    "next_pages": [canonical_url(url) for url in part.next_pages],
                    "total_pages": part.total_pages,
                    "total_records": part.total_records,
                    "more_requests": _form_records(part.more_requests),
                }
                for part in reading.lists
            ]
            or None,
        )
        next_pages = {canonical_url(url) for url in reading.next_pages}
        links = self._tables[Link]
        for link in reading.links:
            target = canonical_url(link.url)
            links.append(
                dict(
                    run_id=run_id,
                    from_url=fetched.url,
                    to_url=target,
                    text=link.text[:500],
                    tag=link.tag,
                    on_site=_host(target) in site_hosts,
                    is_click=link.tag == "a" and target not in next_pages,
                    region=str(link.region),
                )
            )
        if redirect_to:
            links.append(
                dict(
                    run_id=run_id,
                    from_url=fetched.url,
                    to_url=redirect_to,
                    text="",
                    tag="redirect",
                    on_site=_host(redirect_to) in site_hosts,
                    is_click=False,
                    region=None,
                )
            )
        self._tables[ListItem].extend(
            dict(
                run_id=run_id,
                page_url=fetched.url,
                position=position,
                main_list=main_list,
                title=entry.title[:1000],
                url=canonical_url(entry.url),
                date=entry.date,
                date_source=entry.date_source,
            )
            for main_list, entries in ((True, reading.list_items), (False, reading.dated_links))
            for position, entry in enumerate(entries)
        )
        self._tables[HiddenLinkRecord].extend(
            dict(run_id=run_id, page_url=fetched.url, url=link.url[:2048], text=link.text[:500], how=link.how[:64])
            for link in reading.hidden_links
        )


def _form_records(requests: list[FormRequest]) -> list[dict]:
    return [{"url": more.url, "formdata": dict(more.formdata)} for more in requests]


def _form_requests(records: list[dict] | None) -> list[FormRequest]:
    return [FormRequest(more["url"], dict(more["formdata"])) for more in records or ()]


@dataclass(frozen=True)
class ReplayIndex:
    read: frozenset[str]  # HTML pages fetched and read
    stored: frozenset[str]  # every URL with a stored fetch (pages, documents, errors)
    checked: frozenset[str]  # link targets checked


@dataclass(frozen=True)
class FindingNotes:
    """What the store keeps beside a finding for history and reports (see audit/history.py)."""

    fingerprint: str
    units: tuple[str, ...]
    unit_source: str
    indicator: str | None
    # Why the finding's page was judged part of its column (SiteSnapshot.membership_note).
    membership: str | None = None


def _facts(finding: Finding) -> dict:
    return {name: list(values) for name, values in finding.facts.items()}
