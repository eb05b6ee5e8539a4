"""The article heading of a detail page, and the date shown in the block under it.

Templates put the article title in <h1>, <h2> or an element classed as a title (div.title,
td.bt, h2.detail-title); the same tags also head navigation boxes, sidebars, "相关文章" lists
and footers ("友情链接"). A heading is therefore taken only outside such boxes, preferring the
one that agrees with the page's own <title>/ArticleTitle, else the most title-like one nearest
before the article body. The line of small print under that heading (time, 来源, 浏览次数) is
where a template shows the publish date, often without any label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from lxml import etree

from crawler.vocabulary.dates import FULL_DATE_RE, make_date

from .dom import css_words, element_text, is_element, is_hidden_in_tree, squeeze, text_blocks

_MIN_CHARS, _MAX_CHARS = 4, 150
# Containers whose headings head a box of the page, not the article.
_CHROME_TAGS = frozenset({"header", "nav", "footer", "aside"})
_CHROME_WORDS_RE = re.compile(
    r"logo|header|nav|banner|top|foot|bottom|side|menu|crumb|position|location|dqwz|copyright"
    r"|links|friend|yqlj|related|relate|xgwz|xglj|xgxx|recommend|hot|rank"
)
# A class or id that names the element a title: title, art-title, detailTitle, bt, xl_bt, tit.
_TITLE_WORDS_RE = re.compile(r"(?<!sub)title|(?:^|[\s_-])(?:x?l?bt|tit|biaoti)(?:$|[\s_\d-])")
# Heading texts of boxes, never of an article: also the head of a 信息公开 side tree
# (主动公开目录, 信息公开目录), which an empty column page would otherwise be named after.
_BOX_HEADING_RE = re.compile(
    r"^(?:(?:相关|热点|热门|最新|推荐|精彩|延伸|猜你喜欢)\S{0,6}|\S{0,6}(?:链接|导航|排行|专题专栏|公开目录))$"
)
_RANK = {"h1": 0, "title-class": 1, "h2": 2}
# Lines under the heading read for a date before the article body starts.
_INFO_LINES = 6
_PROSE_RE = re.compile(r"[。；]")
_PROSE_MIN_CHARS = 30
_NO_TEXT_TAGS = frozenset({"head", "title", "meta", "script", "style", "link"})
_INFO_MAX_CHARS = 120
# A link this long is a headline: the element holding it is a list, not the info line.
_HEADLINE_LINK_CHARS = 8
# A date after one of these words is not the publish date (成文日期 keeps its own field).
_OTHER_DATE_RE = re.compile(r"(?:成文|印发|生效|施行|实施|截止|有效期|废止|失效)\s*(?:日期|时间)?\s*[：:]?\s*$")


@dataclass(frozen=True)
class Heading:
    element: etree._Element
    text: str


def _kind(element: etree._Element) -> str | None:
    if element.tag in ("h1", "h2"):
        return element.tag
    if _TITLE_WORDS_RE.search(css_words(element)):
        return "title-class"
    return None


def _in_box(element: etree._Element) -> bool:
    return any(
        node.tag in _CHROME_TAGS or _CHROME_WORDS_RE.search(css_words(node))
        for node in (element, *element.iterancestors())
    )


def _in_link(element: etree._Element) -> bool:
    """A list row's headline (<a class="title">), not a heading."""
    return any(node.tag == "a" for node in element.iterancestors()) or any(a.get("href") for a in element.iter("a"))


def _agrees(text: str, hints: list[str]) -> bool:
    """The heading says what the <title>/ArticleTitle says (either may be cut short)."""
    own = squeeze(text)
    for hint in hints:
        if own == hint or (len(own) >= 8 and own in hint) or (len(hint) >= 8 and hint in own):
            return True
    return False


def _is_prose(element: etree._Element) -> bool:
    """Whether the element's own text is a sentence of the article (its lead paragraph, say)."""
    own = "".join(piece for piece in (element.text, *(c.tail for c in element)) if piece)
    return len(own) >= _PROSE_MIN_CHARS and bool(_PROSE_RE.search(own))


def find_heading(root: etree._Element | None, hints: list[str], site_name: str | None) -> Heading | None:
    """The article heading: one agreeing with a hint (the stripped <title>, ArticleTitle) if any,
    else the most title-like one nearest before the body; never one inside a box of the page."""
    if root is None:
        return None
    hints = [squeeze(h) for h in hints if h and len(squeeze(h)) >= _MIN_CHARS]
    body_index: int | None = None
    candidates: list[tuple[int, int, Heading]] = []
    for index, element in enumerate(root.iter()):
        if not is_element(element) or element.tag in _NO_TEXT_TAGS:
            continue
        if body_index is None and _is_prose(element):
            body_index = index
        kind = _kind(element)
        if kind is None:
            continue
        text = element_text(element)
        if not (_MIN_CHARS <= len(text) <= _MAX_CHARS) or text == site_name or _BOX_HEADING_RE.match(squeeze(text)):
            continue
        if _in_box(element) or _in_link(element) or is_hidden_in_tree(element):
            continue
        candidates.append((_RANK[kind], index, Heading(element, text)))
    agreeing = [c for c in candidates if _agrees(c[2].text, hints)]
    if agreeing:
        return min(agreeing, key=lambda c: (c[0], c[1]))[2]
    if body_index is None:
        # No article text to be near: the first heading, as a reader meets it.
        return min(candidates, key=lambda c: (c[0], c[1]))[2] if candidates else None
    # Headings after the body's first sentence are sub-headings, "相关文章" or footer boxes.
    before = [c for c in candidates if c[1] < body_index]
    return min(before, key=lambda c: (c[0], -c[1]))[2] if before else None


def _following_lines(element: etree._Element, limit: int) -> list[str]:
    """Visible lines after the element in document order, up to the first list-like box."""
    lines: list[str] = []
    node = element
    while node is not None and is_element(node) and node.tag != "body":
        if node.tail and node.tail.strip():
            lines.append(node.tail.strip())
        for sibling in node.itersiblings():
            if not is_element(sibling):
                continue
            if any(len(element_text(a)) >= _HEADLINE_LINK_CHARS for a in sibling.iter("a")):
                return lines
            lines.extend(text_blocks(sibling))
            if sibling.tail and sibling.tail.strip():
                lines.append(sibling.tail.strip())
            if len(lines) >= limit:
                return lines[:limit]
        node = node.getparent()
    return lines[:limit]


def date_under(heading: Heading) -> date | None:
    """A date shown in the lines right under the heading (labelled or not), before the body text.

    A date labelled 成文日期/施行日期 and the like is skipped; prose ends the search, so a date
    in the article's sentences is never taken."""
    for line in _following_lines(heading.element, _INFO_LINES):
        if len(line) > _INFO_MAX_CHARS or _PROSE_RE.search(line):
            return None
        for match in FULL_DATE_RE.finditer(line):
            if _OTHER_DATE_RE.search(line[: match.start()]):
                continue
            value = make_date(*match.groups())
            if value:
                return value
    return None
