"""Further pages of a column list: pager links, <select> pagers, stated page counts and
the component-CMS maxPageNum script pager. CMS pagers live with their adapters (trs, hanweb)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urljoin, urlsplit

from lxml import etree

from crawler.vocabulary.reading import FormRequest

from .dom import absolute_url, element_text

_NEXT_WORDS = frozenset({"下一页", "下页", "后一页", ">", "›", "»", ">>", "下一页>", "下一页>>"})
_LAST_WORDS = frozenset({"尾页", "末页", "最后一页", "最末页", ">|"})
_FIRST_WORDS = frozenset({"首页", "第一页", "|<"})
_PAGE_PARAM_RE = re.compile(r"^(page|pageno|pagenum|pageindex|currentpage|curpage|p|pn|pageNo)$", re.I)
_TOTAL_PATTERNS = (
    re.compile(r"共\s*(\d{1,5})\s*页"),
    re.compile(r"(?<!\d)\d{1,5}\s*/\s*(\d{1,5})\s*页"),
    re.compile(r"页次\s*[：:]\s*\d{1,5}\s*/\s*(\d{1,5})"),
    re.compile(r"总页数\s*[：:]\s*(\d{1,5})"),
)
_CURRENT_PATTERNS = (
    re.compile(r"(?<!\d)(\d{1,5})\s*/\s*\d{1,5}\s*页"),
    re.compile(r"第\s*(\d{1,5})\s*页"),
    re.compile(r"页次\s*[：:]\s*(\d{1,5})\s*/"),
)
# "共60条 共4页" / "共60条记录 当前第1/4页": a record count stated on the pager's own line.
_RECORDS_ON_PAGER_LINE_RE = re.compile(r"共\s*(\d{1,9})\s*条(?=.*页)")
_MAX_PAGE_NUM_RE = re.compile(r"\bmaxPageNum\s*=\s*(\d+)")
_PURL_RE = re.compile(r"\bpurl\s*=\s*['\"]([^'\"]+)['\"]")
# var pageCount = 5; function goPage(n) { location.href = "index_" + n + ".html"; }: a pager that
# exists only as a script stating both its page count and how it builds page n's URL.
_PAGE_COUNT_RE = re.compile(r"\b(?:pageCount|totalPage|totalPages|pageTotal)\s*=\s*(\d+)\s*[;,\n]")
_TOTAL_COUNT_RE = re.compile(r"\b(?:totalCount|totalRecord|totalRecords|recordCount)\s*=\s*(\d+)\s*[;,\n]")
_PAGE_SIZE_RE = re.compile(r"\bpageSize\s*=\s*(\d+)\s*[;,\n]")
_GO_PAGE_RE = re.compile(
    r"function\s+(?:goPage|gotoPage|goToPage|toPage|turnPage|jumpPage)\s*\(\s*([A-Za-z_$][\w$]*)\s*\)\s*\{"
)
_GO_PAGE_BODY_CHARS = 600
_LAST_PAGE = 10**6
# Counts a page states are the page's word, not the server's: they are kept (clamped to this) for
# the coverage record, but never listed further than MAX_LISTED_PAGES page URLs (the crawl's own
# max_list_pages is the tighter bound; this one keeps a hostile 99999999999 from using memory).
STATED_MAX = 999_999_999_999
MAX_LISTED_PAGES = 10_000


@dataclass(frozen=True)
class Pagination:
    """Next pages in page order, the page count the page states, and POSTs loading more rows."""

    next_pages: list[str]
    total_pages: int | None
    more_requests: list[FormRequest] = field(default_factory=list)
    # The number of records the list says it holds (Hanweb totalrecord, "共N条"), when it says so.
    total_records: int | None = None


def stated_count(digits: str) -> int:
    """A count written on a page, clamped (a thousand-digit number must not reach int() or SQLite)."""
    return int(digits) if len(digits) <= 12 else STATED_MAX


def _stated_number(text: str, patterns: tuple[re.Pattern[str], ...]) -> int | None:
    for pattern in patterns:
        match = pattern.search(text)
        if match and int(match.group(1)) > 0:
            return int(match.group(1))
    return None


def _script_pager(scripts: str, base: str, page_url: str) -> Pagination | None:
    """Pages written by a maxPageNum pager (purl_N.html, counting down)."""
    counts = [count for n in _MAX_PAGE_NUM_RE.findall(scripts) if (count := stated_count(n)) > 0]
    purl = _PURL_RE.search(scripts)
    if counts and purl:
        total = counts[-1]
        # This pager counts down: page k is purl_(total-k+1), so page 2 is purl_(total-1).
        numbers = range(total - 1, max(total - 1 - MAX_LISTED_PAGES, 0), -1)
        pages = [urljoin(base, f"{purl.group(1)}_{n}.html") for n in numbers]
        return Pagination([page for page in pages if page != page_url], total)
    return None


def _go_page_pager(scripts: str, base: str, page_url: str) -> Pagination | None:
    """Pages a goPage(n) script builds from a stated count: its location is a string, the page
    number and a string ("index_" + n + ".html", "?pageIndex=" + n). Page 1 is never listed (the
    function names it otherwise); nothing is guessed when either the count or the URL is missing."""
    counts = [count for n in _PAGE_COUNT_RE.findall(scripts) if (count := stated_count(n)) > 0]
    records = _single_number(_TOTAL_COUNT_RE, scripts)
    size = _single_number(_PAGE_SIZE_RE, scripts)
    if not counts and records is not None and size:
        counts = [math.ceil(records / size)] if records else []  # var totalCount = 23; var pageSize = 10
    function = _GO_PAGE_RE.search(scripts)
    if not counts or not function:
        return None
    param = re.escape(function.group(1))
    body = scripts[function.end() : function.end() + _GO_PAGE_BODY_CHARS].split("function ", 1)[0]
    if not re.search(r"\blocation\b", body):
        return None
    # "prefix" + n, + (n), + (n - 1) or + (n + 1), then + "suffix" or the statement's end; any
    # other arithmetic (n * 10, n - 1 outside brackets) is not read.
    built = re.search(
        rf"(['\"])(?P<prefix>[^'\"\s]*)\1\s*\+\s*(?:\(\s*{param}\s*(?:(?P<sign>[+-])\s*(?P<shift>\d{{1,3}})\s*)?\)"
        rf"|{param}\b)(?:\s*\+\s*(['\"])(?P<suffix>[^'\"\s]*)\5|(?=\s*[;,)}}\n]))",
        body,
    )
    if not built or not built["prefix"] or built["prefix"].startswith(("javascript:", "#")):
        return None
    prefix, suffix = built["prefix"], built["suffix"] or ""
    shift = int(built["shift"] or 0) * (-1 if built["sign"] == "-" else 1)
    total = counts[0]
    pages = [urljoin(base, f"{prefix}{n + shift}{suffix}") for n in range(2, min(total, MAX_LISTED_PAGES + 1) + 1)]
    return Pagination([page for page in pages if page != page_url], total, total_records=records)


def _single_number(pattern: re.Pattern[str], scripts: str) -> int | None:
    """The number a script variable is set to, when the scripts set it to one number only."""
    values = {stated_count(n) for n in pattern.findall(scripts)}
    return values.pop() if len(values) == 1 else None


def _is_page_number(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= 5


def _page_param(url: str) -> int | None:
    name = page_param_name(url)
    return int(parse_qs(urlsplit(url).query)[name][0]) if name else None


def page_param_name(url: str) -> str | None:
    """The query parameter that numbers the URL's page (page=2, pageNo=2, pageIndex=2 …), if any."""
    for key, values in parse_qs(urlsplit(url).query).items():
        if _PAGE_PARAM_RE.match(key) and values and _is_page_number(values[0]):
            return key
    return None


