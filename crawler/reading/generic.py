"""The generic reader: every field from page structure alone, no CMS knowledge.

CMS adapters subclass GenericReader and override single steps.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
from collections.abc import Callable
from typing import TypeVar

from crawler.vocabulary.dates import date_from_url, parse_date
from crawler.vocabulary.reading import TITLE_TAG, TITLE_TAG_MAX_CHARS, DatedValue, PageList, PageReading

from .dom import text_blocks
from .heading import Heading, date_under, find_heading
from .hidden import hidden_links
from .labels import find_labels
from .links import page_links, redirect_target
from .lists import MainList, dated_links, empty_list_boxes, has_empty_notice, main_lists
from .metadata import extract_metadata, organ_name
from .page import ParsedPage
from .pagination import Pagination, find_pagination
from .regions import Regions, breadcrumb
from .scripted import data_sources

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_TEXT_CHARS = 2_000_000
_SOURCE_RE = re.compile(r"(?:^|\s)(?:信息|文章|稿件)?来源\s*[：:]\s*(\S+)")
_INFO_LINE_MAX_CHARS = 120
_DETAIL_FIELDS = ("index_number", "publisher", "doc_number", "written_date", "publish_date", "topic", "validity")
_BODY_DATE_RE = re.compile(
    r"(?:发布时间|发布日期|发表时间|更新时间|时间|日期)\s*[：:]\s*(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})"
)
_BODY_DATE_MAX_LINE = 150
_PROSE_LINE_CHARS = 200
DOC_NUMBER_RE = re.compile(r"[\u4e00-\u9fff]{1,15}[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*第?\s*\d{1,5}\s*号")
# Separators that never occur inside a title: the parts around them are title, column and site.
_TITLE_SEPARATOR_RE = re.compile(r"\s*(?:_{1,2}|\||｜|\s[-—–－]{1,2}\s)\s*")
# Any separator, captured so that the dashes of the title itself are put back.
_ANY_SEPARATOR_RE = re.compile(r"(\s*[-—–－_|｜]+\s*|\s+)")
_SITE_NAME_RE = re.compile(r"(人民政府|政府网|门户网|网站|官网|信息公开|人民政府办公室)$")
_SITE_PART_MAX_CHARS = 30


def _within(page: ParsedPage, container) -> ParsedPage:
    """The page as far as one of its lists' containers goes (its pager, its scripts; hidden tab
    panels included)."""
    return dataclasses.replace(
        page,
        root=container,
        lines=text_blocks(container, skip_hidden=False),
        scripts="\n".join(s.text or "" for s in container.iter("script")),
    )


def _publisher(page: ParsedPage, metadata: dict[str, str]) -> tuple[str | None, str | None]:
    """The unit that published the page and where the page says so: its 发布机构 field, else a 来源
    or <meta name=ContentSource> that names a government organ (not a newspaper)."""
    if metadata.get("publisher"):
        return metadata["publisher"], "发布机构"
    for found, where in (
        (metadata.get("source") or _source_in_line(page.lines), "来源"),
        (page.meta_value("ContentSource"), "ContentSource"),
    ):
        organ = organ_name(found)
        if organ:
            return organ, where
    return None, None


def _source_in_line(lines: list[str]) -> str | None:
    """The 来源 of an article's info line ("发布时间：2022-09-30 10:00 来源：马关县民政局 字号：大 中 小")."""
    for line in lines:
        if len(line) <= _INFO_LINE_MAX_CHARS:
            match = _SOURCE_RE.search(line)
            if match:
                return match.group(1)
    return None


def _safely(step: Callable[[], T], default: T, what: str) -> T:
    """Run one extraction step; a failure costs that field, not the page."""
    try:
        return step()
    except Exception:
        log.exception("page reader step %s failed", what)
        return default


def _is_site_part(part: str, site_name: str | None) -> bool:
    part = part.strip()
    return (
        bool(part)
        and len(part) <= _SITE_PART_MAX_CHARS
        and "关于" not in part
        and (part == site_name or bool(_SITE_NAME_RE.search(part)))
    )


def strip_site_suffix(title: str, site_name: str | None) -> str:
    """'关于…的通知_马关县人民政府' -> '关于…的通知' (site name parts dropped, longest part kept).

    A site name after (or before) any separator goes, a bare "-" or a space included
    ("…的通知-某某县人民政府", "…的通知 某某县人民政府"); other bare dashes stay, as they join
    ranges and words inside titles (2021-2025年, 人民至上——记…).
    """
    title = title.strip()
    if site_name and title.endswith(" " + site_name):
        # Hanweb writes "栏目名 站点名", separated by a plain space.
        return title[: -len(site_name)].strip()
    pieces = _ANY_SEPARATOR_RE.split(title)
    while len(pieces) >= 3 and _is_site_part(pieces[-1], site_name):
        pieces = pieces[:-2]
    # A plain space is a separator only before a trailing site name: joint issuers lead with
    # one ("某某县人民政府 某某县财政局关于…").
    while len(pieces) >= 3 and pieces[1].strip() and _is_site_part(pieces[0], site_name):
        pieces = pieces[2:]
    title = "".join(pieces).strip()
    parts = [p for p in _TITLE_SEPARATOR_RE.split(title) if p]
    if len(parts) <= 1:
        return title
    kept = [p for p in parts if not _is_site_part(p, site_name)]
    return max(kept or parts, key=len)


