"""The page's main list: repeated rows with one link each, usually dated.

Rows are found bottom-up: each link climbs to the nearest element that repeats
among its siblings (<li>, <tr>, <div>, ...). Rows sharing a parent form a group,
and the group with most shown dates wins; marquees, <nav>/<header>/<footer> are
never the main list, nor are hidden tab panels. An undated group is taken only when it clearly looks like a
column list (titles of article length, pointing at articles or with a pager).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from lxml import etree

from .dates import date_from_url, parse_row_date
from .dom import absolute_url, css_words, element_text, is_element, is_hidden, is_hidden_in_tree
from .model import ListEntry

ROW_TAGS = frozenset({"li", "tr", "dd", "div", "p", "a", "article", "section", "dl", "h3", "h4"})
_LIST_CONTAINERS = frozenset({"ul", "ol", "tbody", "table", "dl"})
_CLIMB_LIMIT = 6
_MAX_LINKS_PER_ROW = 3
_TRUNCATION_RE = re.compile(r"(…+|\.{2,}|。{3,})\s*$")
_SCROLLER_WORDS_RE = re.compile(r"marquee|scroll|gundong|(^|\s)mq\d*(\s|$)")
_LAYOUT_WORDS_RE = re.compile(r"nav|menu|foot|header|banner|daohang|(^|[\s_-])dh([\s_-]|$)")
_NON_CONTENT_TAGS = frozenset({"nav", "header", "footer", "marquee"})
_ARTICLE_URL_RE = re.compile(r"(\d{4,}[^/]*\.s?html?|\.(?:jsp|php|aspx?)\?.*\d|/art/|/content|/t\d{8}_)", re.I)
_EMPTY_NOTICE_RE = re.compile(
    r"暂无(?:相关)?(?:信息|数据|内容|记录|文章|资料|公开信息)|没有(?:找到)?(?:相关|符合条件的)?(?:信息|数据|记录|内容)"
    r"|无相关(?:信息|数据|记录|内容)|查询结果为空"
)
_EMPTY_NOTICE_MAX_CHARS = 30


@dataclass
class Row:
    """One list row: its element, chosen link and date."""

    element: etree._Element
    title: str
    url: str
    date: date | None = None
    date_source: str | None = None

    def entry(self) -> ListEntry:
        return ListEntry(self.title, self.url, self.date, self.date_source)


@dataclass
class Group:
    """Rows that repeat under one parent."""

    parent: etree._Element
    rows: list[Row] = field(default_factory=list)

    @property
    def shown_dates(self) -> int:
        return sum(1 for row in self.rows if row.date_source == "list")


def link_title(anchor: etree._Element) -> str:
    """Link text, or the full title=/alt= text when the visible text is truncated or missing."""
    text = element_text(anchor)
    full = (anchor.get("title") or anchor.get("alt") or "").strip()
    if full and (not text or _TRUNCATION_RE.search(text)):
        prefix = _TRUNCATION_RE.sub("", text)
        if full.startswith(prefix[: max(1, len(prefix) // 2)]) or not text:
            return re.sub(r"\s+", " ", full)
    return text


def _row_of(anchor: etree._Element, child_tags: dict[etree._Element, Counter]) -> etree._Element | None:
    """The repeating element holding `anchor`. `child_tags` caches each parent's count of child
    tags, so a list of n rows costs O(n), not O(n²) (a 20k-link page took minutes)."""
    node = anchor
    for _ in range(_CLIMB_LIMIT):
        parent = node.getparent()
        if parent is None or node.tag in ("body", "html"):
            return None
        if node.tag in ROW_TAGS:
            tags = child_tags.get(parent)
            if tags is None:
                tags = child_tags[parent] = Counter(child.tag for child in parent if is_element(child))
            if tags[node.tag] >= 2 or (parent.tag in _LIST_CONTAINERS and node.tag != "a"):
                return node
        if node.tag in _LIST_CONTAINERS:
            return None
        node = parent
    return None


def _in_non_content(element: etree._Element) -> bool:
    node = element
    while node is not None and is_element(node):
        if node.tag in _NON_CONTENT_TAGS or _SCROLLER_WORDS_RE.search(css_words(node)):
            return True
        node = node.getparent()
    return False


def _in_layout_block(element: etree._Element) -> bool:
    node = element
    while node is not None and is_element(node):
        if _LAYOUT_WORDS_RE.search(css_words(node)):
            return True
        node = node.getparent()
    return False


def row_date(row: etree._Element, anchor: etree._Element, title: str, url: str, reference: date) -> tuple[date | None, str | None, str]:
    """(date, source, title) for a row; a date written inside the link is cut from the title."""
    outside = element_text(row).replace(element_text(anchor), " ", 1)
    shown = parse_row_date(outside, url=url, reference=reference)
    if shown:
        return shown, "list", title
    for child in anchor.iter():
        if child is anchor or not is_element(child):
            continue
        child_text = element_text(child)
        if len(child_text) <= 22:
            inside = parse_row_date(child_text, url=url, reference=reference)
            if inside:
                return inside, "list", title.replace(child_text, "").strip()
    from_url = date_from_url(url)
    return (from_url, "url", title) if from_url else (None, None, title)


@lru_cache(maxsize=1)
def _page_rows(root: etree._Element, base: str, reference: date) -> tuple[Group, ...]:
    """The row groups of a page, read once for both main_list and dated_links (the last page's
    groups are kept; nothing mutates them afterwards)."""
    return tuple(_rows_from(list(root.iter("a")), base, reference))


def _rows_from(anchors: list[etree._Element], base: str, reference: date) -> list[Group]:
    groups: dict[etree._Element, Group] = {}
    rows_seen: dict[etree._Element, Row] = {}
    child_tags: dict[etree._Element, Counter] = {}
    for anchor in anchors:
        url = absolute_url(anchor.get("href"), base)
        title = link_title(anchor)
        if not url or not title:
            continue
        row_element = _row_of(anchor, child_tags)
        if row_element is None:
            continue
        previous = rows_seen.get(row_element)
        if previous is not None:
            if len(title) > len(previous.title):
                previous.title, previous.url = title, url
                previous.date, previous.date_source, previous.title = row_date(row_element, anchor, title, url, reference)
            continue
        links_in_row = {a.get("href") for a in row_element.iter("a") if a.get("href")}
        if len(links_in_row) > _MAX_LINKS_PER_ROW:
            continue
        found, source, title = row_date(row_element, anchor, title, url, reference)
        row = Row(row_element, title, url, found, source)
        rows_seen[row_element] = row
        parent = row_element.getparent()
        groups.setdefault(parent, Group(parent)).rows.append(row)
    return list(groups.values())


def _merge_sibling_groups(groups: list[Group]) -> list[Group]:
    """Lists split into several same-class <ul>s under one parent are one list.

    Elements themselves are the keys: lxml proxies die with their last reference,
    so id() values would be reused.
    """
    merged: dict[tuple, Group] = {}
    for group in groups:
        parent = group.parent
        grand = parent.getparent()
        if grand is None or parent.tag not in _LIST_CONTAINERS or is_hidden(parent):
            key: tuple = (parent,)
        else:
            key = (grand, parent.tag, parent.get("class"), group.rows[0].element.tag)
        if key in merged:
            merged[key].rows.extend(group.rows)
        else:
            merged[key] = Group(parent, list(group.rows))
    return list(merged.values())


def _looks_like_column_list(group: Group, has_pager: bool) -> bool:
    rows = group.rows
    if len(rows) < 3 or _in_layout_block(group.parent):
        return False
    average_title = sum(len(row.title) for row in rows) / len(rows)
    article_links = sum(1 for row in rows if _ARTICLE_URL_RE.search(row.url))
    return average_title >= 8 and (has_pager or article_links >= max(3, len(rows) * 0.6))


def main_list(
    root: etree._Element | None, base: str, *, reference: date, has_pager: bool
) -> list[ListEntry]:
    """Entries of the page's main list (empty for detail, home-navigation and empty pages)."""
    if root is None:
        return []
    groups = [
        g for g in _merge_sibling_groups(_page_rows(root, base, reference))
        if not _in_non_content(g.parent) and not is_hidden_in_tree(g.parent)
    ]
    dated = [g for g in groups if g.shown_dates >= 1 and g.shown_dates * 2 >= len(g.rows)]
    if dated:
        best = max(dated, key=lambda g: (g.shown_dates, len(g.rows)))
        return [row.entry() for row in best.rows]
    undated = [g for g in groups if _looks_like_column_list(g, has_pager)]
    if undated:
        best = max(undated, key=lambda g: len(g.rows))
        return [row.entry() for row in best.rows]
    return []


def dated_links(root: etree._Element | None, base: str, *, reference: date) -> list[ListEntry]:
    """Every link shown with a date in its row, in any box of the page (news tabs, notices, side
    lists, hidden tab panels too): a home page's freshness is its newest such link."""
    if root is None:
        return []
    return [row.entry() for group in _page_rows(root, base, reference)
            for row in group.rows if row.date_source == "list"]


def has_empty_notice(lines: list[str]) -> bool:
    """True when a short line says the list has nothing (暂无信息, 没有找到相关信息 ...)."""
    return any(len(line) <= _EMPTY_NOTICE_MAX_CHARS and _EMPTY_NOTICE_RE.search(line) for line in lines)
