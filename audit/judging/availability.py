"""The home-page probes of a run's period, for site.unreachable: what `govaudit watch` stored of the
same site (host and path, as history matches runs) from the first day of the quarter the run reports
on to the end of that quarter or of the run's as-of day, whichever comes first (Beijing days)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from audit.judging.history import site_key
from audit.store import Store
from audit.store.models import AuditRun
from audit.store.probes import probed_sites, probes_of
from crawler.vocabulary.quarters import Quarter
from rules.snapshot import ProbeView

_BEIJING = timedelta(hours=8)


def period_of(run: AuditRun) -> tuple[datetime, datetime]:
    """[start, end) of the run's period in UTC."""
    quarter = Quarter.reported(run.as_of)
    last = min(quarter.last_day, run.as_of)
    start = datetime.combine(quarter.first_day, time()) - _BEIJING
    end = datetime.combine(last + timedelta(days=1), time()) - _BEIJING
    return start, end


def period_probes(store: Store, run: AuditRun) -> tuple[ProbeView, ...]:
    start, end = period_of(run)
    key = site_key(run.site_url)
    sites = [url for url in probed_sites(store, start, end) if site_key(url) == key]
    if not sites:
        return ()
    return tuple(ProbeView(*row) for row in probes_of(store, sites, start, end))