def _numbered_links(root: etree._Element, base: str, current: int, total: int | None) -> list[tuple[int, str]]:
    """(page number, url) for every pager link and <select> option on the page."""
    found: list[tuple[int, str]] = []
    anchors = [(element_text(a), absolute_url(a.get("href"), base)) for a in root.iter("a")]
    has_pager_words = any(text.replace(" ", "") in _NEXT_WORDS | _LAST_WORDS for text, _ in anchors)
    for text, url in anchors:
        if not url:
            continue
        word = text.replace(" ", "")
        if word in _NEXT_WORDS or word.startswith("下一页"):
            found.append((current + 1, url))
        elif word in _LAST_WORDS:
            found.append((total or _LAST_PAGE, url))
        elif word in _FIRST_WORDS:
            found.append((1, url))
        elif _is_page_number(word) and has_pager_words and int(word) > 0:
            found.append((int(word), url))
        elif (number := _page_param(url)) is not None and has_pager_words:
            found.append((number, url))
    for select in root.iter("select"):
        for option in select.iter("option"):
            label, url = element_text(option), absolute_url(option.get("value"), base)
            if url and _is_page_number(label) and not option.get("value", "").strip().isdigit():
                found.append((int(label), url))
    return found


def find_pagination(
    root: etree._Element | None, lines: list[str], scripts: str, page_url: str, base: str
) -> Pagination:
    """Further pages of this list, page 2 first, without the current page or page 1."""
    scripted = _script_pager(scripts, base, page_url) or _go_page_pager(scripts, base, page_url)
    if scripted:
        return scripted
    text = "\n".join(lines)
    total = _stated_number(text, _TOTAL_PATTERNS)
    records = _stated_records(lines)
    if root is None:
        return Pagination([], total, total_records=records)
    current = _stated_number(text, _CURRENT_PATTERNS) or 1
    numbered = _numbered_links(root, base, current, total)
    first_pages = {url for number, url in numbered if number == 1}
    skip = {page_url, base} | first_pages
    ordered: list[str] = []
    for number, url in sorted(numbered, key=lambda pair: pair[0]):
        if number > current and url not in skip and url not in ordered:
            ordered.append(url)
    return Pagination(ordered[:MAX_LISTED_PAGES], total, total_records=records)


def _stated_records(lines: list[str]) -> int | None:
    """The record count a pager line states ("共60条 … 共4页"); 共N条 elsewhere counts other things."""
    for line in lines:
        match = _RECORDS_ON_PAGER_LINE_RE.search(line)
        if match:
            return int(match.group(1))
    return None
