"""One probe of a home page: a single GET (and the site's own redirects, at most MAX_REDIRECTS),
all of it within the national limit of 15 seconds, with the crawler's User-Agent."""

from __future__ import annotations

import hashlib
import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from crawler.crawl.settings import USER_AGENT

# 国办秘函〔2019〕19号: a home page not open after 15 seconds counts as unavailable.
PROBE_SECONDS = 15.0
# What is read of a home page at most; the rest is not fetched (the probe is up all the same).
BODY_BYTES = 5 * 1024 * 1024
# Same-site redirects followed (http → https, / → /index.html); each is one more request.
MAX_REDIRECTS = 3


@dataclass(frozen=True)
class Fetched:
    """What one probe received: the final status (None when nothing answered), why it failed in
    words, how long it took, the address answered from and the body."""

    url: str
    final_url: str
    status: int | None
    error: str | None
    seconds: float
    content_type: str | None = None
    body: bytes = b""

    @property
    def digest(self) -> str | None:
        return hashlib.sha256(self.body).hexdigest() if self.status is not None else None


class _Late(Exception):
    """The probe's time is up."""


def fetch_home(url: str, own_hosts: frozenset[str], timeout: float = PROBE_SECONDS) -> Fetched:
    """GET `url`, following redirects to `own_hosts` only; a redirect elsewhere is an answer (the
    site did answer). Never raises."""
    started = time.monotonic()
    deadline = started + timeout
    current = url
    try:
        for _ in range(MAX_REDIRECTS + 1):
            status, headers, body = _get(current, deadline)
            location = headers.get("location")
            if 300 <= status < 400 and location:
                target = urljoin(current, location)
                if (urlsplit(target).hostname or "").lower() in own_hosts and urlsplit(target).scheme in (
                    "http",
                    "https",
                ):
                    current = target
                    continue
            return Fetched(url, current, status, None, time.monotonic() - started, headers.get("content-type"), body)
        return Fetched(url, current, status, None, time.monotonic() - started, headers.get("content-type"), body)
    except _Late:
        return Fetched(url, current, None, f"超过{timeout:g}秒未打开", time.monotonic() - started)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        return Fetched(url, current, None, _words(exc, timeout), time.monotonic() - started)


def _get(url: str, deadline: float) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(url)
    left = _left(deadline)
    if parts.scheme == "https":
        # Availability only: whether the certificate verifies is site.certificate's question.
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        connection = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=left, context=context)
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=left)
    try:
        path = parts.path or "/"
        connection.request(
            "GET",
            path + (f"?{parts.query}" if parts.query else ""),
            # The crawler's User-Agent, sent as UTF-8 bytes as Scrapy sends it (http.client would refuse its Chinese).
            headers={
                "User-Agent": USER_AGENT.encode("utf-8"),
                "Accept": "text/html,*/*;q=0.8",
                "Accept-Encoding": "identity",
            },
        )
        # Kept: the connection lets go of its socket once a closing answer's headers are read.
        sock = connection.sock
        sock.settimeout(_left(deadline))
        response = connection.getresponse()
        chunks, size = [], 0
        while size < BODY_BYTES:
            sock.settimeout(_left(deadline))
            chunk = response.read1(65536) if hasattr(response, "read1") else response.read(65536)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        headers = {name.lower(): value for name, value in response.getheaders()}
        return response.status, headers, b"".join(chunks)[:BODY_BYTES]
    except TimeoutError as exc:
        raise _Late from exc
    finally:
        connection.close()


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise _Late
    return left


def _words(exc: Exception, timeout: float) -> str:
    """Why a probe failed, in the words the audit uses."""
    if isinstance(exc, ConnectionRefusedError):
        return "连接被拒绝"
    if isinstance(exc, socket.gaierror):
        return "域名无法解析"
    if isinstance(exc, ssl.SSLError):
        return "HTTPS 连接失败"
    if isinstance(exc, (ConnectionResetError, http.client.RemoteDisconnected)):
        return "连接被重置"
    if isinstance(exc, TimeoutError):
        return f"超过{timeout:g}秒未打开"
    return f"连接失败（{type(exc).__name__}）"
