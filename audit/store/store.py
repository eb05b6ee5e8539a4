"""The store between crawler and rules: writes what the spider reads as it goes, one
transaction per fetched page, and reads a run back as the rules' SiteSnapshot."""
from __future__ import annotations

import os
import re
import socket
import sys
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from datetime import date, datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import Engine, case, create_engine, delete, event, func, insert, literal, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from rules.settings import Settings
from crawler.vocabulary.quarters import Quarter
from audit.store import sites as _sites  # noqa: F401  (its table is part of the schema)
from audit.store.registers import load_registers
from audit.store.schema import SchemaError
from audit.store.schema import upgrade as upgrade_schema
from audit.store.models import (UNFINISHED, AuditRun, Base, CertificateRecord, ColumnPage, FindingRecord, HiddenLinkRecord,
                                Link, LinkCheck, ListItem, ListRead, Page, PageBody, RunStatus)
from crawler.vocabulary.items import CertificateCheck, CheckedLink, ColumnMembership, FetchedPage, ListCoverage
from crawler.reading import Crumb, DatedValue, FormRequest, LinkRef, ListEntry, PageList, PageReading
from crawler.vocabulary.reading import HiddenLink
from crawler.crawl.revalidate import StoredCopy
from crawler.vocabulary.urls import canonical_url
from rules.base import Finding
from rules.snapshot import Anchor, CheckView, ItemView, LinkView, MemberStep, PageView, SiteSnapshot

DEFAULT_DB_FILE = "govaudit.sqlite"


class StoreError(RuntimeError):
    """The database cannot be opened or written."""


def default_db_url() -> str:
    return os.environ.get("GOVAUDIT_DB") or f"sqlite:///{DEFAULT_DB_FILE}"


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def engine_url(db_url: str) -> str:
    """`postgresql://…` means the psycopg 3 driver (SQLAlchemy alone would pick psycopg2)."""
    if db_url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + db_url.split("://", 1)[1]
    return db_url


