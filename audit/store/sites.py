"""The portals a 州 or a province audits: one row per site, added from the office's sites.yaml."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

from audit.store.models import URL, Base


class SiteRecord(Base):
    __tablename__ = "site"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The site's URL as history compares it (host without www. differences kept, port kept).
    url: Mapped[str] = mapped_column(URL, unique=True)
    name: Mapped[str] = mapped_column(String(255))
    unit: Mapped[str] = mapped_column(String(255))  # 主办单位, who answers for the site
    site_id: Mapped[str | None] = mapped_column(String(32))  # 网站标识码
    level: Mapped[str | None] = mapped_column(String(32))  # 县级 / 州（市）级 / 部门 …
    added_at: Mapped[datetime]


def save_sites(store, sites: list[dict]) -> tuple[int, int]:
    """Add the sites, updating the name/unit/id/level of ones already registered (by URL).
    Returns (added, updated)."""
    added = updated = 0
    with store.unit_of_work() as session:
        known = {row.url: row for row in session.scalars(select(SiteRecord))}
        for site in sites:
            row = known.get(site["url"])
            if row is None:
                session.add(SiteRecord(added_at=datetime.now(timezone.utc).replace(tzinfo=None), **site))
                added += 1
            else:
                for key, value in site.items():
                    setattr(row, key, value)
                updated += 1
    return added, updated


def registered_sites(store) -> list[SiteRecord]:
    with store.reading() as session:
        return list(session.scalars(select(SiteRecord).order_by(SiteRecord.id)))
