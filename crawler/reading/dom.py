"""Parsing decoded HTML with lxml, and the small tree helpers every extractor shares."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
from lxml import etree

from crawler.reading.characters import xml_safe

# Big enough for any real page; beyond it we read a prefix rather than stall a crawl.
MAX_PARSE_CHARS = 12_000_000

BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr html li main nav ol p pre "
    "section table tbody td tfoot th thead tr ul option select title".split()
)
INVISIBLE_TAGS = frozenset("script style noscript template head object embed iframe select".split())
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_ZERO_WIDTH_RE = re.compile("[\u200b\ufeff]")
# libxml2 stops at 2,048 open elements and drops the rest of the page (<font> x 2100 before a table
# of ID numbers read as empty). Such a page is parsed again without inline formatting tags and, if
# still too deep, with only self-contained tags kept, block tags turned into line breaks. "[^<>]*"
# keeps the scan linear even when no ">" follows.
_INLINE_TAG_RE = re.compile(
    r"</?(?:font|span|b|i|u|s|em|strong|small|big|strike|sub|sup|tt|code|abbr|label|ins|del|mark|q|cite|"
    r"dfn|kbd|samp|var|center|blink|nobr|bdo|bdi|o:p)(?=[\s/>])[^<>]*>",
    re.I,
)
_ANY_TAG_RE = re.compile(r"<(/?)([a-zA-Z][\w:-]*)[^<>]*>")
_SELF_CONTAINED_TAGS = frozenset("a img br hr meta title base link script style input area".split())
_SKIPPED_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "vbscript:", "about:")
# As a browser parses a URL (WHATWG): tab/CR/LF anywhere are dropped, C0 controls and spaces
# around it are trimmed ("java\nscript:", "\x01javascript:" are javascript: links).
_URL_TAB_NEWLINE_RE = re.compile(r"[\t\r\n]")
_C0_OR_SPACE = "".join(map(chr, range(0x21)))


def parse_html(text: str) -> lxml.html.HtmlElement | None:
    """Parse page text into an lxml tree with comments and processing instructions dropped."""
    text = xml_safe(_XML_DECL_RE.sub("", text[:MAX_PARSE_CHARS]))
    if not text.strip():
        return None
    root = _parse(text)
    for flatten in (_strip_inline_tags, _keep_self_contained_tags):
        if root is None or not root[1]:
            break
        root = _parse(flatten(text))
    if root is None:
        return None
    _empty_void_embeds(root[0])
    return root[0]


def _empty_void_embeds(root: lxml.html.HtmlElement) -> None:
    """libxml2 takes <embed> (void in HTML) for a container: the rest of its parent became its
    content and would be skipped as invisible. Put that content back after the tag."""
    for embed in list(root.iter("embed")):
        children = list(embed)
        if not children and not embed.text:
            continue
        parent, after = embed.getparent(), embed.tail
        # Text from a character reference (&#1;, &#xFFFE;) is in the tree but lxml refuses it back.
        embed.tail, embed.text = xml_safe(embed.text or ""), None
        position = parent.index(embed)
        for offset, child in enumerate(children, 1):
            parent.insert(position + offset, child)
        last = children[-1] if children else embed
        last.tail = xml_safe((last.tail or "") + (after or ""))


def _parse(text: str) -> tuple[lxml.html.HtmlElement, bool] | None:
    """The tree, and whether libxml2 gave up on its depth (the rest of the page is then lost)."""
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        return None
    return root, any(entry.type_name == "ERR_RESOURCE_LIMIT" for entry in parser.error_log)


def _strip_inline_tags(text: str) -> str:
    return _INLINE_TAG_RE.sub("", text)


def _keep_self_contained_tags(text: str) -> str:
    def replace(match: re.Match) -> str:
        tag = match.group(2).lower()
        if tag in _SELF_CONTAINED_TAGS:
            return match.group(0)
        return "<br>" if tag in BLOCK_TAGS else ""

    return _ANY_TAG_RE.sub(replace, text)


def is_element(node: object) -> bool:
    """True for real elements (not comments, entities or processing instructions)."""
    return isinstance(node, etree._Element) and isinstance(node.tag, str)


def is_hidden(element: etree._Element) -> bool:
    """Hidden by its own style or the hidden attribute (ancestors not considered)."""
    return bool(_HIDDEN_STYLE_RE.search(element.get("style", ""))) or element.get("hidden") is not None


def is_hidden_in_tree(element: etree._Element) -> bool:
    """Hidden by itself or by any ancestor."""
    node = element
    while node is not None:
        if is_element(node) and is_hidden(node):
            return True
        node = node.getparent()
    return False


def clean_space(text: str | None) -> str:
    """Collapse runs of (full-width, non-breaking) spaces and trim. A zero-width space or BOM is no
    space to a reader (an ID number with one inside reads as one number), so they go."""
    if not text:
        return ""
    if "\u200b" in text or "\ufeff" in text:
        text = _ZERO_WIDTH_RE.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def squeeze(text: str | None) -> str:
    """Text with every kind of whitespace removed (for matching labels like 标　　题)."""
    return re.sub(r"[\s\u200b\ufeff]+", "", text or "")


def element_text(element: etree._Element) -> str:
    """Visible text of one element, whitespace collapsed, scripts and styles skipped."""
    return clean_space(" ".join(iter_visible_text(element, skip_hidden=False)))


def iter_visible_text(element: etree._Element, *, skip_hidden: bool = True) -> Iterator[str]:
    """Text pieces of an element in document order, skipping invisible subtrees."""
    for piece, _ in _walk(element, skip_hidden=skip_hidden):
        if piece is not None:
            yield piece


def text_blocks(element: etree._Element, *, skip_hidden: bool = True) -> list[str]:
    """Visible text split into the blocks a reader sees (block elements and <br> break lines)."""
    lines: list[str] = []
    current: list[str] = []
    for piece, is_break in _walk(element, skip_hidden=skip_hidden):
        if is_break:
            line = clean_space("".join(current))
            if line:
                lines.append(line)
            current = []
        elif piece:
            current.append(piece)
    line = clean_space("".join(current))
    if line:
        lines.append(line)
    return lines


def _walk(root: etree._Element, *, skip_hidden: bool) -> Iterator[tuple[str | None, bool]]:
    """Yield (text, False) for text and (None, True) at block boundaries, iteratively."""
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            if node.tag in BLOCK_TAGS:
                yield None, True
            if node is not root and node.tail:
                yield node.tail, False
            continue
        if not is_element(node):
            if node is not root and node.tail:
                yield node.tail, False
            continue
        if node.tag in INVISIBLE_TAGS or (skip_hidden and is_hidden(node)):
            if node is not root and node.tail:
                yield node.tail, False
            continue
        if node.tag in BLOCK_TAGS or node.tag == "br":
            yield None, True
        if node.text:
            yield node.text, False
        stack.append((node, True))
        for child in reversed(node):
            stack.append((child, False))


def base_url(root: etree._Element | None, page_url: str) -> str:
    """The URL relative links resolve against: <base href> if present, else the page URL."""
    if root is not None:
        for base in root.iter("base"):
            href = (base.get("href") or "").strip()
            if href:
                return urljoin(page_url, href)
    return page_url


def absolute_url(href: str | None, base: str) -> str | None:
    """Absolute form of a link, or None for javascript:/mailto:/tel:/#fragment-only links."""
    if href is None:
        return None
    href = clean_space(_URL_TAB_NEWLINE_RE.sub("", href).strip(_C0_OR_SPACE)).replace("\\", "/")
    if not href or href.startswith("#") or href.lower().startswith(_SKIPPED_SCHEMES):
        return None
    try:
        joined = urldefrag(urljoin(base, href))[0]
        parts = urlsplit(joined)
        # "http://" with no host (a template's empty link) is no URL a browser could open.
        if parts.scheme.lower() in ("http", "https") and not parts.hostname:
            return None
    except ValueError:
        return None
    return joined or None


def css_words(element: etree._Element) -> str:
    """The element's id and class, lower-cased, for layout-role guesses (nav, footer ...)."""
    return f"{element.get('id', '')} {element.get('class', '')}".lower()
