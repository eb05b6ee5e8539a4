"""The office's registers in the database: one import per kind and quarter (a new import of the
same quarter replaces the old one), and its rows, whatever the kind, as one JSON object each
(RegisterKind.to_data / from_data), so a new kind needs no table of its own."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from audit.store.models import Base
from rules.registers import KINDS, RegisterKind, Registers


class RegisterImport(Base):
    __tablename__ = "register_import"
    __table_args__ = (UniqueConstraint("kind", "quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # a RegisterKind's name: media | hotline | messages …
    quarter: Mapped[str] = mapped_column(String(8), index=True)
    source: Mapped[str] = mapped_column(String(512))  # the file's name, for the bulletin
    imported_at: Mapped[datetime]
    rows: Mapped[int]


class RegisterRow(Base):
    """One row of an imported register, its fields as the kind's row has them (dates as ISO text)."""

    __tablename__ = "register_row"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("register_import.id", ondelete="CASCADE"), index=True)
    data: Mapped[dict] = mapped_column(JSON)


def save_register(store, kind: RegisterKind, quarter: str, source: str, rows: list) -> int:
    """Store one register for `quarter`, replacing an earlier import of the same kind and quarter
    in one transaction (a failed import leaves the earlier one in place). Returns the import id."""
    with store.unit_of_work() as session:
        old = session.scalar(
            select(RegisterImport.id).where(RegisterImport.kind == kind.name, RegisterImport.quarter == quarter)
        )
        if old is not None:
            session.execute(delete(RegisterRow).where(RegisterRow.import_id == old))
            session.execute(delete(RegisterImport).where(RegisterImport.id == old))
        batch = RegisterImport(
            kind=kind.name,
            quarter=quarter,
            source=source,
            rows=len(rows),
            imported_at=datetime.now(timezone.utc).replace(tzinfo=None),
        )
        session.add(batch)
        session.flush()
        session.add_all(RegisterRow(import_id=batch.id, data=kind.to_data(row)) for row in rows)
        return batch.id


def load_registers(store, quarter: str | None) -> Registers:
    """The registers imported for `quarter` (a kind not imported is absent)."""
    if quarter is None:
        return Registers()
    found: dict[str, tuple] = {}
    imports = register_imports(store, quarter)
    with store.reading() as session:
        for kind in KINDS:
            if kind.name in imports:
                data = session.scalars(
                    select(RegisterRow.data)
                    .where(RegisterRow.import_id == imports[kind.name].id)
                    .order_by(RegisterRow.id)
                )
                found[kind.name] = tuple(kind.from_data(row) for row in data)
    return Registers(found)


def register_imports(store, quarter: str) -> dict[str, RegisterImport]:
    """The imports of `quarter` by kind, for the bulletin's 监测范围 lines."""
    with store.reading() as session:
        return {
            row.kind: row for row in session.scalars(select(RegisterImport).where(RegisterImport.quarter == quarter))
        }
