"""The generic reader: every field from page structure alone, no CMS knowledge.

CMS adapters subclass GenericReader and override single steps.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import TypeVar

from .dates import date_from_url, parse_date
from .dom import element_text, is_element
from .labels import find_labels
from .links import page_links, redirect_target
from .lists import dated_links, has_empty_notice, main_list
from .metadata import extract_metadata
from .model import DatedValue, PageReading
from .page import ParsedPage
from .pagination import Pagination, find_pagination

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_TEXT_CHARS = 2_000_000
_DETAIL_FIELDS = ("index_number", "publisher", "doc_number", "written_date", "publish_date", "topic", "validity")
_BODY_DATE_RE = re.compile(r"(?:发布时间|发布日期|发表时间|更新时间|时间|日期)\s*[：:]\s*(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})")
_BODY_DATE_MAX_LINE = 150
_PROSE_LINE_CHARS = 200
DOC_NUMBER_RE = re.compile(r"[\u4e00-\u9fff]{1,15}[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*第?\s*\d{1,5}\s*号")
_TITLE_SEPARATOR_RE = re.compile(r"\s*(?:_{1,2}|\||｜|\s[-—–－]{1,2}\s|——)\s*")
_SITE_NAME_RE = re.compile(r"(人民政府|政府网|门户网|网站|官网|信息公开|人民政府办公室)$")
_HEADING_CONTAINER_RE = re.compile(r"logo|header|nav|banner|top")


def _safely(step: Callable[[], T], default: T, what: str) -> T:
    """Run one extraction step; a failure costs that field, not the page."""
    try:
        return step()
    except Exception:
        log.exception("page reader step %s failed", what)
        return default


def strip_site_suffix(title: str, site_name: str | None) -> str:
    """'关于…的通知_马关县人民政府' -> '关于…的通知' (site name parts dropped, longest part kept)."""
    title = title.strip()
    if site_name and title.endswith(" " + site_name):
        # Hanweb writes "栏目名 站点名", separated by a plain space.
        return title[: -len(site_name)].strip()
    parts = [p for p in _TITLE_SEPARATOR_RE.split(title) if p]
    if len(parts) <= 1:
        return title
    kept = [p for p in parts if p != site_name and not _SITE_NAME_RE.search(p)]
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
            sum(1 for f in _DETAIL_FIELDS if metadata.get(f)) >= 2
            or page.meta_value("ArticleTitle") is not None
        )
        pagination = _safely(lambda: self.pagination(page), Pagination([], None), "pagination")
        has_pager = bool(pagination.next_pages or pagination.total_pages)
        if not strong_detail:
            reading.list_items = _safely(lambda: self.list_items(page, has_pager), [], "list")
            reading.dated_links = _safely(
                lambda: dated_links(page.root, page.base, reference=page.reference), [], "dated links")
        is_list = bool(reading.list_items) or (has_pager and not strong_detail)
        is_detail = strong_detail or (not is_list and self._has_prose(page))
        if is_list:
            reading.next_pages, reading.total_pages = pagination.next_pages, pagination.total_pages
            reading.more_requests = list(pagination.more_requests)
            reading.empty_notice = False
        elif not is_detail:
            reading.empty_notice = _safely(lambda: has_empty_notice(page.lines), False, "empty notice")

        reading.title = _safely(lambda: self.title(page, metadata, is_list), None, "title")
        reading.index_number = metadata.get("index_number")
        reading.topic = metadata.get("topic")
        reading.publisher = metadata.get("publisher")
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
            lambda: self.publish_date(page, metadata, is_list or stub), None, "publish date"
        )
        reading.labels = _safely(lambda: find_labels(page.lines, metadata.get("disclosure_attribute")), [], "labels")
        reading.disclosure_mode = metadata.get("disclosure_mode")
        reading.links = _safely(lambda: self.links(page), [], "links")
        reading.meta_tags = dict(page.meta)
        return reading

    # Steps a CMS adapter may override.

    def list_items(self, page: ParsedPage, has_pager: bool):
        """The main list of the page."""
        return main_list(page.root, page.base, reference=page.reference, has_pager=has_pager)

    def pagination(self, page: ParsedPage) -> Pagination:
        """Next pages and the stated page count."""
        return find_pagination(page.root, page.lines, page.scripts, page.url, page.base)

    def links(self, page: ParsedPage):
        """Every link element of the page in document order."""
        return page_links(page.root, page.base)

    def title(self, page: ParsedPage, metadata: dict[str, str], is_list: bool) -> str | None:
        """Document title for detail pages; the <title> (site name stripped) otherwise."""
        if not is_list:
            for candidate in (metadata.get("title"), page.meta_value("ArticleTitle"), self._heading(page)):
                if candidate:
                    return candidate
        return self._title_element(page)

    def publish_date(self, page: ParsedPage, metadata: dict[str, str], stated_only: bool) -> DatedValue | None:
        """Metadata 发布日期, <meta PubDate>, then (unless stated_only) a 发布时间 line and the URL date."""
        for raw in (metadata.get("publish_date"), page.meta_value("PubDate", "PublishDate")):
            value = parse_date(raw)
            if value:
                return DatedValue(value, "meta")
        if stated_only:
            return None
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
    def _heading(page: ParsedPage) -> str | None:
        if page.root is None:
            return None
        site = page.meta_value("SiteName")
        for tag in ("h1", "h2"):
            for heading in page.root.iter(tag):
                text = element_text(heading)
                if len(text) >= 4 and text != site and not _inside_page_chrome(heading):
                    return text
        return None

    @staticmethod
    def _title_element(page: ParsedPage) -> str | None:
        if page.root is None:
            return None
        for element in page.root.iter("title"):
            text = re.sub(r"\s+", " ", element.text_content() or "").strip()
            if text:
                return strip_site_suffix(text, page.meta_value("SiteName"))
        return None


def _inside_page_chrome(element) -> bool:
    node = element
    while node is not None and is_element(node):
        if node.tag in ("header", "nav", "footer") or _HEADING_CONTAINER_RE.search(
            f"{node.get('id', '')} {node.get('class', '')}".lower()
        ):
            return True
        node = node.getparent()
    return False
