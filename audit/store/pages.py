"""The store's page writes and copies: what the crawler hands over, written in batches, and what a
crawl reads back (the pages of a resumed run, the copies of the site's last audit)."""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice

from sqlalchemy import case, delete, func, insert, literal, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from audit.store.common import _host, _is_html, _now
from audit.store.models import (
    AuditRun,
    Base,
    CertificateRecord,
    ColumnPage,
    FindingRecord,
    LinkCheck,
    ListRead,
    Page,
    PageContent,
    PageVersion,
    RunStatus,
)
from audit.store.registers import load_registers
from audit.store.versions import body_digest, form_requests, list_row_date, unpack, version_of
from crawler.crawl.revalidate import StoredCopy
from crawler.reading import Crumb, DatedValue, LinkRef, ListEntry, PageList, PageReading
from crawler.vocabulary.items import RECHECK, CertificateCheck, CheckedLink, ColumnMembership, FetchedPage, ListCoverage
from rules.base import Finding

# URLs named in one statement (SQLite allows 32766 bound parameters, PostgreSQL 65535).
_URLS_PER_STATEMENT = 500


# The version columns load_reading gives a crawl.
_FOLLOWED = (
    "title",
    "redirect_to",
    "empty_notice",
    "total_pages",
    "total_records",
    "publish_date",
    "publish_date_source",
    "links",
    "breadcrumb",
    "list_rows",
    "more_requests",
    "lists",
)


