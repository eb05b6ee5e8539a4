"""大汉 Hanweb jcms pages: column lists kept as <datastore> XML and loaded in groups by jpage.

A column page (/col/col1234/index.html) carries its first group of records inline:
    <script type="text/xml"><datastore><nextgroup>…</nextgroup><recordset>
      <record><![CDATA[<li><a href="/art/2022/8/15/art_1234_1.html">…</a><span>2022-08-15</span></li>]]></record>
and a jpage call ($('#unit').jpage({proxyUrl, perPage, groupSize, totalRecord, ajaxParam:{…}})).
A browser loads each further group with
    POST /module/web/jpage/dataproxy.jsp?startrecord=N&endrecord=M&perpage=K
whose form fields are the jpage ajaxParam (or the query of the <nextgroup> link), and gets the
same <datastore> XML back with <totalrecord>. Both the page and that answer are read here.
"""

from __future__ import annotations

import dataclasses
import html
import math
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit

import lxml.html
from lxml import etree

from crawler.vocabulary.reading import FormRequest, ListEntry, PageList

from .dom import absolute_url
from .generic import GenericReader
from .links import collect_links
from .lists import Row, in_navigation, link_title, row_date
from .page import ParsedPage
from .pagination import Pagination, stated_count
from .regions import Regions

DEFAULT_PROXY = "/module/web/jpage/dataproxy.jsp"
# jpage shows groupSize pages of perPage records per load; 3 is the plugin's default.
_DEFAULT_GROUP_SIZE = 3
# The most records asked for in one POST, whatever perPage × groupSize the page states.
_MAX_GROUP = 500
# Markup is scanned for these tags by position, never with a .*? between them: a page repeating
# <datastore> or <record><![CDATA[ without its closing tag must cost linear time, not quadratic.
_DATASTORE_TAG_RE = re.compile(r"<(/?)datastore>", re.I)
_RECORD_OPEN_RE = re.compile(r"<record>\s*<!\[CDATA\[", re.I)
_CDATA_END = "]]>"
_NEXTGROUP_RE = re.compile(r"<nextgroup>\s*<!\[CDATA\[", re.I)
_HREF_RE = re.compile(r"""href\s*=\s*["']([^"']{1,2000})["']""", re.I)
_XML_NUMBER_RE = {name: re.compile(rf"<{name}>\s*(\d+)\s*</{name}>", re.I) for name in ("totalrecord", "totalpage")}
_SCRIPT_NUMBER_RE = {
    name: re.compile(rf"\b{name}\s*[:=]\s*['\"]?(\d+)", re.I) for name in ("totalRecord", "perPage", "groupSize")
}
_PROXY_RE = re.compile(r"""\bproxyUrl\s*[:=]\s*['"]([^'"]{1,2000})['"]""")
# The parameter object is small; bounding it keeps an unclosed "ajaxParam:{" from scanning the rest of the page.
_AJAX_PARAM_RE = re.compile(r"\bajaxParam\s*[:=]\s*\{([^{}]{0,4000})\}")
_PAIR_RE = re.compile(r"""['"]?(\w+)['"]?\s*:\s*(?:'([^']*)'|"([^"]*)"|([^,}\s]+))""")
_JPAGE_UNIT_RE = re.compile(r"""\$\(\s*['"]#(\w+)['"]\s*\)\s*\.jpage\(""")
_COLUMN_URL_RE = re.compile(r"/col/col(\d+)/")
_ARTICLE_URL_RE = re.compile(r"/art/\d{4}/\d{1,2}/\d{1,2}/art_", re.I)
_MARKER_RE = re.compile(r"<datastore>|/module/web/jpage/|\.jpage\(", re.I)
# Query keys that place a group; every other key of a <nextgroup> link is a form field.
_PAGING_KEYS = frozenset({"page", "startrecord", "endrecord", "perpage"})
# Fields that tell one column's groups from another's at the same proxy URL.
_IDENTITY_FIELDS = ("columnid", "unitid")


