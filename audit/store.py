"""The store between crawler and rules: writes what the spider reads as it goes, one
transaction per fetched page, and reads a run back as the rules' SiteSnapshot."""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from sqlalchemy import Engine, create_engine, delete, event, select
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from audit.config import AuditConfig
from audit.models import AuditRun, Base, ColumnPage, FindingRecord, Link, LinkCheck, ListItem, Page
from crawler.items import CheckedLink, ColumnMembership, FetchedPage
from rules.base import Finding
from rules.snapshot import Anchor, CheckView, ItemView, LinkView, PageView, SiteSnapshot

DEFAULT_DB_FILE = "govaudit.sqlite"


class StoreError(RuntimeError):
    """The database cannot be opened or written."""


def default_db_url() -> str:
    return os.environ.get("GOVAUDIT_DB") or f"sqlite:///{DEFAULT_DB_FILE}"


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


class Store:
    def __init__(self, db_url: str):
        self.db_url = db_url
        try:
            self.engine: Engine = create_engine(db_url)
            if self.engine.dialect.name == "sqlite":
                _prepare_sqlite(self.engine)
            Base.metadata.create_all(self.engine)
        except (ArgumentError, SQLAlchemyError, ImportError, OSError) as exc:
            raise StoreError(f"无法打开数据库 / cannot open database {db_url!r}: {_first_line(exc)}") from exc
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._site_urls: dict[int, str] = {}
        self._site_hosts: dict[int, set[str]] = {}

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One session and one transaction: committed whole, or rolled back whole."""
        with self._sessions() as session:
            try:
                with session.begin():
                    yield session
            except SQLAlchemyError as exc:
                raise StoreError(f"数据库写入失败 / database write failed: {_first_line(exc)}") from exc

    def reading(self) -> Session:
        """A session for reads only (use as a context manager)."""
        return self._sessions()

    # -- runs --------------------------------------------------------------------------------

    def start_run(self, site_url: str, as_of: date, scope: str | None, config_fingerprint: str) -> int:
        with self.unit_of_work() as session:
            run = AuditRun(site_url=site_url, as_of=as_of, scope=scope,
                           config_fingerprint=config_fingerprint, started_at=_now(), status="running")
            session.add(run)
            session.flush()
            return run.id

    def finish_run(self, run_id: int, status: str) -> None:
        with self.unit_of_work() as session:
            run = session.get(AuditRun, run_id)
            run.status = status
            run.finished_at = _now()

    def run(self, run_id: int) -> AuditRun:
        with self._sessions() as session:
            run = session.get(AuditRun, run_id)
            if run is None:
                raise StoreError(f"没有编号为 {run_id} 的检查 / no audit run {run_id}")
            return run

    # -- what the crawler hands over ------------------------------------------------------------

    def save_page(self, run_id: int, fetched: FetchedPage) -> None:
        """Store a fetch with its links and list rows; a refetch of a URL replaces the earlier one."""
        site_hosts = self._site_hosts_of(run_id)
        if fetched.final_url and fetched.url == self._site_urls[run_id]:
            # A home page that redirects to another host (http → https://www.) moves the site there.
            site_hosts.add(_host(fetched.final_url))
        reading = fetched.reading
        with self.unit_of_work() as session:
            session.execute(delete(Page).where(Page.run_id == run_id, Page.url == fetched.url))
            session.execute(delete(Link).where(Link.run_id == run_id, Link.from_url == fetched.url))
            session.execute(delete(ListItem).where(ListItem.run_id == run_id, ListItem.page_url == fetched.url))
            page = Page(run_id=run_id, url=fetched.url, final_url=fetched.final_url, status=fetched.status,
                        error=fetched.error, content_type=fetched.content_type, fetched_at=_now(), labels=[],
                        meta_tags={}, text=fetched.attachment_text, truncated=fetched.truncated)
            session.add(page)
            if reading is None:
                return
            page.cms = reading.cms
            page.encoding = reading.encoding
            page.title = reading.title
            if reading.publish_date is not None:
                page.publish_date = reading.publish_date.value
                page.publish_date_source = reading.publish_date.source
            page.written_date = reading.written_date
            page.doc_number = reading.doc_number
            page.publisher = reading.publisher
            page.index_number = reading.index_number
            page.topic = reading.topic
            page.validity = reading.validity
            page.disclosure_mode = reading.disclosure_mode
            page.labels = list(reading.labels)
            page.is_list = bool(reading.list_items)
            page.empty_notice = reading.empty_notice
            page.total_pages = reading.total_pages
            page.redirect_to = reading.redirect_to
            page.meta_tags = dict(reading.meta_tags)
            page.text = reading.text
            next_pages = set(reading.next_pages)
            session.add_all(
                Link(run_id=run_id, from_url=fetched.url, to_url=urldefrag(link.url)[0], text=link.text[:500], tag=link.tag,
                     on_site=_host(link.url) in site_hosts, is_click=link.url not in next_pages)
                for link in reading.links
            )
            if reading.redirect_to:
                session.add(Link(run_id=run_id, from_url=fetched.url, to_url=reading.redirect_to, text="",
                                 tag="redirect", on_site=_host(reading.redirect_to) in site_hosts, is_click=False))
            for main_list, entries in ((True, reading.list_items), (False, reading.dated_links)):
                session.add_all(
                    ListItem(run_id=run_id, page_url=fetched.url, position=position, main_list=main_list,
                             title=entry.title[:1000], url=entry.url, date=entry.date, date_source=entry.date_source)
                    for position, entry in enumerate(entries)
                )

    def save_check(self, run_id: int, checked: CheckedLink) -> None:
        with self.unit_of_work() as session:
            session.execute(delete(LinkCheck).where(LinkCheck.run_id == run_id, LinkCheck.url == checked.url))
            session.add(LinkCheck(run_id=run_id, url=checked.url, final_url=checked.final_url, status=checked.status,
                                  error=checked.error, method=checked.method, checked_at=_now()))

    def save_membership(self, run_id: int, membership: ColumnMembership) -> None:
        with self.unit_of_work() as session:
            exists = session.scalar(select(ColumnPage.id).where(
                ColumnPage.run_id == run_id, ColumnPage.column == membership.column,
                ColumnPage.url == membership.url, ColumnPage.role == membership.role))
            if exists is None:
                session.add(ColumnPage(run_id=run_id, column=membership.column, url=membership.url,
                                       role=membership.role, via=membership.via))

    def save_findings(self, run_id: int, findings: Iterable[Finding]) -> None:
        with self.unit_of_work() as session:
            session.execute(delete(FindingRecord).where(FindingRecord.run_id == run_id))
            session.add_all(
                FindingRecord(run_id=run_id, rule=f.rule, url=f.url, column=f.column, severity=f.severity.value,
                              message=f.message, evidence=f.evidence)
                for f in findings
            )

    def page_count(self, run_id: int) -> int:
        with self._sessions() as session:
            return len(session.scalars(select(Page.id).where(Page.run_id == run_id)).all())

    # -- what the rules read --------------------------------------------------------------------

    def snapshot(self, run_id: int, config: AuditConfig) -> SiteSnapshot:
        run = self.run(run_id)
        snap = SiteSnapshot(site_url=run.site_url, as_of=run.as_of, scope=run.scope, config=config,
                            content=StoredRunContent(self, run_id))
        with self._sessions() as session:
            for page in session.scalars(select(Page).where(Page.run_id == run_id)):
                snap.pages[page.url] = PageView(
                    url=page.url, final_url=page.final_url, status=page.status, error=page.error,
                    content_type=page.content_type, title=page.title, publish_date=page.publish_date,
                    doc_number=page.doc_number, publisher=page.publisher, labels=tuple(page.labels or ()),
                    is_list=page.is_list, empty_notice=page.empty_notice, redirect_to=page.redirect_to,
                    written_date=page.written_date, index_number=page.index_number, topic=page.topic,
                    validity=page.validity, disclosure_mode=page.disclosure_mode,
                    is_html=_is_html(page.content_type), meta_tags=dict(page.meta_tags or {}))
            links = session.execute(
                select(Link.from_url, Link.to_url, Link.text, Link.on_site, Link.is_click)
                .where(Link.run_id == run_id, Link.tag.in_(("a", "redirect"))).distinct())
            for from_url, to_url, text, on_site, is_click in links:
                if on_site:
                    snap.edges[sys.intern(from_url)].add((sys.intern(to_url), is_click))
                spec = config.column_for_anchor(text) if text else None
                if spec is not None:
                    snap.anchors[spec.key].append(Anchor(from_url, to_url, text, on_site))
            for url, status, error in session.execute(
                    select(LinkCheck.url, LinkCheck.status, LinkCheck.error).where(LinkCheck.run_id == run_id)):
                snap.checks[url] = CheckView(url, status, error)
            for column, url, role in session.execute(
                    select(ColumnPage.column, ColumnPage.url, ColumnPage.role).where(ColumnPage.run_id == run_id)):
                snap.members[column].append((url, role))
            rows = session.execute(
                select(ListItem.page_url, ListItem.title, ListItem.url, ListItem.date, ListItem.main_list)
                .where(ListItem.run_id == run_id).order_by(ListItem.page_url, ListItem.main_list, ListItem.position))
            for page_url, title, url, item_date, main_list in rows:
                target = snap.main_items if main_list else snap.dated_links
                target[page_url].append(ItemView(page_url, title, url, item_date))
        return snap

    def findings(self, run_id: int) -> list[FindingRecord]:
        with self._sessions() as session:
            return list(session.scalars(
                select(FindingRecord).where(FindingRecord.run_id == run_id).order_by(FindingRecord.id)))

    def _site_hosts_of(self, run_id: int) -> set[str]:
        if run_id not in self._site_hosts:
            self._site_urls[run_id] = self.run(run_id).site_url
            self._site_hosts[run_id] = {_host(self._site_urls[run_id])}
        return self._site_hosts[run_id]


class StoredRunContent:
    """Page text and links of one stored run, read when a rule asks for them."""

    def __init__(self, store: Store, run_id: int):
        self._store = store
        self._run_id = run_id

    def text_of(self, url: str) -> str:
        with self._store.reading() as session:
            text = session.scalar(select(Page.text).where(Page.run_id == self._run_id, Page.url == url))
        return text or ""

    def links_from(self, url: str) -> list[LinkView]:
        return self._links(Link.from_url == url)

    def links_to(self, url: str) -> list[LinkView]:
        return self._links(Link.to_url == url)

    def _links(self, condition) -> list[LinkView]:
        with self._store.reading() as session:
            rows = session.execute(
                select(Link.from_url, Link.to_url, Link.text, Link.tag, Link.on_site)
                .where(Link.run_id == self._run_id, condition).order_by(Link.id))
            return [LinkView(*row) for row in rows]


def _is_html(content_type: str | None) -> bool:
    """Pages whose type is unknown are read as HTML, as the crawler did."""
    return content_type is None or any(kind in content_type.lower() for kind in ("html", "xml", "text/plain"))


def _prepare_sqlite(engine: Engine) -> None:
    """WAL so a reader never blocks the crawl's writes; the file readable by its owner only."""
    database = engine.url.database
    if database and database != ":memory:":
        path = Path(database)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
