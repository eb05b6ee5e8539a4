"""The store between crawler and rules: writes what the spider reads as it goes, one
transaction per fetched page, and reads a run back as the rules' SiteSnapshot. One facade, Store,
over its parts: runs (audit.store.runs), page writes and copies (pages), evidence queries
(evidence), snapshot building (snapshot)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from audit.store import probes as _probes  # noqa: F401  (its table is part of the schema)
from audit.store import reviews as _reviews  # noqa: F401  (its table is part of the schema)
from audit.store import sites as _sites  # noqa: F401  (its table is part of the schema)
from audit.store.common import StoreError
from audit.store.evidence import EvidenceQueries, KeptPage
from audit.store.pages import FindingNotes, PageWrites, ReplayIndex, _PageRows
from audit.store.runs import Runs
from audit.store.schema import SchemaError
from audit.store.schema import upgrade as upgrade_schema
from audit.store.snapshot import Snapshots, StoredRunContent
from audit.store.upkeep import Upkeep

__all__ = ["FindingNotes", "KeptPage", "ReplayIndex", "Store", "StoreError", "StoredRunContent", "default_db_url"]

DEFAULT_DB_FILE = "govaudit.sqlite"


def default_db_url() -> str:
    return os.environ.get("GOVAUDIT_DB") or f"sqlite:///{DEFAULT_DB_FILE}"


def engine_url(db_url: str) -> str:
    """`postgresql://…` means the psycopg 3 driver (SQLAlchemy alone would pick psycopg2)."""
    if db_url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + db_url.split("://", 1)[1]
    return db_url


class Store(Runs, PageWrites, EvidenceQueries, Snapshots, Upkeep):
    """The database of audit runs, one facade over its parts: runs (audit.store.runs), page writes and
    copies (pages), evidence queries (evidence), snapshot building (snapshot) and upkeep (statistics,
    pruning)."""

    def __init__(self, db_url: str):
        self.db_url = db_url
        try:
            self.engine: Engine = create_engine(engine_url(db_url))
            if self.engine.dialect.name == "sqlite":
                _prepare_sqlite(self.engine)
            upgrade_schema(self.engine)
        except ImportError as exc:
            hint = (
                "pip install 'govaudit[cluster]'"
                if engine_url(db_url).startswith("postgresql")
                else "安装该数据库的 SQLAlchemy 驱动 / install its SQLAlchemy driver"
            )
            raise StoreError(
                f"无法打开数据库，缺少驱动 {exc.name} / missing database driver {exc.name} for {_safe(db_url)}: {hint}"
            ) from exc
        except (ArgumentError, SQLAlchemyError, OSError, SchemaError, ValueError) as exc:
            raise StoreError(
                f"无法打开数据库 / cannot open database {_safe(db_url)}: {_without_secrets(_first_line(exc), db_url)}"
            ) from exc
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