class PageWrites:
    """Page writes and copies (a part of audit.store.Store, whose sessions it uses)."""

    def save_page(self, run_id: int, fetched: FetchedPage) -> None:
        """Store a fetch: the run's reference row, and the body and reading unless stored already
        (by any run, of any site); a refetch of a URL replaces the run's earlier reference. Inside
        batch() the rows are written together when the batch ends."""
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
        """Remove the runs' references to `urls` before they are stored again (the bodies and versions
        stay: other runs may share them; `govaudit prune` drops what nothing refers to)."""
        by_run: dict[int, list[str]] = defaultdict(list)
        for run_id, url in urls:
            by_run[run_id].append(url)
        # Not matched against the objects of a batch's session (that cost grows with the batch).
        unsynchronised = {"synchronize_session": False}
        for run_id, run_urls in by_run.items():
            run_urls.sort()
            for start in range(0, len(run_urls), _URLS_PER_STATEMENT):
                chunk = run_urls[start : start + _URLS_PER_STATEMENT]
                session.execute(
                    delete(Page).where(Page.run_id == run_id, Page.url.in_(chunk)), execution_options=unsynchronised
                )

    def _write_rows(self, session: Session) -> None:
        """The bodies and versions not stored yet, then the runs' reference rows by executemany, then
        the copies waiting (304s): one INSERT … SELECT of reference rows per few hundred pages."""
        waiting, copies, urls = self._rows.take()
        self._clear(session, urls)
        _insert_new(session, PageContent, PageContent.digest, waiting.contents)
        version_ids = _insert_new(session, PageVersion, PageVersion.key, waiting.versions, PageVersion.id)
        if waiting.pages:
            for page in waiting.pages:
                key = page.pop("version_key")
                page["version_id"] = version_ids[key] if key is not None else None
            session.execute(insert(Page), waiting.pages)
        overrides = {
            "fetched_at": literal(_now(), Page.fetched_at.type),
            "not_modified": literal(True, Page.not_modified.type),
        }
        columns = [column for column in Page.__table__.columns if column.name != "id"]
        for (run_id, from_run), copied in copies.items():
            chosen = {**overrides, "run_id": literal(run_id)}
            for start in range(0, len(copied), _URLS_PER_STATEMENT):
                rows = (
                    select(*(chosen.get(column.name, column) for column in columns))
                    .where(Page.run_id == from_run, Page.url.in_(copied[start : start + _URLS_PER_STATEMENT]))
                    .order_by(Page.id)
                )
                session.execute(insert(Page).from_select([column.name for column in columns], rows))

    def copy_page(self, run_id: int, from_run: int, url: str) -> None:
        """Refer run `run_id` to what run `from_run` stored of `url`, as fetched now and marked not
        modified: the server said it has not changed. Only the reference row is written (the body and
        reading are shared); inside batch() with the batch's others when the batch ends."""
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
            # Only what a crawl follows: not the text, meta tags or hidden links.
            page = session.execute(
                select(*(getattr(PageVersion, name) for name in _FOLLOWED))
                .join(Page, Page.version_id == PageVersion.id)
                .where(Page.run_id == run_id, Page.url == url)
            ).first()
        reading = PageReading(url=url)
        if page is None:
            return reading
        reading.title = page.title
        reading.redirect_to = page.redirect_to
        reading.empty_notice = page.empty_notice
        reading.total_pages = page.total_pages
        reading.total_records = page.total_records
        links = unpack(page.links)
        if page.publish_date is not None:
            reading.publish_date = DatedValue(page.publish_date, page.publish_date_source or "meta")
        reading.links = [
            LinkRef(to_url, text, tag, region or LinkRef.region)
            for to_url, text, tag, _, _, region in links
            if tag != "redirect"
        ]
        reading.next_pages = [to_url for to_url, _, tag, _, is_click, _ in links if tag == "a" and not is_click]
        reading.breadcrumb = [Crumb(crumb["text"], crumb["url"]) for crumb in page.breadcrumb or ()]
        reading.list_items = [
            ListEntry(title, item_url, list_row_date(item_date), source)
            for main_list, title, item_url, item_date, source in unpack(page.list_rows)
            if main_list
        ]
        reading.more_requests = form_requests(page.more_requests)
        rows = iter(reading.list_items)
        reading.lists = [
            PageList(
                list(islice(rows, part["rows"])),
                list(part["next_pages"]),
                part["total_pages"],
                part["total_records"],
                form_requests(part["more_requests"]),
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
        """URLs the run fetched or checked and that answered (no error, HTTP status below 400); a
        recheck of a previous problem page says it is there, not that it was judged, and does not count."""
        with self._sessions() as session:
            answered: set[str] = set()
            for table, only in ((Page, ()), (LinkCheck, (LinkCheck.method != RECHECK,))):
                answered.update(
                    session.scalars(
                        select(table.url).where(
                            table.run_id == run_id,
                            table.error.is_(None),
                            table.status.is_not(None),
                            table.status < 400,
                            *only,
                        )
                    )
                )
        # Register places the quarter's imports looked at count as checked, like fetched pages.
        run = self.run(run_id)
        return answered | load_registers(self, run.quarter, run.site_url).checked_urls()


@dataclass
class _Waiting:
    """Rows of fetched pages not yet written: bodies by digest, versions by key, reference rows."""

    contents: dict[str, dict] = field(default_factory=dict)
    versions: dict[str, dict] = field(default_factory=dict)
    pages: list[dict] = field(default_factory=list)


class _PageRows:
    """Rows of fetched pages not yet written, in the order they came."""

    def __init__(self):
        self.urls: set[tuple[int, str]] = set()
        self._waiting = _Waiting()
        # (run, earlier run) → the URLs whose copy the earlier run stored are to be referred to.
        self._copies: dict[tuple[int, int], list[str]] = defaultdict(list)

    def take(self) -> tuple[_Waiting, dict[tuple[int, int], list[str]], set[tuple[int, str]]]:
        """The rows waiting, the copies waiting and the (run, URL) of them all; the buffer is left
        empty."""
        waiting, self._waiting = self._waiting, _Waiting()
        copies, self._copies = self._copies, defaultdict(list)
        urls, self.urls = self.urls, set()
        return waiting, copies, urls

    def add_copy(self, run_id: int, from_run: int, url: str) -> None:
        self.urls.add((run_id, url))
        self._copies[(run_id, from_run)].append(url)

    def add_page(self, run_id: int, fetched: FetchedPage, site_hosts: set[str]) -> None:
        self.urls.add((run_id, fetched.url))
        digest, body = fetched.digest, None
        if fetched.body is not None:
            body = zlib.decompress(fetched.body)
            digest = digest or body_digest(body)
            self._waiting.contents.setdefault(digest, dict(digest=digest, body=fetched.body))
        version = version_of(fetched.reading, fetched.attachment_text, body, digest, site_hosts, _host)
        if version is not None:
            self._waiting.versions.setdefault(version["key"], version)
        self._waiting.pages.append(
            dict(
                run_id=run_id,
                url=fetched.url,
                # Stored only when another URL answered (a redirect): most pages answer at their own.
                final_url=fetched.final_url if fetched.final_url != fetched.url else None,
                status=fetched.status,
                error=fetched.error,
                content_type=fetched.content_type,
                fetched_at=_now(),
                truncated=fetched.truncated,
                unread=fetched.unread,
                etag=fetched.etag,
                last_modified=fetched.last_modified,
                version_key=version["key"] if version is not None else None,
            )
        )


def _insert_new(session: Session, model: type[Base], key, rows: dict[str, dict], row_id=None) -> dict[str, int]:
    """Insert those of `rows` (by key) not stored yet, another process's concurrent insert of the same
    key included; with `row_id`, return the id of every one of them by key."""
    ids: dict = {}
    keys = list(rows)
    upsert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    for start in range(0, len(keys), _URLS_PER_STATEMENT):
        chunk = keys[start : start + _URLS_PER_STATEMENT]
        found = _ids_of(session, key, row_id, chunk)
        new = [name for name in chunk if name not in found]
        if new:
            session.execute(
                upsert(model).on_conflict_do_nothing(index_elements=[key.name]), [rows[name] for name in new]
            )
            if row_id is not None:
                found.update(_ids_of(session, key, row_id, new))
        ids.update(found)
    return ids


def _ids_of(session: Session, key, row_id, keys: list[str]) -> dict:
    if row_id is None:
        return dict.fromkeys(session.scalars(select(key).where(key.in_(keys))))
    return dict(session.execute(select(key, row_id).where(key.in_(keys))).all())


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
