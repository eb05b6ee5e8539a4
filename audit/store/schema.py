"""The database schema and its upgrades, through Alembic migrations (audit/store/migrations).

Every govaudit command that opens a database brings it to the current schema first, SQLite and
PostgreSQL alike (`govaudit db upgrade` does only that): a new database is created from the models
and marked current; one made by an earlier govaudit is migrated; one from before migrations
existed gets its missing tables and columns added and is then marked current.
"""

from __future__ import annotations

import time
from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, MetaData, create_engine, inspect
from sqlalchemy import text as sql_text
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from audit.store.models import Base


class SchemaError(RuntimeError):
    """The database cannot be brought to the current schema."""


def _config(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("audit.store").joinpath("migrations")))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(_config(None)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring the database to the current schema. Two processes opening a new database at once may
    race to create the same table or version row; the loser finds it made on its second look."""
    for attempt in range(4):
        try:
            _upgrade_once(engine)
            return
        except (OperationalError, ProgrammingError, IntegrityError) as exc:
            text = str(exc).lower()
            if attempt == 3 or not any(word in text for word in ("already exists", "locked", "duplicate", "unique")):
                raise
            time.sleep(0.2 * (attempt + 1))


def _upgrade_once(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    with engine.begin() as connection:
        config = _config(connection)
        if "alembic_version" in tables:
            if MigrationContext.configure(connection).get_current_revision() != head_revision():
                command.upgrade(config, "head")
            return
        if "page" in tables and "version_id" not in {
            column["name"] for column in inspect(connection).get_columns("page")
        }:
            # From before migrations, with a page row per page per run: first what 0001–0012 made (tables
            # and columns it lacks), then 0013 moves its pages into shared versions.
            layout = _layout_at(_SHARED_PAGES_REVISION)
            layout.create_all(connection)
            _add_missing_columns(connection, layout)
            command.stamp(config, _SHARED_PAGES_REVISION)
            command.upgrade(config, "head")
            return
        if tables:
            # A database from before migrations: add what later versions added, then mark it.
            Base.metadata.create_all(connection)
            _add_missing_columns(connection, Base.metadata)
        else:
            Base.metadata.create_all(connection)
        command.stamp(config, "head")


# The revision before pages were shared between runs (0013).
_SHARED_PAGES_REVISION = "0012"


def _layout_at(revision: str) -> MetaData:
    """The tables as the migrations up to `revision` made them (built in a scratch SQLite database)."""
    scratch = create_engine("sqlite://")
    with scratch.begin() as connection:
        command.upgrade(_config(connection), revision)
    layout = MetaData()
    layout.reflect(scratch)
    layout.remove(layout.tables["alembic_version"])
    scratch.dispose()
    return layout


def _add_missing_columns(connection, layout: MetaData) -> None:
    """Add the (nullable) columns and indexes `layout` has and the tables lack. Rows stored before
    have NULL there."""
    inspector = inspect(connection)
    for table in layout.sorted_tables:
        existing = {column["name"] for column in inspector.get_columns(table.name)}
        added = False
        for column in table.columns:
            if column.name in existing:
                continue
            if not column.nullable:
                raise SchemaError(f"数据库版本过旧，请重建 / database too old, recreate it: {table.name}.{column.name}")
            kind = column.type.compile(dialect=connection.dialect)
            preparer = connection.dialect.identifier_preparer
            connection.execute(
                sql_text(f"ALTER TABLE {preparer.quote(table.name)} ADD COLUMN {preparer.quote(column.name)} {kind}")
            )
            added = True
        if added:
            for index in table.indexes:
                index.create(connection, checkfirst=True)