@dataclass(frozen=True)
class Jpage:
    """What a page says about its jpage list: where and how to ask for the other groups."""

    proxy_url: str
    fields: dict[str, str]
    per_page: int | None
    group_size: int | None
    total_records: int | None
    total_pages: int | None


def _datastores(raw_text: str) -> list[str]:
    """The text of every <datastore> block; one left unclosed runs to the next block or the end."""
    blocks: list[str] = []
    start: int | None = None
    for tag in _DATASTORE_TAG_RE.finditer(raw_text):
        if start is not None:
            blocks.append(raw_text[start : tag.start()])
        start = None if tag.group(1) else tag.end()
    if start is not None:
        blocks.append(raw_text[start:])
    return blocks


def _cdata_records(block: str) -> list[str]:
    """The CDATA contents of the <record> elements of one block, in order (one pass over it)."""
    records: list[str] = []
    position = 0
    while (opening := _RECORD_OPEN_RE.search(block, position)) is not None:
        end = block.find(_CDATA_END, opening.end())
        if end < 0:
            break  # no record after this one can be closed either
        records.append(block[opening.end() : end])
        position = end + len(_CDATA_END)
    return records


def _records(raw_text: str) -> list[str]:
    """The HTML of every <record> of the biggest datastore on the page."""
    return max((_cdata_records(block) for block in _datastores(raw_text)), key=len, default=[])


def _record_row(record: str, base: str, reference: date) -> Row | None:
    try:
        fragment = lxml.html.fragment_fromstring(record, create_parent="div")
    except (etree.ParserError, ValueError):
        return None
    anchor = next((a for a in fragment.iter("a") if absolute_url(a.get("href"), base)), None)
    if anchor is None:
        return None
    url = absolute_url(anchor.get("href"), base) or ""
    found, source, title = row_date(fragment, anchor, link_title(anchor), url, reference)
    return Row(fragment, title, url, found, source) if title else None


def datastore_rows(raw_text: str, base: str, reference: date) -> list[ListEntry]:
    """The list rows of the page's datastore records, in order."""
    rows = (_record_row(record, base, reference) for record in _records(raw_text))
    return [row.entry() for row in rows if row is not None]


def _datastore_units(page: ParsedPage) -> list[ParsedPage]:
    """The page cut into one part per datastore that holds records, each with the jpage call that
    loads it: the calls stand in page order like their datastores (when there are as many), else
    each datastore's call follows it. Empty when fewer than two hold records; datastores that
    stand in navigation are left out, unless all of them do."""
    raw = page.raw_text
    starts = [tag.start() for tag in _DATASTORE_TAG_RE.finditer(raw) if not tag.group(1)]
    blocks = list(zip(starts, _datastores(raw)))
    holders = (
        [script for script in page.root.iter("script") if _DATASTORE_TAG_RE.search(script.text or "")]
        if page.root is not None
        else []
    )
    if sum(1 for _, block in blocks if _cdata_records(block)) <= 1:
        return []
    if len(holders) == len(blocks):
        navigation = in_navigation(holders)
        if not all(navigation):
            blocks = [block for block, aside in zip(blocks, navigation) if not aside]
    blocks = [(start, block) for start, block in blocks if _cdata_records(block)]
    calls = [call.start() for call in _JPAGE_UNIT_RE.finditer(page.scripts)]
    units = []
    for n, (start, block) in enumerate(blocks):
        following = raw[start : blocks[n + 1][0] if n + 1 < len(blocks) else len(raw)]
        if len(calls) == len(blocks):
            scripts = page.scripts[calls[n] : calls[n + 1] if n + 1 < len(calls) else len(page.scripts)]
        else:
            scripts = following
        units.append(dataclasses.replace(page, raw_text=f"<datastore>{block}</datastore>", scripts=scripts))
    return units