class Store:
    def __init__(self, db_url: str):
        self.db_url = db_url
        try:
            self.engine: Engine = create_engine(engine_url(db_url))
            if self.engine.dialect.name == "sqlite":
                _prepare_sqlite(self.engine)
            upgrade_schema(self.engine)
        except ImportError as exc:
            hint = ("pip install 'govaudit[cluster]'" if engine_url(db_url).startswith("postgresql")
                    else "安装该数据库的 SQLAlchemy 驱动 / install its SQLAlchemy driver")
            raise StoreError(f"无法打开数据库，缺少驱动 {exc.name} / missing database driver {exc.name} for "
                             f"{_safe(db_url)}: {hint}") from exc
        except (ArgumentError, SQLAlchemyError, OSError, SchemaError, ValueError) as exc:
            raise StoreError(f"无法打开数据库 / cannot open database {_safe(db_url)}: "
                             f"{_without_secrets(_first_line(exc), db_url)}") from exc
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._site_urls: dict[int, str] = {}
        self._site_hosts: dict[int, set[str]] = {}
        self._batch: Session | None = None
        self._rows = _PageRows()

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One session and one transaction: committed whole, or rolled back whole. Inside batch(),
        the batch's."""
        if self._batch is not None:
            yield self._batch
            return
        with self._sessions() as session:
            try:
                with session.begin():
                    yield session
            except SQLAlchemyError as exc:
                raise StoreError(f"数据库写入失败 / database write failed: {_first_line(exc)}") from exc

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Every write in the block in one transaction: the crawl commits many pages at once (a
        commit per page was half the crawler's time). Committed whole, or rolled back whole."""
        with self.unit_of_work() as session:
            self._batch = session
            try:
                yield
                self._write_rows(session)
            except BaseException:
                self._rows.take()
                raise
            finally:
                self._batch = None

    def reading(self) -> Session:
        """A session for reads only (use as a context manager)."""
        return self._sessions()

    # -- runs --------------------------------------------------------------------------------

    def start_run(self, site_url: str, as_of: date, scope: str | None, config_fingerprint: str) -> int:
        with self.unit_of_work() as session:
            run = AuditRun(site_url=site_url, as_of=as_of, scope=scope,
                           config_fingerprint=config_fingerprint, started_at=_now(), status=RunStatus.RUNNING.value,
                           quarter=Quarter.reported(as_of).label, owner_host=socket.gethostname(),
                           owner_pid=os.getpid())
            session.add(run)
            session.flush()
            return run.id

    def interrupted_run(self, site_url: str, as_of: date, scope: str | None, config_fingerprint: str) -> int | None:
        """The latest run of this same audit that was left unfinished by a process that is gone
        (interrupted by a signal, killed, crashed, machine restarted): the one to resume. None when
        there is none."""
        with self.reading() as session:
            runs = session.scalars(
                select(AuditRun).where(AuditRun.site_url == site_url, AuditRun.as_of == as_of,
                                       AuditRun.config_fingerprint == config_fingerprint,
                                       AuditRun.status.in_([status.value for status in UNFINISHED]),
                                       AuditRun.scope.is_(None) if scope is None else AuditRun.scope == scope)
                .order_by(AuditRun.id.desc())).all()
        for run in runs:
            if not _process_alive(run.owner_host, run.owner_pid):
                return run.id
        return None

    def claim_run(self, run_id: int) -> bool:
        """Make this process the owner of a run it resumes; False when another process claimed it
        first (compare-and-set on the owner, so two processes never resume one run)."""
        with self.unit_of_work() as session:
            run = session.get(AuditRun, run_id)
            claimed = session.execute(
                update(AuditRun).where(AuditRun.id == run_id, AuditRun.owner_host.is_(None) if run.owner_host is None
                                       else AuditRun.owner_host == run.owner_host,
                                       AuditRun.owner_pid.is_(None) if run.owner_pid is None
                                       else AuditRun.owner_pid == run.owner_pid)
                .values(owner_host=socket.gethostname(), owner_pid=os.getpid(), status=RunStatus.RUNNING.value)
                .execution_options(synchronize_session=False))
            return claimed.rowcount == 1

    def join_run(self, run_id: int, worker: str) -> None:
        """Record that `worker` takes part in the run (crawls it, resumes it or concludes it)."""
        with self.unit_of_work() as session:
            run = session.get(AuditRun, run_id)
            if worker not in (run.workers or []):
                run.workers = [*(run.workers or []), worker]

    def release_abandoned(self, site_url: str, as_of: date, worker: str) -> list[int]:
        """Hand over the unfinished runs of a site that `worker` was crawling when its lease ran out
        (the worker is gone, possibly with its machine): they become resumable by any process. The
        lease, not the owner's pid, says the owner is gone: a pid on another machine cannot be checked."""
        with self.unit_of_work() as session:
            runs = session.scalars(select(AuditRun).where(AuditRun.site_url == site_url, AuditRun.as_of == as_of,
                                                          AuditRun.status.in_([status.value for status in UNFINISHED]))).all()
            # The worker owned the run or helped it (helpers join a run after its owner).
            released = [run for run in runs if worker in (run.workers or [])]
            for run in released:
                run.status, run.owner_host, run.owner_pid = RunStatus.INTERRUPTED.value, None, None
            return [run.id for run in released]

    def owns_run(self, run_id: int) -> bool:
        """Whether this process still owns the run (no other process took it over)."""
        run = self.run(run_id)
        return run.owner_host == socket.gethostname() and run.owner_pid == os.getpid()

    def owner_alive(self, run: AuditRun) -> bool:
        """Whether the process that owns `run` still runs (an owner on another machine counts as alive)."""
        return _process_alive(run.owner_host, run.owner_pid)

    def discard_run(self, run_id: int) -> None:
        """Remove a run that stood down before it stored anything."""
        with self.unit_of_work() as session:
            session.execute(delete(AuditRun).where(AuditRun.id == run_id))

    def replay_index(self, run_id: int) -> ReplayIndex:
        """What an interrupted run already holds: pages fetched (their reading is stored) and link
        targets checked. Resuming reuses them instead of fetching them again."""
        with self.reading() as session:
            pages = session.execute(select(Page.url, Page.error, Page.status, Page.content_type)
                                    .where(Page.run_id == run_id)).all()
            checks = session.scalars(select(LinkCheck.url).where(LinkCheck.run_id == run_id)).all()
        read = frozenset(url for url, error, status, content_type in pages
                         if error is None and status is not None and status < 400 and _is_html(content_type))
        return ReplayIndex(read, frozenset(url for url, *_ in pages), frozenset(checks))

    def load_reading(self, run_id: int, url: str) -> PageReading:
        """A stored page's reading, as far as the crawler needs it to decide what to follow."""
        with self.reading() as session:
            page = session.scalar(select(Page).where(Page.run_id == run_id, Page.url == url))
            links = session.execute(select(Link.to_url, Link.text, Link.tag, Link.is_click, Link.region)
                                    .where(Link.run_id == run_id, Link.from_url == url).order_by(Link.id)).all()
            items = session.execute(select(ListItem.title, ListItem.url, ListItem.date, ListItem.date_source)
                                    .where(ListItem.run_id == run_id, ListItem.page_url == url, ListItem.main_list)
                                    .order_by(ListItem.position)).all()
        reading = PageReading(url=url, title=page.title, redirect_to=page.redirect_to, empty_notice=page.empty_notice,
                              total_pages=page.total_pages, total_records=page.total_records)
        if page.publish_date is not None:
            reading.publish_date = DatedValue(page.publish_date, page.publish_date_source or "meta")
        reading.links = [LinkRef(to_url, text, tag, region or LinkRef.region)
                         for to_url, text, tag, _, region in links if tag != "redirect"]
        reading.next_pages = [to_url for to_url, _, tag, is_click, _ in links if tag == "a" and not is_click]
        reading.breadcrumb = [Crumb(crumb["text"], crumb["url"]) for crumb in page.breadcrumb or ()]
        reading.list_items = [ListEntry(title, item_url, item_date, source) for title, item_url, item_date, source in items]
        reading.more_requests = _form_requests(page.more_requests)
        rows = iter(reading.list_items)
        reading.lists = [PageList(list(islice(rows, part["rows"])), list(part["next_pages"]), part["total_pages"],
                                  part["total_records"], _form_requests(part["more_requests"]))
                         for part in page.lists or ()]
        return reading

    def finish_run(self, run_id: int, status: RunStatus, unjudged_rules: list[str] | None = None,
                   rule_overruns: list[list[str]] | None = None) -> None:
        with self.unit_of_work() as session:
            run = session.get(AuditRun, run_id)
            run.status = RunStatus(status).value
            run.finished_at = _now()
            if unjudged_rules is not None:
                run.unjudged_rules = unjudged_rules
            if rule_overruns is not None:
                run.rule_overruns = rule_overruns

    def run(self, run_id: int) -> AuditRun:
        with self._sessions() as session:
            run = session.get(AuditRun, run_id)
            if run is None:
                raise StoreError(f"没有编号为 {run_id} 的检查 / no audit run {run_id}")
            return run

    # -- what the crawler hands over ------------------------------------------------------------

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
                chunk = run_urls[start:start + _URLS_PER_STATEMENT]
                stored = session.scalars(select(Page.url).where(Page.run_id == run_id, Page.url.in_(chunk))).all()
                for table, url_column in _PAGE_TABLES if stored else ():
                    session.execute(delete(table).where(table.run_id == run_id, url_column.in_(stored)),
                                    execution_options=unsynchronised)

    def _write_rows(self, session: Session) -> None:
        """The pages, links, list rows and hidden links waiting to be written, by executemany
        (a page holds hundreds of links; ORM objects cost more than the SQL), then the copies
        waiting, a few hundred pages to one INSERT … SELECT per table."""
        tables, copies, urls = self._rows.take()
        self._clear(session, urls)
        for table, rows in tables:
            session.execute(insert(table), rows)
        for (run_id, from_run), urls in copies.items():
            overrides = {"run_id": literal(run_id), "fetched_at": literal(_now(), Page.fetched_at.type),
                         "not_modified": literal(True, Page.not_modified.type)}
            for model, url_column in _PAGE_TABLES:
                columns = [column for column in model.__table__.columns if column.name != "id"]
                for start in range(0, len(urls), _URLS_PER_STATEMENT):
                    rows = select(*(overrides.get(column.name, column) for column in columns)).where(
                        model.run_id == from_run, url_column.in_(urls[start:start + _URLS_PER_STATEMENT])
                    ).order_by(model.id)
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

    def stored_copies(self, run_id: int) -> dict[str, StoredCopy]:
        """The pages and documents run `run_id` fetched whole and read, with the validators they came
        with: what a later audit of the site may ask for conditionally."""
        with self.reading() as session:
            rows = session.execute(
                select(Page.url, Page.final_url, Page.etag, Page.last_modified, Page.content_type)
                .where(Page.run_id == run_id, Page.error.is_(None), Page.status >= 200, Page.status < 300,
                       Page.unread.is_(None), (Page.etag.is_not(None)) | (Page.last_modified.is_not(None))))
            return {url: StoredCopy(etag, last_modified, final_url if final_url != url else None,
                                    _is_html(content_type))
                    for url, final_url, etag, last_modified, content_type in rows}

    def copies_source(self, run_id: int) -> int | None:
        """The run whose stored copies run `run_id` may reuse: the latest finished audit of the same
        site read by the same page reader, one of the same scope first."""
        run = self.run(run_id)
        same_scope = AuditRun.scope.is_(None) if run.scope is None else AuditRun.scope == run.scope
        with self.reading() as session:
            return session.scalar(
                select(AuditRun.id).where(AuditRun.site_url == run.site_url, AuditRun.status == RunStatus.DONE.value,
                                          AuditRun.reader_version == run.reader_version, AuditRun.id != run_id)
                .order_by(case((same_scope, 0), else_=1), AuditRun.id.desc()).limit(1))

    def not_modified_count(self, run_id: int) -> int:
        """How many of the run's pages were copies an earlier run stored, the server saying unchanged."""
        with self.reading() as session:
            return session.scalar(select(func.count()).select_from(Page)
                                  .where(Page.run_id == run_id, Page.not_modified.is_(True)))

    def set_reader_version(self, run_id: int, version: str) -> None:
        with self.unit_of_work() as session:
            session.get(AuditRun, run_id).reader_version = version

    def add_bytes_received(self, run_id: int, received: int) -> None:
        with self.unit_of_work() as session:
            session.execute(update(AuditRun).where(AuditRun.id == run_id)
                            .values(bytes_received=func.coalesce(AuditRun.bytes_received, 0) + received)
                            .execution_options(synchronize_session=False))

    def record_page_cap(self, run_id: int, cap: int, left: int | None) -> None:
        """--max-pages stopped the crawl at `cap` pages with `left` requests still queued (None: not known,
        the queue being shared with other processes)."""
        with self.unit_of_work() as session:
            run = session.get(AuditRun, run_id)
            run.page_cap, run.pages_left = cap, left

    def save_check(self, run_id: int, checked: CheckedLink) -> None:
        with self.unit_of_work() as session:
            session.execute(delete(LinkCheck).where(LinkCheck.run_id == run_id, LinkCheck.url == checked.url))
            session.add(LinkCheck(run_id=run_id, url=checked.url, final_url=checked.final_url, status=checked.status,
                                  error=checked.error, method=checked.method, checked_at=_now()))

    def save_robots_refusal(self, run_id: int) -> None:
        with self.unit_of_work() as session:
            session.get(AuditRun, run_id).robots_forbidden = True

    def save_certificate(self, run_id: int, check: CertificateCheck) -> None:
        with self.unit_of_work() as session:
            session.execute(delete(CertificateRecord).where(CertificateRecord.run_id == run_id))
            session.add(CertificateRecord(run_id=run_id, host=check.host, problem=check.problem, checked_at=_now()))

    def save_membership(self, run_id: int, membership: ColumnMembership) -> None:
        with self.unit_of_work() as session:
            exists = session.scalar(select(ColumnPage.id).where(
                ColumnPage.run_id == run_id, ColumnPage.column == membership.column,
                ColumnPage.url == membership.url, ColumnPage.role == membership.role))
            if exists is None:
                session.add(ColumnPage(run_id=run_id, column=membership.column, url=membership.url,
                                       role=membership.role, via=membership.via, reason=membership.reason))

    def save_list_read(self, run_id: int, coverage: ListCoverage) -> None:
        """Store how much of a list was read so far; a later state of the same list replaces it."""
        with self.unit_of_work() as session:
            session.execute(delete(ListRead).where(ListRead.run_id == run_id, ListRead.column == coverage.column,
                                                   ListRead.url == coverage.url))
            session.add(ListRead(run_id=run_id, column=coverage.column, url=coverage.url,
                                 declared_records=coverage.declared_records, declared_pages=coverage.declared_pages,
                                 items_read=coverage.items_read, pages_read=coverage.pages_read,
                                 complete=coverage.complete, shortfall=coverage.shortfall))

    def save_findings(self, run_id: int, findings: Iterable[Finding]) -> None:
        with self.unit_of_work() as session:
            session.execute(delete(FindingRecord).where(FindingRecord.run_id == run_id))
            session.add_all(
                FindingRecord(run_id=run_id, rule=f.rule, url=f.url, column=f.column, severity=f.severity.value,
                              message=f.message, evidence=f.evidence, facts=_facts(f))
                for f in findings
            )

    def save_annotated_findings(self, run_id: int, rows: Iterable[tuple[Finding, "FindingNotes"]]) -> None:
        """Like save_findings, with each finding's fingerprint, 责任单位 and scoring indicator."""
        with self.unit_of_work() as session:
            session.execute(delete(FindingRecord).where(FindingRecord.run_id == run_id))
            session.add_all(
                FindingRecord(run_id=run_id, rule=f.rule, url=f.url, column=f.column, severity=f.severity.value,
                              message=f.message, evidence=f.evidence, fingerprint=notes.fingerprint,
                              units=list(notes.units), unit_source=notes.unit_source, indicator=notes.indicator,
                              membership=notes.membership, facts=_facts(f))
                for f, notes in rows
            )

    def runs(self) -> list[AuditRun]:
        """Every stored run, oldest first."""
        with self._sessions() as session:
            return list(session.scalars(select(AuditRun).order_by(AuditRun.id)))

    def answered_urls(self, run_id: int) -> set[str]:
        """URLs the run fetched or checked and that answered (no error, HTTP status below 400)."""
        with self._sessions() as session:
            answered: set[str] = set()
            for table in (Page, LinkCheck):
                answered.update(session.scalars(select(table.url).where(
                    table.run_id == run_id, table.error.is_(None), table.status.is_not(None), table.status < 400)))
        # Register places the quarter's imports looked at count as checked, like fetched pages.
        return answered | load_registers(self, self.run(run_id).quarter).checked_urls()

    def read_short_columns(self, run_id: int) -> set[str]:
        """The columns with a list the run read short of what it declares (a coverage gap)."""
        with self._sessions() as session:
            return set(session.scalars(select(ListRead.column).where(ListRead.run_id == run_id,
                                                                     ListRead.complete.is_(False))))

    def page_evidence(self, run_id: int) -> dict[str, tuple[datetime, str | None]]:
        """When the run fetched or checked each URL, and the page's title: what a finding's evidence
        was seen on."""
        with self._sessions() as session:
            seen: dict[str, tuple[datetime, str | None]] = {
                url: (checked_at, None) for url, checked_at in session.execute(
                    select(LinkCheck.url, LinkCheck.checked_at).where(LinkCheck.run_id == run_id))}
            seen.update((url, (fetched_at, title)) for url, fetched_at, title in session.execute(
                select(Page.url, Page.fetched_at, Page.title).where(Page.run_id == run_id)))
            return seen

    def kept_urls(self, run_id: int, urls: Iterable[str]) -> set[str]:
        """Which of `urls` the run keeps a copy of (kept_pages gives them), without reading the copies."""
        wanted = list(dict.fromkeys(urls))
        kept: set[str] = set()
        with self._sessions() as session:
            for start in range(0, len(wanted), 500):
                rows = session.execute(
                    select(Page.url, Page.content_type, Page.text.is_not(None), PageBody.url.is_not(None))
                    .outerjoin(PageBody, (PageBody.run_id == Page.run_id) & (PageBody.url == Page.url))
                    .where(Page.run_id == run_id, Page.url.in_(wanted[start:start + 500])))
                kept.update(url for url, content_type, has_text, has_body in rows
                            if has_body or (has_text and not _is_html(content_type)))
        return kept

    def kept_pages(self, run_id: int, urls: Iterable[str]) -> Iterator[KeptPage]:
        """What the run stored of each of `urls` that it fetched: the body as fetched (decompressed)
        for HTML pages, the text read out of attachments, with the fetch's time, title and encoding.
        A few at a time: a bulletin of a big portal keeps hundreds of copies."""
        wanted = list(dict.fromkeys(urls))
        with self._sessions() as session:
            for start in range(0, len(wanted), _KEPT_PER_QUERY):
                batch = wanted[start:start + _KEPT_PER_QUERY]
                bodies = dict(session.execute(select(PageBody.url, PageBody.body)
                                              .where(PageBody.run_id == run_id, PageBody.url.in_(batch))).all())
                for url, fetched_at, title, encoding, content_type, text, truncated in session.execute(
                        select(Page.url, Page.fetched_at, Page.title, Page.encoding, Page.content_type, Page.text,
                               Page.truncated).where(Page.run_id == run_id, Page.url.in_(batch))).all():
                    body = zlib.decompress(bodies.pop(url)) if url in bodies else None
                    if body is None and (text is None or _is_html(content_type)):
                        continue  # an error page, or an HTML page stored before bodies were kept
                    yield KeptPage(url, fetched_at, title, encoding, body, None if body else text, truncated)

    def referring_pages(self, run_id: int, urls: Iterable[str]) -> dict[str, str]:
        """For each of `urls` some page of the run links to, the first such page the crawl stored."""
        wanted = list(dict.fromkeys(urls))
        referring: dict[str, str] = {}
        with self._sessions() as session:
            for start in range(0, len(wanted), 500):
                # The first link to each (a broken link in the footer is on every page: not all of them).
                first = (select(func.min(Link.id))
                         .where(Link.run_id == run_id, Link.to_url.in_(wanted[start:start + 500]))
                         .group_by(Link.to_url))
                referring.update(session.execute(select(Link.to_url, Link.from_url).where(Link.id.in_(first))).all())
        return referring

    def finding_counts(self) -> dict[int, int]:
        """Number of stored findings of every run."""
        counts: dict[int, int] = {}
        with self._sessions() as session:
            for run_id in session.scalars(select(FindingRecord.run_id)):
                counts[run_id] = counts.get(run_id, 0) + 1
        return counts

    # -- what the rules read --------------------------------------------------------------------

    def snapshot(self, run_id: int, config: Settings) -> SiteSnapshot:
        run = self.run(run_id)
        content = StoredRunContent(self, run_id)
        snap = SiteSnapshot(site_url=run.site_url, as_of=run.as_of, scope=run.scope, config=config, content=content,
                            robots_forbidden=bool(run.robots_forbidden))
        with self._sessions() as session:
            # Page text and the raw rows stay in the database: rules read text one page at a time,
            # and rows are streamed, so a 20k-page run is not held in memory twice.
            pages = session.execute(
                select(*(getattr(Page, name) for name in _PAGE_VIEW_COLUMNS)).where(Page.run_id == run_id)
                .execution_options(yield_per=1000))
            # A 20k-page run holds half a million links and thousands of pages: each URL and each
            # repeated value (content type, publisher, labels…) is kept once, not per row; edges are
            # integer ids; meta tags are read on demand (StoredRunContent).
            shared: dict = {}
            for page in pages:
                url = sys.intern(page.url)
                snap.pages[url] = PageView(
                    url=url, final_url=url if page.final_url == url else _shared(shared, page.final_url),
                    status=page.status, error=page.error, content_type=_shared(shared, page.content_type),
                    title=page.title, publish_date=page.publish_date, doc_number=page.doc_number,
                    publisher=_shared(shared, page.publisher), labels=_shared(shared, tuple(page.labels or ())),
                    is_list=page.is_list, empty_notice=page.empty_notice, redirect_to=page.redirect_to,
                    written_date=page.written_date, index_number=page.index_number, topic=_shared(shared, page.topic),
                    validity=_shared(shared, page.validity), disclosure_mode=_shared(shared, page.disclosure_mode),
                    publish_date_source=_shared(shared, page.publish_date_source),
                    is_html=_is_html(page.content_type), unread=page.unread)
            links = session.execute(
                select(Link.from_url, Link.to_url, Link.text, Link.on_site, Link.is_click)
                .where(Link.run_id == run_id, Link.tag.in_(("a", "redirect", "iframe"))).distinct()
                .execution_options(yield_per=5000))
            for from_url, to_url, text, on_site, is_click in links:
                from_url, to_url = sys.intern(from_url), sys.intern(to_url)
                if on_site:
                    snap.edges.add(from_url, to_url, is_click)
                spec = config.column_for_anchor(text) if text else None
                if spec is not None:
                    snap.anchors[spec.key].append(Anchor(from_url, to_url, _shared(shared, text), on_site))
            content.follow_order(list(snap.pages))
            snap.certificate_problem = session.scalar(
                select(CertificateRecord.problem).where(CertificateRecord.run_id == run_id))
            for url, status, error in session.execute(
                    select(LinkCheck.url, LinkCheck.status, LinkCheck.error).where(LinkCheck.run_id == run_id)):
                snap.checks[url] = CheckView(url, status, error)
            for column, url, role, via, reason in session.execute(
                    select(ColumnPage.column, ColumnPage.url, ColumnPage.role, ColumnPage.via, ColumnPage.reason)
                    .where(ColumnPage.run_id == run_id).order_by(ColumnPage.id)):
                url, role, via = sys.intern(url), _shared(shared, role), via and sys.intern(via)
                snap.members[column].append((url, role))
                snap.member_how.setdefault((column, url), MemberStep(role, via, _shared(shared, reason)))
                if via is not None:
                    snap.member_via[(column, url)].add(via)
            for read in session.scalars(select(ListRead).where(ListRead.run_id == run_id).order_by(ListRead.id)):
                snap.list_reads[read.column].append(ListCoverage(
                    read.column, read.url, read.declared_records, read.declared_pages, read.items_read,
                    read.pages_read, read.complete, read.shortfall))
            rows = session.execute(
                select(ListItem.page_url, ListItem.title, ListItem.url, ListItem.date, ListItem.main_list)
                .where(ListItem.run_id == run_id).order_by(ListItem.page_url, ListItem.main_list, ListItem.position)
                .execution_options(yield_per=5000))
            for page_url, title, url, item_date, main_list in rows:
                target = snap.main_items if main_list else snap.dated_links
                target[page_url].append(ItemView(sys.intern(page_url), title, sys.intern(url), item_date))
            for page_url, url, text, how in session.execute(
                    select(HiddenLinkRecord.page_url, HiddenLinkRecord.url, HiddenLinkRecord.text, HiddenLinkRecord.how)
                    .where(HiddenLinkRecord.run_id == run_id).order_by(HiddenLinkRecord.id)):
                snap.hidden_links[page_url].append(HiddenLink(url, text, how))
        snap.registers = load_registers(self, run.quarter)
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


class _PageRows:
    """Rows of fetched pages not yet written: one list per table, in the order they came."""

    def __init__(self):
        self.urls: set[tuple[int, str]] = set()
        self._tables: dict[type[Base], list[dict]] = {Page: [], PageBody: [], Link: [], ListItem: [],
                                                      HiddenLinkRecord: []}
        # (run, earlier run) → the URLs whose copy the earlier run stored are to be taken over.
        self._copies: dict[tuple[int, int], list[str]] = defaultdict(list)

    def take(self) -> tuple[list[tuple[type[Base], list[dict]]], dict[tuple[int, int], list[str]],
                            set[tuple[int, str]]]:
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
        page = dict(run_id=run_id, url=fetched.url, final_url=fetched.final_url, status=fetched.status,
                    error=fetched.error, content_type=fetched.content_type, fetched_at=_now(), labels=[],
                    meta_tags={}, text=fetched.attachment_text, truncated=fetched.truncated, unread=fetched.unread,
                    etag=fetched.etag, last_modified=fetched.last_modified, is_list=False, empty_notice=False, **dict.fromkeys(_READING_COLUMNS))
        self._tables[Page].append(page)
        if fetched.body is not None:
            self._tables[PageBody].append(dict(run_id=run_id, url=fetched.url, body=fetched.body))
        reading = fetched.reading
        if reading is None:
            return
        redirect_to = canonical_url(reading.redirect_to) if reading.redirect_to else None
        page.update(
            cms=reading.cms, encoding=reading.encoding, title=reading.title,
            publish_date=reading.publish_date.value if reading.publish_date is not None else None,
            publish_date_source=reading.publish_date.source if reading.publish_date is not None else None,
            written_date=reading.written_date, doc_number=reading.doc_number, publisher=reading.publisher,
            index_number=reading.index_number, topic=reading.topic, validity=reading.validity,
            disclosure_mode=reading.disclosure_mode, labels=list(reading.labels), is_list=bool(reading.list_items),
            empty_notice=reading.empty_notice, total_pages=reading.total_pages, total_records=reading.total_records,
            redirect_to=redirect_to, meta_tags=dict(reading.meta_tags), text=reading.text,
            breadcrumb=[{"text": crumb.text, "url": crumb.url} for crumb in reading.breadcrumb],
            more_requests=_form_records(reading.more_requests),
            lists=[{"rows": len(part.list_items), "next_pages": [canonical_url(url) for url in part.next_pages],
                    "total_pages": part.total_pages, "total_records": part.total_records,
                    "more_requests": _form_records(part.more_requests)} for part in reading.lists] or None)
        next_pages = {canonical_url(url) for url in reading.next_pages}
        links = self._tables[Link]
        for link in reading.links:
            target = canonical_url(link.url)
            links.append(dict(run_id=run_id, from_url=fetched.url, to_url=target, text=link.text[:500], tag=link.tag,
                              on_site=_host(target) in site_hosts, is_click=link.tag == "a" and target not in next_pages,
                              region=str(link.region)))
        if redirect_to:
            links.append(dict(run_id=run_id, from_url=fetched.url, to_url=redirect_to, text="", tag="redirect",
                              on_site=_host(redirect_to) in site_hosts, is_click=False, region=None))
        self._tables[ListItem].extend(
            dict(run_id=run_id, page_url=fetched.url, position=position, main_list=main_list,
                 title=entry.title[:1000], url=canonical_url(entry.url), date=entry.date, date_source=entry.date_source)
            for main_list, entries in ((True, reading.list_items), (False, reading.dated_links))
            for position, entry in enumerate(entries))
        self._tables[HiddenLinkRecord].extend(
            dict(run_id=run_id, page_url=fetched.url, url=link.url[:2048], text=link.text[:500], how=link.how[:64])
            for link in reading.hidden_links)


# Kept copies read at once when a bulletin writes them.
_KEPT_PER_QUERY = 50
# URLs named in one statement (SQLite allows 32766 bound parameters, PostgreSQL 65535).
_URLS_PER_STATEMENT = 500
# The tables holding what was stored of a page, each with the column naming the page.
_PAGE_TABLES = ((Page, Page.url), (PageBody, PageBody.url), (Link, Link.from_url), (ListItem, ListItem.page_url),
                (HiddenLinkRecord, HiddenLinkRecord.page_url))

# Page columns only a reading fills (None for an error or a document).
_READING_COLUMNS = ("cms", "encoding", "title", "publish_date", "publish_date_source", "written_date", "doc_number",
                    "publisher", "index_number", "topic", "validity", "disclosure_mode", "total_pages", "total_records",
                    "redirect_to", "breadcrumb", "more_requests", "lists")


def _form_records(requests: list[FormRequest]) -> list[dict]:
    return [{"url": more.url, "formdata": dict(more.formdata)} for more in requests]


def _form_requests(records: list[dict] | None) -> list[FormRequest]:
    return [FormRequest(more["url"], dict(more["formdata"])) for more in records or ()]


def _shared(shared: dict, value):
    """One object for equal values across the snapshot's rows."""
    return shared.setdefault(value, value) if value is not None else None


@dataclass(frozen=True)
class KeptPage:
    """A page as the run fetched it: the HTML body, or the text read out of an attachment."""

    url: str
    fetched_at: datetime
    title: str | None
    encoding: str | None
    body: bytes | None
    text: str | None
    truncated: bool


@dataclass(frozen=True)
class ReplayIndex:
    read: frozenset[str]      # HTML pages fetched and read
    stored: frozenset[str]    # every URL with a stored fetch (pages, documents, errors)
    checked: frozenset[str]   # link targets checked


def _process_alive(host: str | None, pid: int | None) -> bool:
    """Whether the process that owns a run still runs; an owner on another machine counts as alive."""
    if pid is None:
        return False
    if host != socket.gethostname():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# The page columns a PageView shows (everything but the text and meta tags, read on demand).
_PAGE_VIEW_COLUMNS = ("url", "final_url", "status", "error", "content_type", "title", "publish_date", "doc_number",
                      "publisher", "labels", "is_list", "empty_notice", "redirect_to", "written_date", "index_number",
                      "topic", "validity", "disclosure_mode", "publish_date_source", "unread")


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

    def __init__(self, store: Store, run_id: int):
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
        batch = [url] if start is None else self._urls[start:start + self.TEXT_BATCH]
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
            batch = self._urls[position:position + self.TEXT_BATCH]
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
                .where(Link.run_id == self._run_id, condition).order_by(Link.id))
            return [LinkView(*row) for row in rows]


