"""What a probe's home page shows, judged by the audit's own rules: whether it is up the way the
audit decides it (site.unreachable's home_failure: an error status, or 200 with only an error text),
and the 暗链 and defacement that security.hidden_link and security.home_changed report, the latter
against the page as the last probe that saw it change kept it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from audit.store.probes import SiteProbe
from audit.watch.probe import Fetched
from crawler.reading import read_page
from rules.base import rule_spec
from rules.settings import Settings
from rules.snapshot import HomeCopy, LinkView, PageView, SiteSnapshot

# The audit's rules a probe runs on the home page.
HIDDEN_LINK_RULE = "security.hidden_link"
HOME_CHANGED_RULE = "security.home_changed"


@dataclass(frozen=True)
class HomeState:
    """One probe's home page: up or not (and why), its text and off-site hosts, the hidden links the
    暗链 rule reports (its evidence lines) and the changes the defacement rule reports (messages)."""

    up: bool
    failure: str | None
    text: str
    outbound_hosts: tuple[str, ...]
    suspicions: tuple[str, ...]
    changes: tuple[str, ...]


class _ProbeContent:
    """The stored-content view (rules.snapshot.StoredContent) of one probed page."""

    def __init__(self, url: str, text: str, links: list[LinkView]):
        self._url, self._text, self._links = url, text, links

    def text_of(self, url: str) -> str:
        return self._text if url == self._url else ""

    def meta_tags_of(self, url: str) -> dict[str, str]:
        return {}

    def links_from(self, url: str) -> list[LinkView]:
        return self._links if url == self._url else []

    def links_to(self, url: str) -> list[LinkView]:
        return [link for link in self._links if link.to_url == url]

    def offsite_links(self) -> list[LinkView]:
        return [link for link in self._links if not link.on_site]


def examine(site_url: str, fetched: Fetched, config: Settings, kept: SiteProbe | None) -> HomeState:
    """Judge the probed home page; `kept` is the page as the last probe that kept its text saw it."""
    answered = fetched.status is not None
    reading = read_page(fetched.body, fetched.final_url, content_type=fetched.content_type) if answered else None
    own = {_host(site_url), _host(fetched.final_url), *(host.lower() for host in config.crawl.site_hosts)}
    links = [
        LinkView(site_url, link.url, link.text, link.tag, _host(link.url) in own)
        for link in (reading.links if reading else ())
    ]
    text = reading.text if reading else ""
    site = SiteSnapshot(site_url, date.today(), None, config)
    site.pages[site_url] = PageView(
        site_url,
        fetched.final_url,
        fetched.status,
        fetched.error,
        fetched.content_type,
        reading.title if reading else None,
        None,
        None,
        None,
        (),
        False,
        False,
    )
    site.content = _ProbeContent(site_url, text, links)
    if reading:
        site.hidden_links[site_url] = list(reading.hidden_links)
    failure = site.home_failure()
    hosts = tuple(sorted({_host(link.to_url) for link in links if not link.on_site} - {""}))
    if failure is not None:
        return HomeState(False, failure[0], text, hosts, (), ())
    if kept is not None and kept.text is not None:
        lines = tuple(line.strip() for line in kept.text.splitlines() if line.strip())
        site.previous_home = HomeCopy(kept.id, kept.probed_at.date(), lines, frozenset(kept.outbound_hosts or ()))
    suspicions = tuple(finding.evidence for finding in rule_spec(HIDDEN_LINK_RULE).findings(site, config))
    changes = tuple(
        f"{finding.message}（{finding.evidence}）" for finding in rule_spec(HOME_CHANGED_RULE).findings(site, config)
    )
    return HomeState(True, None, text, hosts, suspicions, changes)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()