def datastore_anchors(raw_text: str) -> list[etree._Element]:
    """The <a> and <img> elements inside datastore records, for the page's link list."""
    elements: list[etree._Element] = []
    for record in _records(raw_text):
        try:
            fragment = lxml.html.fragment_fromstring(record, create_parent="div")
        except (etree.ParserError, ValueError):
            continue
        elements.extend(fragment.iter("a", "img"))
    return elements


def _fully_unquoted(value: str) -> str:
    """Hanweb double-encodes webname in <nextgroup> links (%25E5...); a browser form sends it once decoded."""
    for _ in range(3):
        decoded = unquote(value)
        if decoded == value:
            break
        value = decoded
    return value


def _nextgroup_link(raw_text: str) -> str | None:
    match = _NEXTGROUP_RE.search(raw_text)
    if not match:
        return None
    end = raw_text.find(_CDATA_END, match.end())
    href = _HREF_RE.search(raw_text, match.end(), end if end >= 0 else len(raw_text))
    return html.unescape(href.group(1)) if href else None


def _script_fields(scripts: str) -> dict[str, str]:
    match = _AJAX_PARAM_RE.search(scripts)
    if not match:
        return {}
    # Each pair matched one of three value forms; the other two groups are empty.
    return {key: next((v for v in values if v), "") for key, *values in _PAIR_RE.findall(match.group(1))}


def _number(pattern: re.Pattern[str], text: str) -> int | None:
    match = pattern.search(text)
    count = stated_count(match.group(1)) if match else 0
    return count if count > 0 else None


def read_jpage(page: ParsedPage) -> Jpage:
    """The jpage settings of a column page or a dataproxy answer (fields from <nextgroup> and ajaxParam)."""
    nextgroup = _nextgroup_link(page.raw_text)
    fields = {
        key: _fully_unquoted(value)
        for key, value in parse_qsl(urlsplit(nextgroup).query if nextgroup else "", keep_blank_values=True)
        if key.lower() not in _PAGING_KEYS
    }
    fields.update(_script_fields(page.scripts))
    # A dataproxy answer names its column only in its own URL; the crawler adds the other form
    # fields of the POST that brought it.
    query = parse_qsl(urlsplit(page.url).query)
    for key, value in query:
        if key.lower() in _IDENTITY_FIELDS:
            fields.setdefault(key, value)
    asked_per_page = next((stated_count(v) for k, v in query if k.lower() == "perpage" and v.isdigit()), None)
    column = _COLUMN_URL_RE.search(urlsplit(page.url).path)
    if "columnid" not in fields and column:
        fields["columnid"] = column.group(1)
    unit = _JPAGE_UNIT_RE.search(page.scripts)
    if "unitid" not in fields and unit:
        fields["unitid"] = unit.group(1)
    proxy = _PROXY_RE.search(page.scripts)
    proxy_path = proxy.group(1) if proxy else (urlsplit(nextgroup).path if nextgroup else "") or DEFAULT_PROXY
    text = page.raw_text
    return Jpage(
        proxy_url=urljoin(page.base, proxy_path),
        fields=fields,
        per_page=_number(_SCRIPT_NUMBER_RE["perPage"], page.scripts) or asked_per_page or None,
        group_size=_number(_SCRIPT_NUMBER_RE["groupSize"], page.scripts),
        total_records=_number(_XML_NUMBER_RE["totalrecord"], text)
        or _number(_SCRIPT_NUMBER_RE["totalRecord"], page.scripts),
        total_pages=_number(_XML_NUMBER_RE["totalpage"], text),
    )


def _asked_range(page_url: str, jpage: Jpage, received: int) -> tuple[int, int, bool]:
    """(first record, records asked for, whether this is a dataproxy answer) of this page: the
    dataproxy query, else the inline first group of a column page."""
    query = {key.lower(): value for key, value in parse_qsl(urlsplit(page_url).query)}
    start, end = query.get("startrecord", ""), query.get("endrecord", "")
    if start.isdigit() and end.isdigit() and len(start) <= 12 and len(end) <= 12 and int(end) >= int(start) >= 1:
        return int(start), int(end) - int(start) + 1, True
    if jpage.per_page and jpage.group_size:
        return 1, jpage.per_page * jpage.group_size, False
    if received:
        return 1, max(received, jpage.per_page or 0), False
    return 1, (jpage.per_page or 0) * _DEFAULT_GROUP_SIZE, False


