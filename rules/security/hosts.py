"""Which hosts a government page may link to without a person looking: the site's own hosts and
other government sites (.gov.cn, .gov), plus hosts the office allows in the config."""

from __future__ import annotations

from urllib.parse import urlsplit


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().rstrip(".")


def is_government_host(host: str) -> bool:
    return host in ("gov.cn",) or host.endswith((".gov.cn", ".gov"))


def is_expected_host(host: str, site, allowed: tuple[str, ...]) -> bool:
    """The audited site itself, a government site, or a host (or a subdomain of one) in `allowed`."""
    own = {host_of(site.site_url), *(h.lower() for h in site.config.crawl.site_hosts)}
    return host in own or is_government_host(host) or any(host == item or host.endswith("." + item) for item in allowed)
