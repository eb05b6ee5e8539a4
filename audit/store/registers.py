"""The office's registers in the database: one import per kind, quarter and portal (a new import of
the same kind, quarter and portal replaces the old one), and its rows, whatever the kind, as one
JSON object each (RegisterKind.to_data / from_data), so a new kind needs no table of its own.

An import names its portal by the portal's key (host and path, portal_key); an import stored before
registers belonged to portals has none and counts for whichever portal the database audits."""

from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urlsplit

from sqlalchemy import JSON, ForeignKey, Index, String, delete, or_, select
from sqlalchemy.orm import Mapped, mapped_column

from audit.store.models import AuditRun, Base
from rules.registers import KINDS, ImportNote, RegisterKind, Registers

_INDEX_FILES = ("index.html", "index.htm", "index.shtml", "index.jsp", "index.php", "default.html", "default.htm")


class RegisterImport(Base):
    __tablename__ = "register_import"
    __table_args__ = (Index("ix_register_import_kind_quarter_site", "kind", "quarter", "site"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # a RegisterKind's name: media | hotline | messages …
    quarter: Mapped[str] = mapped_column(String(8), index=True)
    source: Mapped[str] = mapped_column(String(512))  # the file's name, for the bulletin
    imported_at: Mapped[datetime]
    rows: Mapped[int]
    # The portal (county) the register belongs to, as portal_key gives it; None: imported before
    # registers belonged to portals, counts for any.
    site: Mapped[str | None] = mapped_column(String(512))
    # The kind's fields the file had a column for; None: imported before this was kept (all of them).
    fields: Mapped[list | None] = mapped_column(JSON)


class RegisterRow(Base):
    """One row of an imported register, its fields as the kind's row has them (dates as ISO text)."""

    __tablename__ = "register_row"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("register_import.id", ondelete="CASCADE"), index=True)
    data: Mapped[dict] = mapped_column(JSON)


def portal_key(site_url: str) -> str:
    """The portal a site URL names, as registers are attached to it: host and path, without scheme,
    port, trailing slash or index file (http://www.mg.gov.cn/index.html → www.mg.gov.cn)."""
    parts = urlsplit(site_url)
    head, _, last = (parts.path or "/").rpartition("/")
    path = f"{head}/" if last.lower() in _INDEX_FILES else parts.path or "/"
    return f"{(parts.hostname or '').lower()}{path.rstrip('/')}"


def save_register(
    store, kind: RegisterKind, quarter: str, source: str, rows: list, site: str | None, fields: tuple[str, ...]
) -> int:
    """Store one register for `quarter` and portal `site` (a portal_key, None for any), replacing an
    earlier import of the same kind, quarter and portal in one transaction (a failed import leaves
    the earlier one in place). `fields`: the kind's fields the file had. Returns the import id."""
    with store.unit_of_work() as session:
        old = session.scalars(
            select(RegisterImport.id).where(
                RegisterImport.kind == kind.name,
                RegisterImport.quarter == quarter,
                RegisterImport.site.is_(None) if site is None else RegisterImport.site == site,
            )
        ).all()
        if old:
            session.execute(delete(RegisterRow).where(RegisterRow.import_id.in_(old)))
            session.execute(delete(RegisterImport).where(RegisterImport.id.in_(old)))
        batch = RegisterImport(
            kind=kind.name,
            quarter=quarter,
            source=source,
            rows=len(rows),
            imported_at=datetime.now(timezone.utc).replace(tzinfo=None),
            site=site,
            fields=list(fields),
        )
        session.add(batch)
        session.flush()
        session.add_all(RegisterRow(import_id=batch.id, data=kind.to_data(row)) for row in rows)
        return batch.id


def load_registers(store, quarter: str | None, site_url: str | None = None) -> Registers:
    """The registers imported for `quarter` and the portal of `site_url` (a kind not imported is
    absent), each with when and from which file it was imported and which fields it had."""
    if quarter is None:
        return Registers()
    found: dict[str, tuple] = {}
    notes: dict[str, ImportNote] = {}
    imports = register_imports(store, quarter, site_url)
    with store.reading() as session:
        for kind in KINDS:
            if kind.name in imports:
                batch = imports[kind.name]
                data = session.scalars(
                    select(RegisterRow.data).where(RegisterRow.import_id == batch.id).order_by(RegisterRow.id)
                )
                found[kind.name] = tuple(kind.from_data(row) for row in data)
                notes[kind.name] = ImportNote(
                    batch.source,
                    batch.imported_at,
                    tuple(batch.fields) if batch.fields is not None else tuple(spec.name for spec in kind.fields),
                )
    return Registers(found, notes)


def register_imports(store, quarter: str, site_url: str | None = None) -> dict[str, RegisterImport]:
    """The imports of `quarter` for the portal of `site_url` by kind: the portal's own, else one
    stored for no portal; for the bulletin's 监测范围 lines."""
    query = select(RegisterImport).where(RegisterImport.quarter == quarter).order_by(RegisterImport.id)
    if site_url:
        query = query.where(or_(RegisterImport.site.is_(None), RegisterImport.site == portal_key(site_url)))
    with store.reading() as session:
        rows = session.scalars(query).all()
    chosen: dict[str, RegisterImport] = {}
    for row in rows:
        if row.kind not in chosen or (row.site is not None and chosen[row.kind].site is None):
            chosen[row.kind] = row
    return chosen


def set_unjudged_rules(store, run_id: int, rules: list[str]) -> None:
    """The rules a finished run could not judge, after its register rules were judged again."""
    with store.unit_of_work() as session:
        session.get(AuditRun, run_id).unjudged_rules = rules
