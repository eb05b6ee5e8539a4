"""Where a link stands on the page, and the page's 当前位置 trail.

A column is what its own content lists: its list, a grid of sub-columns, tabs. The rest of a page is
chrome that never makes a page part of the column: site and left/sub navigation (which lists the
page's siblings), header, footer, "related" and 友情链接 boxes. Chrome is recognised by what pages
of any CMS share: the HTML5 tags, the words templates name those boxes with (nav, menu, left, side,
foot, 相关 …), a box heading such as 相关链接, and a group of links that includes the page itself —
the sub-navigation that highlights the current column among its siblings.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree

from crawler.vocabulary.reading import Crumb, LinkRegion

from .dom import absolute_url, clean_space, css_words, element_text, is_element

_CHROME_TAGS = frozenset({"nav", "header", "footer", "aside", "marquee"})
# Class/id words of chrome boxes, matched against each word (split at spaces, - and _).
_CHROME_WORD_RE = re.compile(
    r"^(?:nav\w*|\w*nav|menu\w*|\w*menu|left\w*|side\w*|aside|header\w*|head|top|topbar|foot\w*|bottom"
    r"|banner\w*|relat\w*|friend\w*|yqlj|xglj|xgwz|xgxx|xgwj|xgzc|share\w*|daohang|\w*dh|lmdh|links?|tools?)$"
)
_CRUMB_WORD_RE = re.compile(r"crumb|position|location|dqwz|weizhi|curpos|(^|[\s_-])wz([\s_-]|$)")
_CRUMB_LABEL_RE = re.compile(r"(?:当前|您的|您现在的|你的|你现在的|现在|所在)\s*位置\s*[：:]?|^\s*位置\s*[：:]")
_RELATED_HEADING_RE = re.compile(
    r"^(?:相关(?:链接|文章|信息|阅读|文件|新闻|政策|栏目)|友情链接|推荐阅读|延伸阅读|热点\w{0,2}|热门\w{0,2})$"
)
_CRUMB_SEPARATORS_RE = re.compile(r"\s*(?:>>|>|›|»|→|＞|/|\\|-{1,2}|—)\s*")
_INLINE_TAGS = frozenset({"span", "b", "strong", "em", "i", "font", "label", "a", "small"})
_GROUP_TAGS = frozenset({"ul", "ol", "dl", "table", "tbody", "div", "p", "td"})
_INDEX_FILE_RE = re.compile(r"/(?:index|default)\.\w+$", re.I)
_MAX_CRUMB_CHARS = 200
_MAX_HEADING_CHARS = 10
_CLIMB_LIMIT = 4


def same_page(first: str, second: str) -> bool:
    """Two URLs of one page: /a/ and /a/index.html are the same column page."""
    return page_form(first) == page_form(second)


def page_form(url: str) -> tuple[str, str, str]:
    """What tells one page from another: host, path with an index file taken as its folder, query."""
    parts = urlsplit(url)
    return (parts.hostname or "").lower(), _INDEX_FILE_RE.sub("/", parts.path or "/"), parts.query


class Regions:
    """The region of every link element of one page."""

    def __init__(self, root: etree._Element | None, page_url: str, base: str):
        self._chrome: set[etree._Element] = set()
        self._crumbs: set[etree._Element] = set()
        self.trail: etree._Element | None = None
        if root is None:
            return
        self.trail = _breadcrumb_box(root)
        if self.trail is not None:
            self._crumbs.add(self.trail)
        for element in root.iter():
            if not is_element(element):
                continue
            if element.tag in _CHROME_TAGS or any(_CHROME_WORD_RE.match(word) for word in _words(element)):
                self._chrome.add(element)
            elif element.tag == "a" and same_page(absolute_url(element.get("href"), base) or "", page_url):
                group = _link_group(element)
                if group is not None:
                    self._chrome.add(group)
            elif (
                element.tag not in ("a", "script", "style")
                and len(clean_space(element.text)) <= _MAX_HEADING_CHARS
                and _RELATED_HEADING_RE.match(clean_space(element.text))
            ):
                box = _box_of(element)
                if box is not None:
                    self._chrome.add(box)

    def of(self, element: etree._Element) -> LinkRegion:
        node = element
        while node is not None and is_element(node):
            if node in self._crumbs:
                return LinkRegion.BREADCRUMB
            if node in self._chrome:
                return LinkRegion.CHROME
            node = node.getparent()
        return LinkRegion.CONTENT


def breadcrumb(regions: Regions, base: str) -> list[Crumb]:
    """The 当前位置 trail: the links in it, then the current page's name after the last link."""
    box = regions.trail
    if box is None:
        return []
    crumbs: list[Crumb] = []
    tail: list[str] = []
    for piece in _pieces(box):
        if isinstance(piece, etree._Element):
            text = clean_space(element_text(piece))
            url = absolute_url(piece.get("href"), base)
            if text:
                crumbs.append(Crumb(text, url))
            tail = []
        else:
            tail.append(piece)
    last = _CRUMB_LABEL_RE.sub("", " ".join(tail))
    for part in _CRUMB_SEPARATORS_RE.split(last):
        part = clean_space(part)
        if part:
            crumbs.append(Crumb(part, None))
    return crumbs


def _pieces(box: etree._Element):
    """The box's links and the text between them, in order (text inside a link belongs to it)."""
    if box.text:
        yield box.text
    for child in box:
        if not is_element(child):
            if child.tail:
                yield child.tail
            continue
        if child.tag == "a":
            yield child
        elif child.tag not in ("script", "style"):
            yield from _pieces(child)
        if child.tail:
            yield child.tail


def _words(element: etree._Element) -> list[str]:
    return [word for word in re.split(r"[\s_-]+", css_words(element)) if word]


def _breadcrumb_box(root: etree._Element) -> etree._Element | None:
    """The short block that states the page's position: by its class/id, or by a 当前位置 label."""
    for element in root.iter():
        if not is_element(element) or element.tag in ("html", "body", "script", "style"):
            continue
        if _CRUMB_WORD_RE.search(css_words(element)) and _short_with_links(element):
            return element
    for element in root.iter():
        if not is_element(element) or element.tag in ("script", "style"):
            continue
        if _CRUMB_LABEL_RE.search(element.text or "") or any(
            _CRUMB_LABEL_RE.search(child.tail or "") for child in element if is_element(child)
        ):
            node = element
            for _ in range(_CLIMB_LIMIT):
                if node.tag not in _INLINE_TAGS and _short_with_links(node):
                    return node
                node = node.getparent()
                if node is None:
                    break
    return None


def _short_with_links(element: etree._Element) -> bool:
    return any(True for _ in element.iter("a")) and len(element_text(element)) <= _MAX_CRUMB_CHARS


def _link_group(anchor: etree._Element) -> etree._Element | None:
    """The list a link to the page itself stands in (its rows' parent), when it holds other links."""
    node = anchor
    for _ in range(_CLIMB_LIMIT):
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            return None
        if parent.tag in _GROUP_TAGS and sum(1 for _ in parent.iter("a")) >= 2:
            return parent
        node = parent
    return None


def _box_of(heading: etree._Element) -> etree._Element | None:
    """The box a heading such as 相关链接 titles: its nearest ancestor that holds links."""
    node = heading.getparent()
    for _ in range(_CLIMB_LIMIT):
        if node is None or node.tag in ("body", "html"):
            return None
        if sum(1 for _ in node.iter("a")) >= 1:
            return node
        node = node.getparent()
    return None
