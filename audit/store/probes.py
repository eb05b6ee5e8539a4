"""Home-page probes of `govaudit watch`: one row per probe of a site, kept for the quarterly run's
availability verdict (site.unreachable) and for what the next probe compares against."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from audit.store.models import URL, Base


class SiteProbe(Base):
    __tablename__ = "site_probe"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The site as watched (its registered or given URL).
    site_url: Mapped[str] = mapped_column(URL, index=True)
    probed_at: Mapped[datetime] = mapped_column(index=True)  # UTC
    # Opened within the probe timeout with HTTP 2xx/3xx.
    up: Mapped[bool]
    status: Mapped[int | None]
    # Why the probe failed, in words (连接被拒绝, 超过15秒未打开, HTTP 503); None when up.
    error: Mapped[str | None] = mapped_column(Text)
    seconds: Mapped[float | None] = mapped_column(Float)
    final_url: Mapped[str | None] = mapped_column(URL)
    # SHA-256 of the body as received.
    digest: Mapped[str | None] = mapped_column(String(64))
    # Off-site hosts the home page links to.
    outbound_hosts: Mapped[list | None] = mapped_column(JSON)
    # The page's visible text, kept only when it differs from the last text kept for the site.
    text: Mapped[str | None] = mapped_column(Text)
    # What the home page showed that the 暗链 rule reports (one line per hidden target).
    suspicions: Mapped[list | None] = mapped_column(JSON)
    # The alert this probe raised (a change of state), None when it raised none.
    alert: Mapped[str | None] = mapped_column(Text)


def save_probe(store, probe: SiteProbe) -> None:
    with store.unit_of_work() as session:
        session.add(probe)


def last_probe(store, site_url: str) -> SiteProbe | None:
    with store.reading() as session:
        return session.scalars(
            select(SiteProbe).where(SiteProbe.site_url == site_url).order_by(SiteProbe.id.desc()).limit(1)
        ).first()


def last_kept_home(store, site_url: str) -> SiteProbe | None:
    """The latest probe that kept the home page's text: the page as the site last changed it."""
    with store.reading() as session:
        return session.scalars(
            select(SiteProbe)
            .where(SiteProbe.site_url == site_url, SiteProbe.up.is_(True), SiteProbe.text.is_not(None))
            .order_by(SiteProbe.id.desc())
            .limit(1)
        ).first()


def last_up_probe(store, site_url: str) -> SiteProbe | None:
    with store.reading() as session:
        return session.scalars(
            select(SiteProbe)
            .where(SiteProbe.site_url == site_url, SiteProbe.up.is_(True))
            .order_by(SiteProbe.id.desc())
            .limit(1)
        ).first()


def probed_sites(store, start: datetime, end: datetime) -> list[str]:
    """The site URLs probed in [start, end) (UTC)."""
    with store.reading() as session:
        return list(
            session.scalars(
                select(SiteProbe.site_url)
                .where(SiteProbe.probed_at >= start, SiteProbe.probed_at < end)
                .distinct()
                .order_by(SiteProbe.site_url)
            )
        )


def probes_of(store, site_urls: list[str], start: datetime, end: datetime) -> list[tuple]:
    """(probed_at, up, seconds, error) of the sites' probes in [start, end) (UTC), oldest first."""
    with store.reading() as session:
        return list(
            session.execute(
                select(SiteProbe.probed_at, SiteProbe.up, SiteProbe.seconds, SiteProbe.error)
                .where(SiteProbe.site_url.in_(site_urls), SiteProbe.probed_at >= start, SiteProbe.probed_at < end)
                .order_by(SiteProbe.probed_at, SiteProbe.id)
            )
        )


def probe_log(store, site_url: str | None = None) -> list[SiteProbe]:
    """Every stored probe (of one site), oldest first."""
    query = select(SiteProbe).order_by(SiteProbe.id)
    if site_url is not None:
        query = query.where(SiteProbe.site_url == site_url)
    with store.reading() as session:
        return list(session.scalars(query))
