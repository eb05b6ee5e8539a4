"""The database's upkeep: what it holds (`govaudit db stats`) and dropping what only old runs refer to
(`govaudit prune`, whose choice of runs and of evidence to keep is audit.judging.prune's)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, case, delete, exists, func, inspect, select, table
from sqlalchemy import text as sql_text
from sqlalchemy.exc import SQLAlchemyError

from audit.store.models import AuditRun, Page, PageContent, PageVersion


@dataclass(frozen=True)
class TableSize:
    name: str
    rows: int
    # Bytes on disk, indexes included; None when the database cannot say (SQLite without dbstat).
    size: int | None


@dataclass(frozen=True)
class RunReferences:
    """What one run refers to: its page rows, how many were 304 copies, and the page versions only
    it refers to (what pruning it alone would free)."""

    run_id: int
    quarter: str | None
    site_url: str
    status: str
    pages: int
    not_modified: int
    versions: int
    own_versions: int


@dataclass(frozen=True)
class Pruned:
    pages: int
    versions: int
    bodies: int


class Upkeep:
    """Statistics and pruning (a part of audit.store.Store, whose sessions it uses)."""

    def table_sizes(self) -> list[TableSize]:
        """Rows and bytes of every table, biggest first."""
        names = sorted(set(inspect(self.engine).get_table_names()) - {"alembic_version"})
        sizes = _sizes(self.engine, names)
        with self.reading() as session:
            rows = {name: session.scalar(select(func.count()).select_from(table(name))) for name in names}
        return sorted(
            (TableSize(name, rows[name], sizes.get(name)) for name in names),
            key=lambda size: (-(size.size or 0), -size.rows, size.name),
        )

    def run_references(self) -> list[RunReferences]:
        with self.reading() as session:
            shared = (
                select(Page.version_id)
                .where(Page.version_id.is_not(None))
                .group_by(Page.version_id)
                .having(func.count(func.distinct(Page.run_id)) == 1)
                .subquery()
            )
            own = dict(
                session.execute(
                    select(Page.run_id, func.count(func.distinct(Page.version_id)))
                    .where(Page.version_id.in_(select(shared.c.version_id)))
                    .group_by(Page.run_id)
                ).all()
            )
            counts = {
                run_id: (pages, unchanged or 0, versions)
                for run_id, pages, unchanged, versions in session.execute(
                    select(
                        Page.run_id,
                        func.count(),
                        func.sum(case((Page.not_modified.is_(True), 1), else_=0)),
                        func.count(func.distinct(Page.version_id)),
                    ).group_by(Page.run_id)
                )
            }
            runs = session.execute(
                select(AuditRun.id, AuditRun.quarter, AuditRun.site_url, AuditRun.status).order_by(AuditRun.id)
            ).all()
        return [
            RunReferences(run_id, quarter, site_url, status, *counts.get(run_id, (0, 0, 0)), own.get(run_id, 0))
            for run_id, quarter, site_url, status in runs
        ]

    def drop_pages(self, keep: dict[int, set[str]]) -> Pruned:
        """Drop the page rows of the runs in `keep` but those of the URLs kept for each, then the versions
        and bodies no page row refers to any more. Runs and findings stay."""
        unsynchronised = {"synchronize_session": False}
        with self.unit_of_work() as session:
            dropped = 0
            for run_id, urls in keep.items():
                condition = Page.run_id == run_id
                if urls:
                    condition &= Page.url.not_in(sorted(urls))
                dropped += session.execute(delete(Page).where(condition), execution_options=unsynchronised).rowcount
            versions = session.execute(
                delete(PageVersion).where(~exists().where(Page.version_id == PageVersion.id)),
                execution_options=unsynchronised,
            ).rowcount
            bodies = session.execute(
                delete(PageContent).where(~exists().where(PageVersion.digest == PageContent.digest)),
                execution_options=unsynchronised,
            ).rowcount
        return Pruned(dropped, versions, bodies)

    def compact(self) -> None:
        """Give the space pruning freed back to the file system: SQLite's VACUUM (it rewrites the file and
        needs as much free disk again). PostgreSQL reuses freed space for later runs without it: its
        autovacuum marks the deleted rows reusable."""
        if self.engine.dialect.name == "sqlite":
            with self.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM")


def _sizes(engine: Engine, names: list[str]) -> dict[str, int]:
    """Bytes of each table with its indexes: SQLite's dbstat (pages of each b-tree), PostgreSQL's
    pg_total_relation_size."""
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "postgresql":
                return {
                    name: connection.execute(sql_text("SELECT pg_total_relation_size(:name)"), {"name": name}).scalar()
                    for name in names
                }
            if engine.dialect.name == "sqlite":
                sizes: dict[str, int] = {}
                for table, size in connection.execute(
                    sql_text(
                        "SELECT m.tbl_name, SUM(s.pgsize) FROM dbstat s JOIN sqlite_master m ON m.name = s.name"
                        " GROUP BY m.tbl_name"
                    )
                ):
                    sizes[table] = size
                return sizes
    except SQLAlchemyError:
        pass  # SQLite built without dbstat: rows only
    return {}
