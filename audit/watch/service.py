"""The watch loop: each site probed once in every interval at a random moment of it (so ≥ 20 a day at
the default hour, never at the same minutes), each probe stored, and the office alerted once per
change of state: down, back up, or new 暗链 / defacement on the home page."""

from __future__ import annotations

import heapq
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from audit.store import Store
from audit.store.probes import SiteProbe, last_kept_home, last_probe, last_up_probe, save_probe
from audit.watch.home import HomeState, examine
from audit.watch.probe import PROBE_SECONDS, fetch_home
from rules.settings import Settings

# One probe an hour: 24 a day, above the national method's 20.
DEFAULT_INTERVAL = 3600.0
BEIJING = timedelta(hours=8)

DOWN = "down"
UP = "up"
TAMPERED = "tampered"
# What each alert is, in the words of its first line.
EVENTS = {DOWN: "网站无法访问", UP: "网站恢复访问", TAMPERED: "首页疑似被篡改或植入暗链"}


@dataclass(frozen=True)
class Alert:
    site_url: str
    event: str
    summary: str


@dataclass(frozen=True)
class ProbeResult:
    site_url: str
    probed_at: datetime
    up: bool
    status: int | None
    seconds: float
    failure: str | None
    alerts: tuple[Alert, ...]

    def line(self) -> str:
        """The probe as one terminal line, in Beijing time."""
        when = f"{(self.probed_at + BEIJING):%Y-%m-%d %H:%M:%S}（北京时间）"
        answer = f"HTTP {self.status}" if self.status is not None else ""
        state = "可用" if self.up else f"不可用（{self.failure}）"
        return f"{when} {self.site_url} {state} {answer} {self.seconds:.2f}秒".replace("  ", " ")


def alerts_for(site_url: str, state: HomeState, before: SiteProbe | None, before_up: SiteProbe | None) -> list[Alert]:
    """The changes this probe shows against the site's previous probes, once each: up → down (or down
    at the first probe), down → up, and 暗链 or defacement not seen by the last probe that was up."""
    alerts = []
    if not state.up and (before is None or before.up):
        alerts.append(Alert(site_url, DOWN, f"{EVENTS[DOWN]}：{site_url} 首页{state.failure}"))
    if state.up and before is not None and not before.up:
        since = f"（上次可用：{(before_up.probed_at + BEIJING):%Y-%m-%d %H:%M}）" if before_up is not None else ""
        alerts.append(Alert(site_url, UP, f"{EVENTS[UP]}：{site_url} 首页已能打开{since}"))
    if state.up:
        seen = set(before_up.suspicions or ()) if before_up is not None else set()
        new = [line for line in state.suspicions if line not in seen]
        if new or state.changes:
            found = [f"疑似暗链：{line}" for line in new] + list(state.changes)
            alerts.append(Alert(site_url, TAMPERED, f"{EVENTS[TAMPERED]}：{site_url}；" + "；".join(found)))
    return alerts


def probe_site(store: Store, site_url: str, config: Settings, timeout: float = PROBE_SECONDS) -> ProbeResult:
    """Probe one home page, judge it, store the probe with the alerts it raises, and return it."""
    probed_at = datetime.now(timezone.utc).replace(tzinfo=None)
    own = frozenset({(urlsplit(site_url).hostname or "").lower(), *(h.lower() for h in config.crawl.site_hosts)})
    fetched = fetch_home(site_url, own, timeout)
    kept = last_kept_home(store, site_url)
    state = examine(site_url, fetched, config, kept)
    alerts = alerts_for(site_url, state, last_probe(store, site_url), last_up_probe(store, site_url))
    changed = state.up and (kept is None or kept.digest != fetched.digest)
    save_probe(
        store,
        SiteProbe(
            site_url=site_url,
            probed_at=probed_at,
            up=state.up,
            status=fetched.status,
            error=state.failure,
            seconds=round(fetched.seconds, 3),
            final_url=fetched.final_url,
            digest=fetched.digest,
            outbound_hosts=list(state.outbound_hosts) if state.up else None,
            text=state.text if changed else None,
            suspicions=list(state.suspicions) if state.up else None,
            alert="\n".join(alert.summary for alert in alerts) or None,
        ),
    )
    return ProbeResult(site_url, probed_at, state.up, fetched.status, fetched.seconds, state.failure, tuple(alerts))


def watch_sites(
    store: Store,
    sites: list[str],
    config: Settings,
    report: Callable[[ProbeResult], None],
    *,
    interval: float = DEFAULT_INTERVAL,
    rounds: int | None = None,
    stop: threading.Event | None = None,
    timeout: float = PROBE_SECONDS,
) -> int:
    """Probe every site once in each `interval` seconds, at a random moment of it, `rounds` times
    (None: until `stop` is set); `report` hears of each probe. Returns the probes made."""
    stop = stop or threading.Event()
    start = time.monotonic()
    due: list[tuple[float, int, int]] = []
    for index in range(len(sites)):
        # With a single round nothing is waited for.
        first = start if rounds == 1 else start + random.uniform(0, interval)
        heapq.heappush(due, (first, 0, index))
    made = 0
    while due and not stop.is_set():
        when, slot, index = heapq.heappop(due)
        if stop.wait(max(0.0, when - time.monotonic())):
            break
        report(probe_site(store, sites[index], config, timeout))
        made += 1
        if rounds is None or slot + 1 < rounds:
            # The next slot's moment: somewhere in the next interval, so probes of a day spread out.
            following = start + (slot + 1) * interval + random.uniform(0, interval)
            heapq.heappush(due, (following, slot + 1, index))
    return made