def _facts(finding: Finding) -> dict:
    return {name: list(values) for name, values in finding.facts.items()}


@dataclass(frozen=True)
class FindingNotes:
    """What the store keeps beside a finding for history and reports (see audit/history.py)."""

    fingerprint: str
    units: tuple[str, ...]
    unit_source: str
    indicator: str | None
    # Why the finding's page was judged part of its column (SiteSnapshot.membership_note).
    membership: str | None = None


_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/xml", "application/xml", "text/plain")


def _is_html(content_type: str | None) -> bool:
    """Pages whose type is unknown are read as HTML, as the crawler did; .xlsx/.docx types
    (application/vnd.openxmlformats-…) are documents even though they say "xml"."""
    return content_type is None or content_type.split(";")[0].strip().lower() in _HTML_TYPES


def _prepare_sqlite(engine: Engine) -> None:
    """WAL so a reader never blocks the crawl's writes; the file readable by its owner only."""
    database = engine.url.database
    if database and database != ":memory:":
        path = Path(database)
        if not path.exists():
            # A typo in the path must not quietly create a tree of folders and a new empty database.
            if not path.parent.is_dir():
                raise StoreError(f"数据库所在目录不存在 / the database's folder does not exist: {path.parent}")
            path.touch(mode=0o600)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        # Wait for a lock held by another govaudit process before anything else needs one.
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


# Names of URL query parameters that carry a secret (also hidden in log lines: audit.run.logfile).
SECRET_KEYS = re.compile(r"pass|pwd|secret|token|key", re.I)


def _safe(db_url: str) -> str:
    """The database URL as shown to people: never with its password (also not one in the query)."""
    try:
        url = make_url(db_url)
        hidden = {key: "***" for key in url.query if SECRET_KEYS.search(key)}
        return repr(url.update_query_dict(hidden).render_as_string(hide_password=True))
    except (ArgumentError, ValueError):
        return "(无效的数据库地址 / invalid database URL)"


def _without_secrets(message: str, db_url: str) -> str:
    """A driver's error message with any secret of the URL in it replaced (drivers may quote the URL)."""
    secrets = re.findall(r"://[^:/@]*:([^@]+)@", db_url)
    try:
        for key, value in make_url(db_url).query.items():
            if SECRET_KEYS.search(key):
                secrets += [value] if isinstance(value, str) else list(value)
    except (ArgumentError, ValueError):
        pass
    for secret in secrets:
        message = message.replace(secret, "***")
    return message


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
