"""Times as a clerk reads them: the store keeps UTC (naive), a county office reads 北京时间 (UTC+8)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

BEIJING = timezone(timedelta(hours=8))


def as_utc(moment: datetime) -> datetime:
    """A stored time (naive: UTC, as the store keeps it) as an aware UTC time."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def beijing_time(moment: datetime, seconds: bool = True) -> str:
    """A stored time as a clerk reads it: "2022-10-15 09:12:03 北京时间" (without seconds when the
    time was kept to the minute)."""
    shown = "%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M"
    return f"{as_utc(moment).astimezone(BEIJING):{shown}} 北京时间"


def utc_time(moment: datetime) -> str:
    """A stored time in UTC, ISO 8601 with Z: "2022-10-15T01:12:03Z"."""
    return f"{as_utc(moment):%Y-%m-%dT%H:%M:%SZ}"
