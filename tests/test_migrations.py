"""Schema changes go through Alembic migrations: the migrations build exactly the models' schema
(a model changed without a migration fails here), a new database is marked current, one from
before migrations is brought up and marked, on SQLite and on PostgreSQL."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from databases import BACKENDS, fresh_database
from portal_kit import govaudit
from sqlalchemy import create_engine, inspect, text

from audit.store import Store
from audit.store.models import Base
from audit.store.registers import load_registers
from audit.store.schema import _config, current_revision, head_revision
from audit.store.store import engine_url
from rules.base import Finding, Severity
from rules.registers import kind_named


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
        conn.execute("DROP TABLE page_content")
        conn.execute("ALTER TABLE audit_run DROP COLUMN unjudged_rules")
    done = govaudit("db", "upgrade", "--db", f"sqlite:///{db}")
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(db) as conn:
        tables = {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}
        columns = {row[1] for row in conn.execute("PRAGMA table_info(audit_run)")}
        [(revision,)] = conn.execute("select version_num from alembic_version").fetchall()
    assert "page_content" in tables and "unjudged_rules" in columns and revision == head_revision()


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
            connection.execute(
                text(
                    "insert into audit_run (id, site_url, as_of, config_fingerprint, started_at, status) "
                    "values (1, 'http://x/', '2022-10-15', 'f', '2022-10-15 00:00:00', 'done')"
                )
            )
            connection.execute(
                text(
                    "insert into finding (run_id, rule, url, severity, message, evidence) "
                    "values (1, 'entity.sector_missing', 'http://x/', '扣分', '缺少：供电', '')"
                )
            )
        engine.dispose()
        done = govaudit("db", "upgrade", "--db", db_url)
        store = Store(db_url)
        before = [record.facts for record in store.findings(1)]
        store.save_findings(
            1, [Finding("entity.sector_missing", "http://x/b", None, Severity.DEDUCT, "m", "", {"sectors": ("供水",)})]
        )
        facts = [record.facts for record in store.findings(1)]
        store.engine.dispose()
    assert done.returncode == 0, done.stderr
    assert before == [{}] and facts == [{"sectors": ["供水"]}]


@pytest.mark.parametrize("kind", BACKENDS)
def test_register_rows_move_into_one_table_unchanged(kind, tmp_path):
    """0009 moves media_account, hotline_ticket and public_message rows into register_row: each
    reads back as the same typed row, in the same order; downgrading moves them back."""
    with fresh_database(kind, tmp_path) as db_url:
        engine = create_engine(engine_url(db_url))
        with engine.begin() as connection:
            command.upgrade(_config(connection), "0008")
            for number, (register, quarter) in enumerate(
                (("media", "2022Q3"), ("hotline", "2022Q3"), ("messages", "2022Q3"), ("media", "2022Q2")), 1
            ):
                connection.execute(
                    text(
                        "insert into register_import (id, kind, quarter, source, imported_at, rows) "
                        f"values ({number}, '{register}', '{quarter}', 'f.csv', '2022-10-01 00:00:00', 1)"
                    )
                )
            connection.execute(
                text(
                    "insert into media_account (import_id, name, platform, unit, filed, opened, closed, last_post, posts, "
                    "interaction) values (1, '马关发布', '微信公众号', '县政府办公室', true, '2020-01-01', null, "
                    "'2022-09-30', 12, null), (4, '旧号', '微博', '县司法局', false, null, null, null, null, false), "
                    "(1, '马关司法', '微博', '县司法局', false, null, '2022-08-01', '2022-07-01', 0, true)"
                )
            )
            connection.execute(
                text(
                    "insert into hotline_ticket (import_id, ticket_id, received, unit, deadline, closed, satisfied) "
                    "values (2, 'A1', '2022-09-01', '县交通运输局', '2022-09-09', null, false)"
                )
            )
            connection.execute(
                text(
                    "insert into public_message (import_id, message_id, received, unit, forwarded, answered, title) "
                    "values (3, 'ZC1', '2022-08-01', '县政府办公室', null, '2022-08-20', '网站链接打不开')"
                )
            )
            command.upgrade(_config(connection), "head")
        store = Store(db_url)
        q3, q2 = load_registers(store, "2022Q3"), load_registers(store, "2022Q2")
        tables = set(inspect(store.engine).get_table_names())
        store.engine.dispose()
        with engine.begin() as connection:
            command.downgrade(_config(connection), "0008")
            back = connection.execute(text("select name, last_post from media_account order by id")).all()
        engine.dispose()
    media = kind_named("media").row
    assert q3.of("media") == (
        media("马关发布", "微信公众号", "县政府办公室", True, date(2020, 1, 1), None, date(2022, 9, 30), 12, None),
        media("马关司法", "微博", "县司法局", False, None, date(2022, 8, 1), date(2022, 7, 1), 0, True),
    )
    assert q2.of("media") == (media("旧号", "微博", "县司法局", False, None, None, None, None, False),)
    assert q3.of("hotline") == (
        kind_named("hotline").row("A1", date(2022, 9, 1), "县交通运输局", date(2022, 9, 9), None, False),
    )
    assert q3.of("messages") == (
        kind_named("messages").row("ZC1", date(2022, 8, 1), "县政府办公室", None, date(2022, 8, 20), "网站链接打不开"),
    )
    assert "register_row" in tables and not tables & {"media_account", "hotline_ticket", "public_message"}
    assert [(name, str(day) if day else None) for name, day in back] == [
        ("马关发布", "2022-09-30"),
        ("马关司法", "2022-07-01"),
        ("旧号", None),
    ]
