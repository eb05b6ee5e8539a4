"""Schema changes go through Alembic migrations: the migrations build exactly the models' schema
(a model changed without a migration fails here), a new database is marked current, one from
before migrations is brought up and marked, on SQLite and on PostgreSQL."""
from __future__ import annotations

import sqlite3

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from audit.store import Store
from audit.store.models import Base
from audit.store.schema import _config, current_revision, head_revision
from audit.store.store import engine_url
from rules.base import Finding, Severity
from databases import BACKENDS, fresh_database
from portal_kit import govaudit


@pytest.mark.parametrize("kind", BACKENDS)
def test_the_migrations_build_the_models_schema(kind, tmp_path):
    with fresh_database(kind, tmp_path) as db_url:
        engine = create_engine(engine_url(db_url))
        with engine.begin() as connection:
            command.upgrade(_config(connection), "head")
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        engine.dispose()
    assert differences == [], "a model changed without a migration: add one under audit/store/migrations/versions"


@pytest.mark.parametrize("kind", BACKENDS)
def test_a_new_database_is_created_at_the_current_revision(kind, tmp_path):
    with fresh_database(kind, tmp_path) as db_url:
        store = Store(db_url)
        assert current_revision(store.engine) == head_revision()
        done = govaudit("db", "upgrade", "--db", db_url)
        store.engine.dispose()
    assert done.returncode == 0, done.stderr
    assert head_revision() in done.stdout


def test_a_database_from_before_migrations_is_brought_up_and_marked(tmp_path):
    db = tmp_path / "old.sqlite"
    Store(f"sqlite:///{db}").engine.dispose()
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE alembic_version")
        conn.execute("DROP TABLE hidden_link")
        conn.execute("ALTER TABLE audit_run DROP COLUMN unjudged_rules")
    done = govaudit("db", "upgrade", "--db", f"sqlite:///{db}")
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(db) as conn:
        tables = {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}
        columns = {row[1] for row in conn.execute("PRAGMA table_info(audit_run)")}
        [(revision,)] = conn.execute("select version_num from alembic_version").fetchall()
    assert "hidden_link" in tables and "unjudged_rules" in columns and revision == head_revision()


@pytest.mark.parametrize("kind", BACKENDS)
def test_a_database_at_an_earlier_revision_is_migrated_when_opened(kind, tmp_path):
    with fresh_database(kind, tmp_path) as db_url:
        engine = create_engine(engine_url(db_url))
        with engine.begin() as connection:
            command.upgrade(_config(connection), "0001")
        engine.dispose()
        done = govaudit("db", "upgrade", "--db", db_url)
        store = Store(db_url)
        columns = {column["name"] for column in inspect(store.engine).get_columns("audit_run")}
        revision = current_revision(store.engine)
        store.engine.dispose()
    assert done.returncode == 0, done.stderr
    assert "robots_forbidden" in columns and revision == head_revision() != "0001"


@pytest.mark.parametrize("kind", BACKENDS)
def test_findings_stored_before_facts_state_none_after_the_upgrade(kind, tmp_path):
    """0007 adds finding.facts: a finding stored at 0006 reads {} afterwards, and a new one keeps its own."""
    with fresh_database(kind, tmp_path) as db_url:
        engine = create_engine(engine_url(db_url))
        with engine.begin() as connection:
            command.upgrade(_config(connection), "0006")
            connection.execute(text("insert into audit_run (id, site_url, as_of, config_fingerprint, started_at, status) "
                                    "values (1, 'http://x/', '2022-10-15', 'f', '2022-10-15 00:00:00', 'done')"))
            connection.execute(text("insert into finding (run_id, rule, url, severity, message, evidence) "
                                    "values (1, 'entity.sector_missing', 'http://x/', '扣分', '缺少：供电', '')"))
        engine.dispose()
        done = govaudit("db", "upgrade", "--db", db_url)
        store = Store(db_url)
        before = [record.facts for record in store.findings(1)]
        store.save_findings(1, [Finding("entity.sector_missing", "http://x/b", None, Severity.DEDUCT, "m", "",
                                        {"sectors": ("供水",)})])
        facts = [record.facts for record in store.findings(1)]
        store.engine.dispose()
    assert done.returncode == 0, done.stderr
    assert before == [{}] and facts == [{"sectors": ["供水"]}]
