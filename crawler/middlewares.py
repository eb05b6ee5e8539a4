"""Downloader middlewares that keep the crawler safe and patient on portals it does not control."""
from __future__ import annotations

import ipaddress
import socket
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse
from scrapy.utils.asyncio import run_in_thread, sleep


class InternalAddressRefused(IgnoreRequest):
    """A target on a private, loopback or link-local address, refused for a public portal."""


def is_internal(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast or ip.is_unspecified


def resolve(host: str) -> set[str]:
    """The addresses `host` stands for (itself when it is an IP literal); empty when it does not resolve."""
    try:
        return {str(ipaddress.ip_address(host))}
    except ValueError:
        pass
    try:
        return {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError):
        return set()


def site_is_internal(url: str) -> bool:
    """True when the audited site itself lives on an internal address (a test portal, an intranet)."""
    host = urlsplit(url).hostname or ""
    return any(is_internal(address) for address in resolve(host))


class AddressGuardMiddleware:
    """Refuses requests to internal addresses unless the audited site is internal itself, so a
    crawled page cannot make the auditor probe 169.254.169.254 or an intranet host."""

    def __init__(self, crawler):
        self.crawler = crawler
        self._verdicts: dict[str, bool] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request):
        if getattr(self.crawler.spider, "internal_allowed", False):
            return None
        host = (urlsplit(request.url).hostname or "").lower()
        if host not in self._verdicts:
            addresses = await run_in_thread(resolve, host)
            self._verdicts[host] = any(is_internal(address) for address in addresses)
        if self._verdicts[host]:
            raise InternalAddressRefused(f"指向内网地址，未访问（{host}）")
        return None


class ReplayMiddleware:
    """A page an interrupted run already read is not fetched again: the spider reads it back
    from the store (request.meta["replay"]); this answers the request without the network."""

    def process_request(self, request):
        if request.meta.get("replay"):
            return HtmlResponse(request.url, status=200, body=b"", encoding="utf-8", request=request)
        return None


class RetryAfterMiddleware:
    """Waits as a 429/503 answer's Retry-After asks (up to a bound), then asks again."""

    MAX_WAIT_SECONDS = 30.0
    MAX_RETRIES = 2

    async def process_response(self, request, response):
        if response.status not in (429, 503) or request.meta.get("retry_after_count", 0) >= self.MAX_RETRIES:
            return response
        delay = retry_after_seconds(response.headers.get(b"Retry-After", b"").decode("latin-1"))
        if delay is None or delay > self.MAX_WAIT_SECONDS:
            return response
        await sleep(delay)
        retry = request.replace(dont_filter=True)
        retry.meta["retry_after_count"] = request.meta.get("retry_after_count", 0) + 1
        return retry


def retry_after_seconds(value: str) -> float | None:
    """Retry-After as seconds: a number of seconds or an HTTP date; None when absent or unreadable."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
