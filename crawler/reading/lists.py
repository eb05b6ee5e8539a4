"""The page's main list: repeated rows with one link each, usually dated.

Rows are found bottom-up: each link climbs to the nearest element that repeats
among its siblings (<li>, <tr>, <div>, ...). Rows sharing a parent form a group,
and the group with most shown dates wins; marquees, <nav>/<header>/<footer> are
never the main list, nor are hidden tab panels. An undated group is taken only when it clearly looks like a
column list (titles of article length, pointing at articles or with a pager).

A column page may carry several lists (利企惠民: a 惠企政策 tab and a 惠民政策 tab, or two boxes side by
side). Such a list stands in the page as the main list's peer: it is built the same way down from
their common ancestor (tab panel beside tab panel, box beside box: same tags, a shared class), so a
sidebar box (另一栏 of the layout), a header or footer box is not one; nor is a box titled 相关文章,
热点 or 最新动态, which lists other pages, not the column's. A hidden peer is a tab panel.

A box titled so (最新信息, 热点信息, 最新文件) that stands beside the column's own list, or beside its
暂无信息 notice, is never the column's list even when it is the only dated one: otherwise a blank or
stale column would pass as current on the strength of its side box.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from lxml import etree

from crawler.vocabulary.dates import date_from_url, parse_row_date
from crawler.vocabulary.reading import ListEntry

from .dom import absolute_url, css_words, element_text, is_element, is_hidden, is_hidden_in_tree

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
# Box titles of lists that point elsewhere on the site: navigation, never a list of the column.
_NAVIGATION_TITLE_RE = re.compile(r"^(?:相关|热点|热门|最新|推荐|延伸|猜你|点击|阅读|排行|友情|专题)")
_TITLE_MAX_CHARS = 10
# A page's own name is its <title> up to the site's name: 行政许可事项清单_测试县人民政府, 规范性文件-东岸县人民政府.
_PAGE_NAME_RE = re.compile(r"\s*[_|\-—–]\s*")
_SIDEBAR_WORDS_RE = re.compile(r"side|aside|left|right|(^|[\s_-])(?:fl|fr|l|r|lf|rt)(?:[\s_-]|$)|col-\w+-[1-4](?:\s|$)")


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


def row_date(
    row: etree._Element, anchor: etree._Element, title: str, url: str, reference: date
) -> tuple[date | None, str | None, str]:
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
    """The row groups of a page, read once for both main_lists and dated_links (the last page's
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
                previous.date, previous.date_source, previous.title = row_date(
                    row_element, anchor, title, url, reference
                )
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


@dataclass
class MainList:
    """One main list of a page: its entries and the element that holds it and nothing of the others
    (its tab panel or box, where its own pager stands)."""

    entries: list[ListEntry]
    container: etree._Element


def main_lists(root: etree._Element | None, base: str, *, reference: date, has_pager: bool) -> list[MainList]:
    """The page's main list, then its peers in page order (see the module docstring); empty for
    detail, home-navigation and empty pages. A row listed twice (an 全部 tab repeating the others)
    counts in the first list that shows it."""
    if root is None:
        return []
    groups = [g for g in _merge_sibling_groups(_page_rows(root, base, reference)) if not _in_non_content(g.parent)]
    shown = [g for g in groups if not is_hidden_in_tree(g.parent)]
    side = _side_boxes(root, [g for g in shown if _is_dated(g) or _looks_like_column_list(g, has_pager)])
    if side is None:
        return []
    groups = [g for g in groups if g.parent not in side]
    shown = [g for g in shown if g.parent not in side]
    dated = [g for g in shown if _is_dated(g)]
    if dated:
        best = max(dated, key=lambda g: (g.shown_dates, len(g.rows)))
        alike = _is_dated
    else:
        undated = [g for g in shown if _looks_like_column_list(g, has_pager)]
        if not undated:
            return []
        best = max(undated, key=lambda g: len(g.rows))
        alike = functools.partial(_looks_like_column_list, has_pager=has_pager)
    peers = [
        g
        for g in groups
        if g is not best and alike(g) and _is_peer(best.parent, g.parent) and not _in_layout_block(g.parent)
    ]
    if peers:
        boxes = _containers([best.parent] + [g.parent for g in peers])[1:]
        peers = [g for g, box in zip(peers, boxes) if not _titled_as_navigation(box, g.parent)]
    if not peers:
        return [MainList([row.entry() for row in best.rows], best.parent)]
    order = {element: n for n, element in enumerate(root.iter())}
    peers = [best] + sorted(peers, key=lambda g: order.get(g.parent, 0))
    found: list[MainList] = []
    seen: set[str] = set()
    for group, container in zip(peers, _containers([g.parent for g in peers])):
        entries = [row.entry() for row in group.rows if row.url not in seen]
        seen.update(entry.url for entry in entries)
        if entries:
            found.append(MainList(entries, container))
    return found


def _side_boxes(root: etree._Element, candidates: list[Group]) -> set[etree._Element] | None:
    """The elements holding the candidate lists that are side boxes of the layout (最新信息, 热点信息, 最新文件 beside the
    column's own list, in the same row markup): titled as navigation, beside another list or an
    暂无信息 notice. None when every list of the page is such a box beside the column's notice: the
    column itself lists nothing. A lone list is never a side box (a column may be called 最新动态)."""
    notices = _notice_elements(root)
    if next(root.iter("script"), None) is not None:
        # An empty box a script fills stands where the column's own rows will be, as a notice does.
        notices += [box for box in empty_list_boxes(root) if not _in_non_content(box) and not _in_sidebar(box)]
    if len(candidates) + len(notices) < 2:
        return set()
    holders = [group.parent for group in candidates] + notices
    boxes = _containers(holders)
    side = {group.parent for group, box in zip(candidates, boxes) if _titled_as_navigation(box, group.parent)}
    if side and len(side) == len(candidates):
        if notices and (
            all(_in_sidebar(holder) for holder in side)
            or _notice_titled_as_page(root, notices, boxes[len(candidates) :])
        ):
            return None
        return set()
    return side


def _notice_titled_as_page(root: etree._Element, notices: list[etree._Element], boxes: list[etree._Element]) -> bool:
    """Whether a 暂无信息 notice stands in a box titled with the page's own name (行政许可事项清单 over
    暂无信息, a 最新信息 box beside it): the column's own list is the one that is empty."""
    title = root.find(".//title")
    name = _PAGE_NAME_RE.split(element_text(title) if title is not None else "", maxsplit=1)[0].strip()
    if len(name) < 2 or _NAVIGATION_TITLE_RE.match(name):
        return False
    for notice, box in zip(notices, boxes):
        for element in box.iter():
            if element is notice:
                break
            if is_element(element) and element.tag not in ("script", "style") and (element.text or "").strip() == name:
                return True
    return False


def _notice_elements(root: etree._Element) -> list[etree._Element]:
    """Shown elements whose own short text says the list is empty (暂无信息)."""
    found = []
    for element in root.iter():
        if not is_element(element) or element.tag in ("script", "style", "title"):
            continue
        text = (element.text or "").strip()
        if (
            text
            and len(text) <= _EMPTY_NOTICE_MAX_CHARS
            and _EMPTY_NOTICE_RE.search(text)
            and not is_hidden_in_tree(element)
            and not _in_non_content(element)
        ):
            found.append(element)
    return found


# A box named for a list: list, news, info … (and the pinyin initials lb, xxgk, wj, con).
_LIST_BOX_WORDS_RE = re.compile(r"list|news|info|article|content|data|items|(^|[\s_-])(?:lb|xxgk|wj|con)([\s_-]|$)")


def empty_list_boxes(root: etree._Element | None) -> list[etree._Element]:
    """Empty boxes named for a list (<ul id="list"></ul>, <div class="news-list">) that a script fills
    after the page opens: the served page's own list is not here yet."""
    if root is None:
        return []
    return [
        element
        for element in root.iter("ul", "ol", "div", "tbody", "table", "dl", "section")
        if _LIST_BOX_WORDS_RE.search(css_words(element)) and len(element) == 0 and not (element.text or "").strip()
    ]


def _in_sidebar(element: etree._Element) -> bool:
    """Whether the element stands in a side column of the layout (<aside>, class left/right/side…)."""
    node = element
    while node is not None and is_element(node):
        if node.tag == "aside" or _SIDEBAR_WORDS_RE.search(css_words(node)):
            return True
        node = node.getparent()
    return False


def _is_dated(group: Group) -> bool:
    return group.shown_dates >= 1 and group.shown_dates * 2 >= len(group.rows)


def _path_from(ancestor: etree._Element, element: etree._Element) -> list[etree._Element]:
    """The elements from below `ancestor` down to `element`."""
    path: list[etree._Element] = []
    node = element
    while node is not None and node is not ancestor:
        path.append(node)
        node = node.getparent()
    return path[::-1] if node is ancestor else []


def _is_peer(main: etree._Element, other: etree._Element) -> bool:
    """Whether `other` stands beside `main` as its equal: below their common ancestor both are built
    of the same tags, and the two elements that branch off it share a class (tab-con / tab-con,
    box fl / box fr) or both have none."""
    ancestors = set(main.iterancestors())
    common = next((node for node in other.iterancestors() if node in ancestors), None)
    if common is None:
        return False
    main_path, other_path = _path_from(common, main), _path_from(common, other)
    if not main_path or len(main_path) != len(other_path):
        return False
    if any(a.tag != b.tag for a, b in zip(main_path, other_path)):
        return False
    main_classes, other_classes = (
        set((main_path[0].get("class") or "").split()),
        set((other_path[0].get("class") or "").split()),
    )
    return bool(main_classes & other_classes) or not (main_classes or other_classes)


def _containers(parents: list[etree._Element]) -> list[etree._Element]:
    """For each list, the highest element above it that holds none of the other lists."""
    containers = []
    for parent in parents:
        others = [other for other in parents if other is not parent]
        node = parent
        while (up := node.getparent()) is not None and not any(_holds(up, other) for other in others):
            node = up
        containers.append(node)
    return containers


def _holds(ancestor: etree._Element, element: etree._Element) -> bool:
    return any(node is ancestor for node in element.iterancestors())


def in_navigation(holders: list[etree._Element]) -> list[bool]:
    """For lists held by these elements (in page order, one list each), whether each stands in
    navigation: a header, nav or scroller block, or a box titled 相关, 热点, 最新 ..."""
    boxes = _containers(holders)
    return [
        _in_non_content(holder) or _in_layout_block(holder) or _titled_as_navigation(box, holder)
        for holder, box in zip(holders, boxes)
    ]


def _titled_as_navigation(container: etree._Element, list_parent: etree._Element) -> bool:
    """Whether the box of a list is titled 相关文章, 热点, 最新动态 ...: a short text of the box
    outside the list itself."""
    for element in container.iter():
        if element is list_parent:
            break
        if not is_element(element) or element.tag in ("script", "style"):
            continue
        text = (element.text or "").strip()
        if text and len(text) <= _TITLE_MAX_CHARS and _NAVIGATION_TITLE_RE.match(text):
            return True
    return False


def dated_links(root: etree._Element | None, base: str, *, reference: date) -> list[ListEntry]:
    """Every link shown with a date in its row, in any box of the page (news tabs, notices, side
    lists, hidden tab panels too): a home page's freshness is its newest such link."""
    if root is None:
        return []
    return [
        row.entry() for group in _page_rows(root, base, reference) for row in group.rows if row.date_source == "list"
    ]


def has_empty_notice(lines: list[str]) -> bool:
    """True when a short line says the list has nothing (暂无信息, 没有找到相关信息 ...)."""
    return any(len(line) <= _EMPTY_NOTICE_MAX_CHARS and _EMPTY_NOTICE_RE.search(line) for line in lines)