def next_group(page_url: str, jpage: Jpage, received: int) -> FormRequest | None:
    """The POST for the records after those this page actually holds, as jpage makes it.

    It starts after what was received, not after what was asked for: a column page that embeds 15
    records of a list whose jpage shows 45 per load asks for record 16 next, and an answer cut short
    by the server is continued where it stopped. One group at a time, so that the crawl can stop
    when an answer brings nothing new. The URL also carries the column's identity fields (a servlet
    reads query and form alike), because every column of a site posts to the same dataproxy.jsp
    and pages are stored by URL.
    """
    first, asked, answer = _asked_range(page_url, jpage, received)
    if asked <= 0 or not jpage.fields:
        return None
    # An answer with no records ends the list; a column page that embeds none but states a
    # total is asked from its first record.
    if received <= 0 and (answer or not jpage.total_records):
        return None
    start = first + received
    total = jpage.total_records
    if total is None:
        # Without a stated total, only a full group hints that more follow.
        if received < asked or not jpage.per_page:
            return None
    elif start > total:
        return None
    size = min(asked, _MAX_GROUP)
    identity = [(key, jpage.fields[key]) for key in _IDENTITY_FIELDS if key in jpage.fields]
    query = urlencode(
        [("startrecord", start), ("endrecord", start + size - 1), ("perpage", jpage.per_page or size), *identity]
    )
    return FormRequest(f"{jpage.proxy_url}?{query}", dict(jpage.fields))


class HanwebReader(GenericReader):
    """Hanweb jcms: datastore lists, jpage group loading, /col/ and /art/ URL shapes."""

    name = "hanweb"

    def matches(self, page: ParsedPage) -> bool:
        path = urlsplit(page.url).path
        return bool(
            _MARKER_RE.search(page.raw_text)
            or _COLUMN_URL_RE.search(path)
            or _ARTICLE_URL_RE.search(path)
            or path.lower().endswith("/dataproxy.jsp")
        )

    def lists(self, page: ParsedPage, pagination: Pagination, has_pager: bool) -> list[PageList]:
        """The datastore list, or one list per datastore when the page holds several (each loaded
        by its own jpage call), leaving out datastores in navigation (a 热点信息 box); a page
        without records is read as any page."""
        units = _datastore_units(page)
        if len(units) == 1:
            return [PageList(datastore_rows(units[0].raw_text, page.base, page.reference))]
        parts = []
        for unit in units:
            own = self.pagination(unit)
            parts.append(
                PageList(
                    datastore_rows(unit.raw_text, page.base, page.reference),
                    own.next_pages,
                    own.total_pages,
                    own.total_records,
                    list(own.more_requests),
                )
            )
        if parts:
            return parts
        rows = datastore_rows(page.raw_text, page.base, page.reference)
        return [PageList(rows)] if rows else super().lists(page, pagination, has_pager)

    def pagination(self, page: ParsedPage) -> Pagination:
        shown = len(_records(page.raw_text))
        if not shown and not _DATASTORE_TAG_RE.search(page.raw_text):
            return super().pagination(page)
        jpage = read_jpage(page)
        total_pages = jpage.total_pages
        if total_pages is None and jpage.total_records and jpage.per_page:
            total_pages = math.ceil(jpage.total_records / jpage.per_page)
        more = next_group(page.url, jpage, shown)
        return Pagination([], total_pages, [more] if more else [], jpage.total_records)

    def links(self, page: ParsedPage, regions: Regions | None = None):
        """Links of the page, then the links inside its datastore records (the list: content)."""
        return super().links(page, regions) + collect_links(datastore_anchors(page.raw_text), page.base)
