"""One canonical form per URL, so the same page reached through different spellings is fetched,
stored, made a column member and looked up under one URL: no #fragment, lower-case scheme and host,
no default port, no session ids or tracking parameters, and one percent-encoding — characters outside
ASCII and spaces encoded as UTF-8 the way Scrapy sends them (/xxgk/规范性文件/ and
/xxgk/%E8%A7%84…/ are one page), escapes in upper case, unreserved characters (letters, digits,
- . _ ~) never escaped. Paths keep their case (most servers treat /A.html and /a.html apart)."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import safe_url_string

# Query keys that name a session or a campaign, never a different page.
_NOISE_KEYS = re.compile(
    r"^(utm_\w+|spm|from|isappinstalled|jsessionid|phpsessid|sid|sessionid|aspsessionid\w*|_)$", re.I
)
_PATH_SESSION = re.compile(r";jsessionid=[^/?#]*", re.I)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _escape(match: re.Match) -> str:
    char = chr(int(match.group(1), 16))
    return char if char in _UNRESERVED else f"%{match.group(1).upper()}"


# A page's navigation and footer links recur on every page, and each URL is keyed several times
# (request, follow, store): it is worked out once.
@lru_cache(maxsize=16384)
def canonical_url(url: str) -> str:
    # The fragment goes first, so that spaces before it are trimmed too ("a.html #top").
    url = url.split("#", 1)[0].strip()
    try:
        url = _ESCAPE.sub(_escape, safe_url_string(url))
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        # Malformed ("//:80?x", a port without a host): left as written, less its tracking keys.
        address, mark, query = url.partition("?")
        return address + mark + _kept_query(query) if mark else url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    # Without a host the port stays: "http:///a" would turn its path into a host the next time.
    default_port = port is None or (port == _DEFAULT_PORTS.get(scheme) and host)
    netloc = host if default_port else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    path = _PATH_SESSION.sub("", parts.path) or ("/" if netloc else "")
    if not netloc and path.startswith("//"):
        # Without a host, urlunsplit would read a leading "//x" of the path as the host next time.
        path = "/" + path.lstrip("/")
    return urlunsplit((scheme, netloc, path, _kept_query(parts.query), ""))


def _kept_query(query: str) -> str:
    """The query without tracking and session keys; re-encoded only when something was dropped, so
    a query left alone stays byte-for-byte."""
    pairs = parse_qsl(query, keep_blank_values=True)
    kept = [(key, value) for key, value in pairs if not _is_noise(key, value)]
    return query if len(kept) == len(pairs) else urlencode(kept)


def _is_noise(key: str, value: str) -> bool:
    """A tracking or session parameter. A short number under sid names a site (gkmlpt's list API
    /gkmlpt/api/all/7?page=1&sid=755), not a session: it stays."""
    if key.lower() == "sid" and value.isdigit() and len(value) <= 8:
        return False
    return bool(_NOISE_KEYS.match(key))


def url_port(url: str) -> int | None:
    """The port a URL connects to (its scheme's default when none is written); None when invalid."""
    parts = urlsplit(url)
    try:
        return parts.port or _DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        return None


class BadSiteURL(ValueError):
    """The address to audit is not an http(s) URL with a host."""


def check_site_url(url: str) -> str:
    """The URL to audit, normalised (a bare host path gets a trailing /), or BadSiteURL."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        raise BadSiteURL(f"网址必须以 http:// 或 https:// 开头 / URL must start with http:// or https://: {url!r}")
    if not parts.hostname:
        raise BadSiteURL(f"网址缺少主机名 / URL has no host: {url!r}")
    try:
        parts.port
    except ValueError as exc:
        raise BadSiteURL(f"网址端口无效 / URL has an invalid port: {url!r}") from exc
    return canonical_url(parts._replace(path=parts.path or "/").geturl())
