"""Lists a script loads after the page opens: the page holds an empty container and a script that
asks a JSON endpoint of the same site for the rows (`$.ajax({url: "/gkmlpt/api/all/123?page=1"})`,
`fetch("/api/list?channelId=7&pageNo=1")`). A browser user sees the list, so the auditor reads it
too: the endpoint is read as the list's first page, and the JSON's rows, dates and totals as a list
page's (further pages by the page parameter, to the stated count).

Only endpoints that look like a list are taken (a visit counter, a weather box or a login check is
not), only on the page's own host, and only when the page shows no list of its own.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime, timedelta, timezone
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from crawler.vocabulary.dates import parse_date
from crawler.vocabulary.reading import ListEntry, PageReading

from .pagination import MAX_LISTED_PAGES, page_param_name

# A URL handed to an AJAX call: $.ajax({url: "…"}), $.get("…"), $.getJSON, fetch("…"), axios.get("…").
_CALL_RE = re.compile(
    r"""(?:\burl\s*:\s*|\$\.(?:get|post|getJSON|ajax)\(\s*|\bfetch\(\s*|\baxios(?:\.get)?\(\s*)(['"])(?P<url>[^'"\s]{2,300})\1"""
)
_LIST_WORDS_RE = re.compile(r"list|api|json|data|query|search|article|info|doc|gkml|channel|column|lanmu|catalog", re.I)
_NOT_A_LIST_RE = re.compile(
    r"count|visit|click|hits|stat|weather|login|logout|user|captcha|comment|vote|token|\.(?:js|css|png|jpe?g|gif|svg|ico)(?:$|\?)",
    re.I,
)
# The parameters a script sends beside the URL: data: {page: 1, sid: "7", pageSize: 15}. A value
# held in a variable is read when the scripts declare it once with a literal; the page's starts at 1.
_DATA_RE = re.compile(r"\bdata\s*:\s*\{(?P<pairs>[^{}]{0,400})\}")
_PAIR_RE = re.compile(
    r"""['"]?(?P<key>\w{1,30})['"]?\s*:\s*(?:(?P<quote>['"])(?P<text>[^'"]{0,100})(?P=quote)|(?P<number>-?\d{1,9})\b|(?P<name>[\w.$]+))"""
)
_PAGE_KEY_RE = re.compile(r"^(page|pageno|pagenum|pageindex|currentpage|curpage|pn)$", re.I)
_MAX_SOURCES = 3

_TITLE_KEYS = ("title", "name", "bt", "doctitle", "articletitle", "infotitle", "subject", "headline")
_URL_KEYS = ("url", "link", "href", "docurl", "docpuburl", "linkurl", "pageurl", "articleurl", "detailurl", "path")
_DATE_KEYS = (
    "publishdate",
    "pubdate",
    "publish_time",
    "publishtime",
    "first_publish_time",
    "display_publish_time",
    "releasedate",
    "docreltime",
    "fbrq",
    "fbsj",
    "date",
    "time",
    "createtime",
    "createdate",
    "created_at",
    "issuedate",
)
_RECORD_KEYS = (
    "total",
    "totalcount",
    "totalrecord",
    "totalrecords",
    "recordcount",
    "total_count",
    "totalelements",
    "count",
)
_PAGES_KEYS = ("pagecount", "totalpage", "totalpages", "total_page", "pagetotal", "pages")
_SIZE_KEYS = ("pagesize", "page_size", "per_page", "size", "rows", "limit")
# Epoch timestamps in list answers are dates as a Beijing reader sees them.
_BEIJING = timezone(timedelta(hours=8))
_JSONP_RE = re.compile(r"^\s*[\w$.]+\s*\((?P<body>.*)\)\s*;?\s*$", re.S)


def data_sources(scripts: str, page_url: str, base: str) -> list[str]:
    """Same-host URLs the page's scripts fetch a list from, page 1 first asked for explicitly when the
    script sends a page parameter beside the URL."""
    host = urlsplit(page_url).hostname
    found: list[str] = []
    for match in _CALL_RE.finditer(scripts):
        raw = match.group("url")
        url = urljoin(base, raw)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.hostname != host or url in found:
            continue
        if _NOT_A_LIST_RE.search(parts.path + "?" + parts.query) or not _LIST_WORDS_RE.search(raw):
            continue
        sent = _DATA_RE.search(scripts, match.end(), match.end() + 400)
        if sent:
            url = _with_sent_params(url, sent.group("pairs"), scripts)
        if url not in found:
            found.append(url)
    return found[:_MAX_SOURCES]


def _declared_literal(scripts: str, name: str) -> str | None:
    """The one literal a script variable is declared with (var SID = "755"; const siteId = 12),
    or None when it is declared otherwise, more than once with different values, or not at all."""
    values = {
        match.group("text") if match.group("quote") else match.group("number")
        for match in re.finditer(
            rf"\b(?:var|let|const)\s+{re.escape(name)}\s*=\s*(?:(?P<quote>['\"])"
            rf"(?P<text>[^'\"\n]{{0,100}})(?P=quote)|(?P<number>-?\d{{1,12}})\b)",
            scripts,
        )
    }
    assigned = len(re.findall(rf"(?<![\w$.]){re.escape(name)}\s*=(?!=)", scripts))
    return values.pop() if len(values) == 1 and assigned == 1 else None


def _with_sent_params(url: str, pairs: str, scripts: str = "") -> str:
    """The URL with the parameters of the script's data: {…} added as a GET query: literals, and
    variables the page's scripts declare once with a literal (sid: SID after var SID = "755")."""
    for pair in _PAIR_RE.finditer(pairs):
        key = pair.group("key")
        if _PAGE_KEY_RE.match(key):
            value = pair.group("number") if pair.group("number") and int(pair.group("number")) >= 0 else "1"
        elif pair.group("quote") is not None:
            value = pair.group("text")
        elif pair.group("number"):
            value = pair.group("number")
        elif (declared := _declared_literal(scripts, pair.group("name"))) is not None:
            value = declared
        else:
            continue
        url = _with_param(url, key, value)
    return url


def looks_like_json(body: bytes, content_type: str | None) -> bool:
    """Whether a body is a JSON (or JSONP) answer rather than a page."""
    if content_type and ("json" in content_type.lower() or "javascript" in content_type.lower()):
        return True
    if content_type and "html" in content_type.lower():
        return False
    start = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return start in (b"{", b"[")


def read_json_list(body: bytes, url: str) -> PageReading | None:
    """The rows of a JSON list answer, or None when it holds no list of linked titles."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = body.decode("gb18030", errors="replace")
    wrapped = _JSONP_RE.match(text) if not text.lstrip().startswith(("{", "[")) else None
    try:
        data = json.loads(wrapped.group("body") if wrapped else text)
    except (ValueError, RecursionError):
        return None
    rows, holder = _largest_row_list(data)
    if not rows:
        return None
    entries = [entry for row in rows if (entry := _entry(row, url)) is not None]
    if not entries:
        return None
    totals = {key.lower(): value for key, value in _scalars(holder, data)}
    records = _first_int(totals, _RECORD_KEYS)
    pages = _first_int(totals, _PAGES_KEYS)
    size = _first_int(totals, _SIZE_KEYS) or len(rows)
    if pages is None and records is not None and size:
        pages = math.ceil(records / size)
    reading = PageReading(url=url, cms="json", list_items=entries, total_pages=pages, total_records=records)
    reading.next_pages = _next_pages(url, pages)
    return reading


def _largest_row_list(data, depth: int = 0) -> tuple[list[dict], dict | None]:
    """The longest list of objects that have a title and a link, and the object holding it."""
    best: tuple[list[dict], dict | None] = ([], None)
    if depth > 6:
        return best
    children = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for _, value in children:
        if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            linked = [item for item in value if _pick(item, _TITLE_KEYS) and _pick(item, _URL_KEYS)]
            if len(linked) * 2 >= len(value) and len(linked) > len(best[0]):
                best = (linked, data if isinstance(data, dict) else None)
        if isinstance(value, (dict, list)):
            deeper = _largest_row_list(value, depth + 1)
            if len(deeper[0]) > len(best[0]):
                best = deeper
    if isinstance(data, list) and data and all(isinstance(item, dict) for item in data):
        linked = [item for item in data if _pick(item, _TITLE_KEYS) and _pick(item, _URL_KEYS)]
        if len(linked) * 2 >= len(data) and len(linked) > len(best[0]):
            best = (linked, None)
    return best


def _pick(row: dict, keys: tuple[str, ...]):
    lowered = {str(key).lower(): value for key, value in row.items()}
    for key in keys:
        value = lowered.get(key)
        if isinstance(value, str) and value.strip() or isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
    return None


def _entry(row: dict, base: str) -> ListEntry | None:
    title, link = _pick(row, _TITLE_KEYS), _pick(row, _URL_KEYS)
    if not isinstance(title, str) or not isinstance(link, str):
        return None
    url = urljoin(base, link.strip())
    if urlsplit(url).scheme not in ("http", "https"):
        return None
    shown = _row_date(_pick(row, _DATE_KEYS))
    return ListEntry(re.sub(r"\s+", " ", title).strip(), url, shown, "list" if shown else None)


def _row_date(value) -> date | None:
    if isinstance(value, str):
        if value.strip().isdigit():
            value = int(value.strip())
        else:
            return parse_date(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if value > 10**11 else value
        if 10**8 < seconds < 5 * 10**9:
            return datetime.fromtimestamp(seconds, tz=_BEIJING).date()
    return None


def _scalars(holder: dict | None, data) -> list[tuple[str, object]]:
    """Key/value pairs where a list answer states its totals: beside the rows, else at the top
    level or one object down ({"data": {...}, "total": 60})."""
    found: list[tuple[str, object]] = []
    for scope in (holder, data, *(data.values() if isinstance(data, dict) else ())):
        if isinstance(scope, dict):
            found.extend((str(key), value) for key, value in scope.items() if not isinstance(value, (dict, list)))
    return found


def _first_int(values: dict, keys: tuple[str, ...]) -> int | None:
    for key in keys:
        value = values.get(key)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10**9:
            return value
    return None


def _next_pages(url: str, pages: int | None) -> list[str]:
    """Pages 2…N of a list answer, by its page parameter; none when it has none or states no count."""
    name = page_param_name(url)
    if name is None or not pages:
        return []
    current = int(dict(parse_qsl(urlsplit(url).query))[name])
    last = min(pages, current + MAX_LISTED_PAGES)
    return [_with_param(url, name, number) for number in range(current + 1, last + 1)]


def _with_param(url: str, name: str, value: int | str) -> str:
    parts = urlsplit(url)
    pairs = [(key, val) for key, val in parse_qsl(parts.query, keep_blank_values=True) if key != name]
    pairs.append((name, str(value)))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(pairs), ""))
