"""The office's registers in the database: one import per kind and quarter (a new import of the
same quarter replaces the old one), and their rows as typed models."""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from audit.store.models import Base
from rules.registers import HotlineTicket, MediaAccount, PublicMessage, Registers

KINDS = ("media", "hotline", "messages")


class RegisterImport(Base):
    __tablename__ = "register_import"
    __table_args__ = (UniqueConstraint("kind", "quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))       # media | hotline | messages
    quarter: Mapped[str] = mapped_column(String(8), index=True)
    source: Mapped[str] = mapped_column(String(512))    # the file's name, for the bulletin
    imported_at: Mapped[datetime]
    rows: Mapped[int]


class MediaAccountRecord(Base):
    __tablename__ = "media_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("register_import.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    platform: Mapped[str] = mapped_column(String(64))
    unit: Mapped[str] = mapped_column(String(255))
    filed: Mapped[bool]
    opened: Mapped[date | None]
    closed: Mapped[date | None]
    last_post: Mapped[date | None]
    posts: Mapped[int | None]
    interaction: Mapped[bool | None]


class HotlineTicketRecord(Base):
    __tablename__ = "hotline_ticket"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("register_import.id", ondelete="CASCADE"), index=True)
    ticket_id: Mapped[str] = mapped_column(String(128))
    received: Mapped[date]
    unit: Mapped[str] = mapped_column(String(255))
    deadline: Mapped[date | None]
    closed: Mapped[date | None]
    satisfied: Mapped[bool | None]


class PublicMessageRecord(Base):
    __tablename__ = "public_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("register_import.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[str] = mapped_column(String(128))
    received: Mapped[date]
    unit: Mapped[str] = mapped_column(String(255))
    forwarded: Mapped[date | None]
    answered: Mapped[date | None]
    title: Mapped[str] = mapped_column(Text)


_RECORDS = {"media": (MediaAccountRecord, MediaAccount), "hotline": (HotlineTicketRecord, HotlineTicket),
            "messages": (PublicMessageRecord, PublicMessage)}


def save_register(store, kind: str, quarter: str, source: str,
                  rows: list[MediaAccount] | list[HotlineTicket] | list[PublicMessage]) -> int:
    """Store one register for `quarter`, replacing an earlier import of the same kind and quarter
    in one transaction (a failed import leaves the earlier one in place). Returns the import id."""
    record_type, _ = _RECORDS[kind]
    with store.unit_of_work() as session:
        old = session.scalar(select(RegisterImport.id).where(RegisterImport.kind == kind,
                                                             RegisterImport.quarter == quarter))
        if old is not None:
            session.execute(delete(record_type).where(record_type.import_id == old))
            session.execute(delete(RegisterImport).where(RegisterImport.id == old))
        batch = RegisterImport(kind=kind, quarter=quarter, source=source, rows=len(rows),
                               imported_at=datetime.now(timezone.utc).replace(tzinfo=None))
        session.add(batch)
        session.flush()
        session.add_all(record_type(import_id=batch.id, **vars(row)) for row in rows)
        return batch.id


def load_registers(store, quarter: str | None) -> Registers:
    """The registers imported for `quarter` (None for a kind not imported)."""
    if quarter is None:
        return Registers()
    found: dict[str, tuple] = {}
    with store.reading() as session:
        for kind, (record_type, view_type) in _RECORDS.items():
            import_id = session.scalar(select(RegisterImport.id).where(RegisterImport.kind == kind,
                                                                       RegisterImport.quarter == quarter))
            if import_id is None:
                continue
            fields = [name for name in view_type.__dataclass_fields__]
            records = session.scalars(select(record_type).where(record_type.import_id == import_id)
                                      .order_by(record_type.id))
            found[kind] = tuple(view_type(**{name: getattr(r, name) for name in fields}) for r in records)
    return Registers(**found)


def register_imports(store, quarter: str) -> dict[str, RegisterImport]:
    """The imports of `quarter` by kind, for the bulletin's 监测范围 lines."""
    with store.reading() as session:
        return {row.kind: row for row in session.scalars(select(RegisterImport)
                                                         .where(RegisterImport.quarter == quarter))}
