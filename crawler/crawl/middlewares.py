"""Downloader middlewares that keep the crawler safe and patient on portals it does not control."""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
import zlib
from collections.abc import Iterator
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import HtmlResponse, TextResponse
from scrapy.resolver import CachingThreadedResolver
from scrapy.responsetypes import responsetypes
from scrapy.utils.asyncio import run_in_thread, sleep
from twisted.internet import defer
from twisted.internet.error import DNSLookupError

from crawler.vocabulary.urls import url_port

log = logging.getLogger(__name__)


class InternalAddressRefused(IgnoreRequest):
    """A target on a private, loopback or link-local address other than the audited site's own, or a
    cloud metadata address. `inside` says the audited site is itself on an internal address: audited
    from inside a government network, where split-horizon DNS gives other government hosts internal
    addresses too, a refused link is one the auditor did not check, not one the public cannot open."""

    def __init__(self, message: str, *, inside: bool = False):
        super().__init__(message)
        self.inside = inside


# Not global, yet not flagged by every ipaddress property in every Python version: shared address
# space (carrier NAT, cloud metadata such as 100.100.100.200), IETF protocol assignments, benchmark
# networks, deprecated IPv6 site-local addresses.
_ALSO_INTERNAL = tuple(
    ipaddress.ip_network(net) for net in ("100.64.0.0/10", "192.0.0.0/24", "198.18.0.0/15", "fec0::/10")
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses an IPv6 address carries: IPv4-mapped, 6to4, Teredo, NAT64, IPv4-compatible."""
    found = [ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())]
    if ip in _NAT64 or int(ip) >> 32 == 0:
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return [address for address in found if address is not None]


def is_internal(address: str) -> bool:
    """True for every address a public portal has no business making the auditor connect to; an
    IPv6 address also when an IPv4 address it embeds is internal. Not an address at all: True."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return True
    if (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or not ip.is_global
        or any(ip in net for net in _ALSO_INTERNAL)
    ):
        return True
    return ip.version == 6 and any(is_internal(str(embedded)) for embedded in _embedded_ipv4(ip))


def _literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None


def resolve(host: str) -> list[str]:
    """The addresses `host` stands for (itself when it is an IP literal), IPv4 as Scrapy's downloader
    connects; empty when it does not resolve."""
    literal = _literal(host)
    if literal is not None:
        return [literal]
    try:
        infos = socket.getaddrinfo(host, None, family=socket.AF_INET, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return []
    return list(dict.fromkeys(info[4][0] for info in infos))


# Cloud metadata services, refused whatever the audited site is: link-local 169.254.0.0/16 (AWS,
# Azure, Google, Huawei 169.254.169.254; Tencent 169.254.0.23; ECS 169.254.170.2), Alibaba Cloud
# 100.100.100.200, Oracle Cloud 192.0.0.192, AWS over IPv6 fd00:ec2::254, and IPv6 link-local.
_METADATA = tuple(
    ipaddress.ip_network(net)
    for net in ("169.254.0.0/16", "100.100.100.200/32", "192.0.0.192/32", "fd00:ec2::254/128", "fe80::/10")
)
# Names only an intranet resolver answers (RFC 6762, 6761, 8375 and common private suffixes): through a
# proxy, which resolves names itself, such a name is refused even when it resolves here to a public address.
_INTERNAL_NAME = re.compile(
    r"(?:^|\.)(?:localhost|local|localdomain|internal|intranet|lan|corp|home|home\.arpa|"
    r"private)$|^[^.]+$"
)


def is_metadata(address: str) -> bool:
    """True for a cloud metadata address, in any IPv6 spelling that embeds one."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if any(ip.version == net.version and ip in net for net in _METADATA):
        return True
    return ip.version == 6 and any(is_metadata(str(embedded)) for embedded in _embedded_ipv4(ip))


def looks_internal(host: str) -> bool:
    """A host name that only an intranet's resolver would answer (oa.local, metadata.google.internal,
    a single label such as `intranet`)."""
    return _literal(host) is None and bool(_INTERNAL_NAME.search(host))


# Host name → the address it was checked as. The downloader connects to this address (GuardedResolver),
# so a name cannot answer a public address to the check and an internal one to the connection (DNS
# rebinding): each name is looked up once per crawl.
_CHECKED_ADDRESSES: dict[str, str] = {}


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's resolver, answering a crawled name with the address AddressGuardMiddleware checked."""

    def getHostByName(self, name: str, timeout=()):
        checked = _CHECKED_ADDRESSES.get(name.lower().rstrip("."))
        if checked is not None:
            return defer.succeed(checked)
        # Only names that never pass the guard get here: the proxy's, set by whoever runs the audit.
        return super().getHostByName(name, timeout)


class AddressGuardMiddleware:
    """Refuses requests to internal addresses other than the audited site's own, so a crawled page —
    on a public portal or on an intranet one — cannot make the auditor probe 169.254.169.254, an
    intranet host or another service of the machine the site runs on.

    Every request passes here — each hop of a redirect and robots.txt included — before anything is
    sent. A name is resolved here once per crawl and the downloader connects to the first address
    found (GuardedResolver). The site's own endpoints are its hosts (the spider's site_hosts) at its
    ports (site_ports), and the addresses those hosts were pinned to at those ports: an internal site
    is audited as usual, and what it links or redirects to on any other internal address or port is
    refused, however its name resolved before or resolves besides (split-horizon DNS). Cloud metadata
    addresses are refused always, the audited host's included.

    Through a proxy (http_proxy / https_proxy) the proxy resolves names itself, so the address checked
    here cannot be pinned for it: names are checked here all the same (one that does not resolve
    locally is not requested), and names that only an intranet resolves (looks_internal) are refused.
    A public name the proxy's own DNS answers with an internal address is the proxy's to refuse."""

    def __init__(self, crawler):
        self.crawler = crawler
        self._addresses: dict[str, list[str]] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def _resolve(self, host: str) -> list[str]:
        if host not in self._addresses:
            addresses = await run_in_thread(resolve, host)
            if not addresses:
                raise DNSLookupError(f"域名解析失败（{host}）")
            self._addresses[host] = addresses
            if _literal(host) is None:
                _CHECKED_ADDRESSES[host] = addresses[0]
        return self._addresses[host]

    async def process_request(self, request):
        host = (urlsplit(request.url).hostname or "").lower().rstrip(".")
        port = url_port(request.url)
        addresses = await self._resolve(host)
        if any(is_metadata(address) for address in addresses):
            raise InternalAddressRefused(f"指向内网地址（云平台元数据），未访问（{host}）")
        spider = self.crawler.spider
        site_hosts, site_ports = getattr(spider, "site_hosts", ()), getattr(spider, "site_ports", ())
        if port in site_ports and host in site_hosts:
            return None  # the audited site itself, as its operator named it
        if not any(is_internal(address) for address in addresses) and not looks_internal(host):
            return None
        own = await self._own_addresses(site_hosts)
        if port in site_ports and _literal(host) in own:
            # The site's own server and port written as its address (http://127.0.0.1:8000/ on a site
            # named localhost:8000).
            return None
        raise InternalAddressRefused(f"指向内网地址，未访问（{host}）", inside=any(is_internal(a) for a in own))

    async def _own_addresses(self, site_hosts) -> set[str]:
        """The addresses the site's hosts were pinned to."""
        own = set()
        for site_host in site_hosts:
            try:
                own.add((await self._resolve(site_host))[0])
            except DNSLookupError:
                continue
        return own


class SitePortRedirectMiddleware:
    """A redirect the spider says leaves the site by another port of the audited host (its
    redirect_leaves_site) is not followed: a page linking :8080 or :6379 of the host makes that a link
    to check, not a site to crawl, and a 302 there is the same link. The 3xx answer reaches the
    spider as it is, the target in meta "left_site". Runs before RedirectMiddleware (600)."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response):
        location = response.headers.get(b"Location")
        leaves = getattr(self.crawler.spider, "redirect_leaves_site", None)
        if not (300 <= response.status < 400 and location) or leaves is None:
            return response
        target = urljoin(request.url, location.decode("latin-1"))
        if leaves(request, target):
            request.meta["dont_redirect"] = True
            request.meta["left_site"] = target
            request.meta["handle_httpstatus_list"] = [*request.meta.get("handle_httpstatus_list", ()), response.status]
        return response


class WholeSiteRobotsMiddleware:
    """Once robots.txt turned out to forbid the whole site (the spider's robots_forbid_site), every
    further request is made without consulting it: the audit is of the whole site or of nothing."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request):
        if getattr(self.crawler.spider, "robots_forbid_site", False):
            request.meta["dont_obey_robotstxt"] = True
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


class RevalidationThrottle(AutoThrottle):
    """Scrapy's AutoThrottle, counting a 304 Not Modified as a full answer like a 200. Scrapy never
    lets a non-200 answer shorten the delay (small error pages would make a struggling server look
    fast); but a 304 is the server's whole answer to a re-audit's conditional request, and a re-audit
    of an unchanged portal is almost all 304s: it would crawl at the start delay throughout."""

    def _adjust_delay(self, slot, latency: float, response) -> None:
        if response.status == 304:
            response = response.replace(status=200)
        super()._adjust_delay(slot, latency, response)


# -- bounded decompression ------------------------------------------------------------------------

# A body is decoded at most this many times (a misconfigured server may compress twice; more layers
# than that are only ever a way to multiply the decoding work).
MAX_CONTENT_ENCODINGS = 2
# Decoded bytes of an answer when its request names no cap of its own (meta "body_cap"), as the
# spider's page cap (crawler.crawl.spiders.portal.PAGE_CAP).
DECODED_CAP = 5 * 1024 * 1024
# What the spider records for a page or attachment that is not read because of its decoded size.
TOO_BIG_DECODED = "未能读取（过大）"
_CHUNK = 64 * 1024


class Undecodable(IgnoreRequest):
    """A compressed answer none of whose bytes decode."""


def _zlib_chunks(body: bytes, wbits: int, members: bool) -> Iterator[bytes]:
    """The decoded chunks of a zlib, gzip or raw deflate stream, `_CHUNK` at most each; a gzip body's
    further members too (`members`). A stream cut short gives what it holds."""
    while body:
        decoder = zlib.decompressobj(wbits)
        chunk = decoder.decompress(body, _CHUNK)
        while chunk:
            yield chunk
            if decoder.eof:
                break
            chunk = decoder.decompress(decoder.unconsumed_tail, _CHUNK)
        if not (members and decoder.eof):
            return
        body = decoder.unused_data


def _deflate_chunks(body: bytes) -> Iterator[bytes]:
    """ "deflate" as servers send it: zlib-wrapped (or gzip), or raw deflate (older IIS)."""
    try:
        zlib.decompressobj(32 + zlib.MAX_WBITS).decompress(body[:1024], 1)
    except zlib.error:
        return _zlib_chunks(body, -zlib.MAX_WBITS, members=False)
    return _zlib_chunks(body, 32 + zlib.MAX_WBITS, members=False)


def _brotli_chunks(body: bytes) -> Iterator[bytes]:
    try:
        import brotli
    except ImportError:
        import brotlicffi as brotli
    decoder = brotli.Decompressor()
    chunk = decoder.process(body, output_buffer_limit=_CHUNK)
    while chunk:
        yield chunk
        if decoder.is_finished():
            return
        chunk = decoder.process(b"", output_buffer_limit=_CHUNK)


def _zstd_chunks(body: bytes) -> Iterator[bytes]:
    import io
    import sys

    if sys.version_info >= (3, 14):
        from compression import zstd
    else:
        from backports import zstd
    reader = zstd.ZstdFile(io.BytesIO(body))
    while chunk := reader.read(_CHUNK):
        yield chunk


_DECODERS = {
    b"gzip": lambda body: _zlib_chunks(body, 16 + zlib.MAX_WBITS, members=True),
    b"x-gzip": lambda body: _zlib_chunks(body, 16 + zlib.MAX_WBITS, members=True),
    b"deflate": _deflate_chunks,
    b"br": _brotli_chunks,
    b"zstd": _zstd_chunks,
}


def _decode_layer(body: bytes, encoding: bytes, cap: int) -> tuple[bytes, bool]:
    out = bytearray()
    try:
        for chunk in _DECODERS[encoding](body):
            out += chunk
            if len(out) > cap:
                return bytes(out[:cap]), True
    except Exception as error:  # noqa: BLE001 — each decoder raises its own error on a corrupt stream
        if not out:
            raise Undecodable(f"内容无法解压（{encoding.decode()}：{type(error).__name__}）") from error
    return bytes(out), False


def decode_bounded(body: bytes, encodings: list[bytes], cap: int) -> tuple[bytes, bool]:
    """`body` decoded from `encodings` (in the order they are undone), each layer's output stopped at
    `cap` bytes; whether there was more than `cap`. Memory and work stay within a few times `cap`
    whatever the body inflates to. Raises Undecodable when a layer yields nothing at all."""
    more = False
    for encoding in encodings:
        body, cut = _decode_layer(body, encoding, cap)
        more = more or cut
    return body, more


class BoundedDecompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's HttpCompressionMiddleware, with decoding on a bound of decoded bytes (the request's
    meta "body_cap", as the spider cuts a body it downloads; DECODED_CAP otherwise).

    Scrapy's own bound is DOWNLOAD_MAXSIZE, which is also the download's: an answer over it fails
    whole, where the spider keeps what it read of a big page. So the download is unbounded there (the
    spider stops it at its cap) and decoding is bounded here. An answer encoded once that decodes
    beyond the cap is cut there, as an uncompressed one is cut by the spider (meta "truncated"); one
    encoded twice or more that does is a decompression bomb — nested encodings give a billion to one
    — and its body is dropped, the page recorded as not read (meta "unread"); more than
    MAX_CONTENT_ENCODINGS layers are not decoded at all."""

    def process_response(self, request, response, spider=None):
        if request.method == "HEAD" or not response.headers.getlist("Content-Encoding"):
            return response
        encodings, kept = self._split_encodings(response.headers.getlist("Content-Encoding"))
        if kept:
            # An encoding Scrapy does not know: left as it is (Scrapy's warning).
            return super().process_response(request, response)
        cap = request.meta.get("body_cap", DECODED_CAP)
        if len(encodings) > MAX_CONTENT_ENCODINGS:
            body, more = b"", True
        else:
            body, more = decode_bounded(response.body, encodings, cap)
        if more and len(encodings) > 1:
            log.warning(
                "未读取：解压后超过%d字节（%s 层编码）/ not read: over %d bytes decoded (%s): %s",
                cap,
                len(encodings),
                cap,
                b", ".join(encodings).decode(),
                response.url,
            )
            request.meta["unread"] = TOO_BIG_DECODED
            body = b""
        elif more:
            request.meta["truncated"] = True
        if self.stats:
            self.stats.inc_value("httpcompression/response_bytes", len(body))
            self.stats.inc_value("httpcompression/response_count")
        del response.headers["Content-Encoding"]
        respcls = responsetypes.from_args(headers=response.headers, url=response.url, body=body)
        kwargs = {"body": body}
        if issubclass(respcls, TextResponse):
            kwargs["encoding"] = None
        return response.replace(cls=respcls, **kwargs)