class GenericReader:
    """Reads any page; subclasses specialise steps for one CMS."""

    name = "generic"

    def matches(self, page: ParsedPage) -> bool:
        """Whether this reader is meant for the page (the generic reader takes any)."""
        return True

    def read(self, page: ParsedPage) -> PageReading:
        """All fields of the reading, each step isolated from the others' failures."""
        reading = PageReading(url=page.url, cms=self.name, encoding=page.encoding)
        metadata = _safely(lambda: extract_metadata(page.lines), {}, "metadata")
        strong_detail = (
            sum(1 for f in _DETAIL_FIELDS if metadata.get(f)) >= 2 or page.meta_value("ArticleTitle") is not None
        )
        pagination = _safely(lambda: self.pagination(page), Pagination([], None), "pagination")
        has_pager = bool(pagination.next_pages or pagination.total_pages)
        lists: list[PageList] = []
        if not strong_detail:
            lists = _safely(lambda: self.lists(page, pagination, has_pager), [], "list")
            reading.list_items = [entry for part in lists for entry in part.list_items]
            reading.dated_links = _safely(
                lambda: dated_links(page.root, page.base, reference=page.reference), [], "dated links"
            )
        scripted: list[str] = []
        empty_box = (
            not strong_detail
            and not reading.list_items
            and not has_pager
            and bool(_safely(lambda: empty_list_boxes(page.root), [], "empty box"))
        )
        if empty_box:
            # An empty container filled by a script: the JSON it asks for is the list's first page.
            scripted = _safely(lambda: data_sources(page.scripts, page.url, page.base), [], "scripted list")
        is_list = bool(reading.list_items) or (has_pager and not strong_detail) or bool(scripted)
        is_detail = strong_detail or (not is_list and self._has_prose(page))
        # No source the reading can follow, and the page does not say it is empty: render it.
        reading.script_list = (
            empty_box
            and not scripted
            and not is_detail
            and page.root is not None
            and next(page.root.iter("script"), None) is not None
            and not _safely(lambda: has_empty_notice(page.lines), False, "empty notice")
        )
        if is_list and len(lists) > 1:
            reading.lists = lists
            reading.next_pages = list(dict.fromkeys(url for part in lists for url in part.next_pages))
            reading.total_pages, reading.total_records = lists[0].total_pages, lists[0].total_records
            reading.more_requests = [more for part in lists for more in part.more_requests]
        elif scripted:
            reading.next_pages = scripted
        elif is_list:
            reading.next_pages, reading.total_pages = pagination.next_pages, pagination.total_pages
            reading.total_records = pagination.total_records
            reading.more_requests = list(pagination.more_requests)
        elif not is_detail:
            reading.empty_notice = _safely(lambda: has_empty_notice(page.lines), False, "empty notice")

        @functools.cache
        def heading() -> Heading | None:
            # Looked for only when the metadata and <meta> tags leave the title or the date open.
            return None if is_list else _safely(lambda: self.heading(page, metadata), None, "heading")

        reading.title = _safely(lambda: self.title(page, metadata, is_list, heading), None, "title")
        reading.index_number = metadata.get("index_number")
        reading.topic = metadata.get("topic")
        reading.publisher, reading.publisher_from = _publisher(page, metadata)
        reading.validity = metadata.get("validity")
        reading.written_date = parse_date(metadata.get("written_date"))
        reading.doc_number = metadata.get("doc_number") or self._doc_number_in_title(reading.title, metadata)
        reading.text = "\n".join(page.lines)[:MAX_TEXT_CHARS]
        reading.redirect_to = _safely(
            lambda: redirect_target(page.raw_text, page.root, reading.text, page.base), None, "redirect"
        )
        # A redirect stub states no date; its URL date belongs to the target.
        stub = reading.redirect_to is not None and not reading.text
        reading.publish_date = _safely(
            lambda: self.publish_date(page, metadata, is_list or stub, heading), None, "publish date"
        )
        reading.labels = _safely(lambda: find_labels(page.lines, metadata.get("disclosure_attribute")), [], "labels")
        reading.disclosure_mode = metadata.get("disclosure_mode")
        regions = _safely(
            lambda: Regions(page.root, page.url, page.base), Regions(None, page.url, page.base), "regions"
        )
        reading.links = _safely(lambda: self.links(page, regions), [], "links")
        reading.breadcrumb = _safely(lambda: breadcrumb(regions, page.base), [], "breadcrumb")
        reading.hidden_links = _safely(lambda: hidden_links(page.root, page.base), [], "hidden links")
        reading.meta_tags = dict(page.meta)
        head_title = _safely(lambda: self._title_text(page), None, "title element")
        if head_title:
            reading.meta_tags[TITLE_TAG] = head_title[:TITLE_TAG_MAX_CHARS]
        return reading

    # Steps a CMS adapter may override.

    def lists(self, page: ParsedPage, pagination: Pagination, has_pager: bool) -> list[PageList]:
        """The main lists of the page: one (its paging is the page's), or several each paged by
        what stands in its own tab panel or box."""
        found = main_lists(page.root, page.base, reference=page.reference, has_pager=has_pager)
        if len(found) <= 1:
            return [PageList(main.entries) for main in found]
        return self._paged_lists(page, pagination, found)

    def _paged_lists(self, page: ParsedPage, pagination: Pagination, found: list[MainList]) -> list[PageList]:
        """Each list with the pager of its own container. A pager standing outside every container
        pages the first (main) list, as on a page with one list."""
        parts = []
        for main in found:
            own = self.pagination(_within(page, main.container))
            parts.append(
                PageList(main.entries, own.next_pages, own.total_pages, own.total_records, list(own.more_requests))
            )
        if not (parts[0].next_pages or parts[0].more_requests or parts[0].total_pages):
            claimed = {url for part in parts[1:] for url in part.next_pages}
            parts[0].next_pages = [url for url in pagination.next_pages if url not in claimed]
            parts[0].more_requests = [
                more for more in pagination.more_requests if all(more not in part.more_requests for part in parts[1:])
            ]
            if not claimed and not any(part.total_pages or part.more_requests for part in parts[1:]):
                parts[0].total_pages, parts[0].total_records = pagination.total_pages, pagination.total_records
        return parts

    def pagination(self, page: ParsedPage) -> Pagination:
        """Next pages and the stated page count."""
        return find_pagination(page.root, page.lines, page.scripts, page.url, page.base)

    def links(self, page: ParsedPage, regions: Regions | None = None):
        """Every link element of the page in document order, each in its region of the page."""
        return page_links(page.root, page.base, regions)

    def heading(self, page: ParsedPage, metadata: dict[str, str]) -> Heading | None:
        """The article heading of a detail page (see heading.py)."""
        hints = [metadata.get("title"), page.meta_value("ArticleTitle"), self._title_element(page)]
        return find_heading(page.root, hints, page.meta_value("SiteName"))

    def title(
        self,
        page: ParsedPage,
        metadata: dict[str, str],
        is_list: bool,
        heading: Callable[[], Heading | None] = lambda: None,
    ) -> str | None:
        """Document title for detail pages; the <title> (site name stripped) otherwise."""
        if not is_list:
            stated = metadata.get("title") or page.meta_value("ArticleTitle")
            if stated:
                return stated
            found = heading()
            if found:
                return found.text
        return self._title_element(page)

    def publish_date(
        self,
        page: ParsedPage,
        metadata: dict[str, str],
        stated_only: bool,
        heading: Callable[[], Heading | None] = lambda: None,
    ) -> DatedValue | None:
        """Metadata 发布日期, <meta PubDate>, then (unless stated_only) the date under the heading,
        a 发布时间 line and the URL date."""
        for raw in (metadata.get("publish_date"), page.meta_value("PubDate", "PublishDate")):
            value = parse_date(raw)
            if value:
                return DatedValue(value, "meta")
        if stated_only:
            return None
        found = heading()
        under = date_under(found) if found is not None else None
        if under:
            return DatedValue(under, "body")
        for line in page.lines:
            if len(line) <= _BODY_DATE_MAX_LINE:
                match = _BODY_DATE_RE.search(line)
                value = parse_date(match.group(1)) if match else None
                if value:
                    return DatedValue(value, "body")
        from_url = date_from_url(page.url)
        return DatedValue(from_url, "url") if from_url else None

    # Helpers.

    @staticmethod
    def _has_prose(page: ParsedPage) -> bool:
        return any(len(line) >= _PROSE_LINE_CHARS for line in page.lines)

    @staticmethod
    def _doc_number_in_title(title: str | None, metadata: dict[str, str]) -> str | None:
        if metadata or not title:
            return None
        match = DOC_NUMBER_RE.search(title)
        return match.group(0) if match else None

    @staticmethod
    def _title_element(page: ParsedPage) -> str | None:
        text = GenericReader._title_text(page)
        return strip_site_suffix(text, page.meta_value("SiteName")) if text else None

    @staticmethod
    def _title_text(page: ParsedPage) -> str | None:
        """The first non-empty <title> element as written, whitespace collapsed."""
        if page.root is None:
            return None
        for element in page.root.iter("title"):
            text = re.sub(r"\s+", " ", element.text_content() or "").strip()
            if text:
                return text
        return None
