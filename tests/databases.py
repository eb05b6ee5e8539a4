"""Fresh, empty databases of each kind the store supports: a SQLite file, or a new database on the
real PostgreSQL server scripts/services.sh starts on 127.0.0.1 (GOVAUDIT_TEST_PG)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from audit.store.store import engine_url

BACKENDS = ("sqlite", "postgresql")


def postgres_server() -> str:
    """The PostgreSQL server URL, or a skip saying why there is none."""
    url = os.environ.get("GOVAUDIT_TEST_PG")
    if not url:
        pytest.skip("PostgreSQL not started: run the tests through scripts/test.sh (scripts/services.sh)")
    return url


@contextmanager
def fresh_database(kind: str, folder: Path) -> Iterator[str]:
    """The URL of a new empty database of `kind`, dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / f'{uuid.uuid4().hex}.sqlite'}"
        return
    # Given to govaudit as users write it (postgresql://…); the admin connection names the driver.
    server = make_url(postgres_server())
    name = f"govaudit_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(engine_url(postgres_server()), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
