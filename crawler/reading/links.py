"""Everything the page points at: links, <meta name> tags and client-side redirects."""

from __future__ import annotations

import re

from lxml import etree
from w3lib.html import get_meta_refresh

from crawler.vocabulary.reading import LinkRef
from crawler.vocabulary.urls import canonical_url

from .dom import absolute_url, clean_space, element_text
from .regions import Regions

# tag -> attribute holding the URL
_LINK_ATTRIBUTES = {
    "a": "href",
    "img": "src",
    "script": "src",
    "link": "href",
    "iframe": "src",
    "frame": "src",
    "embed": "src",
}
_JS_REDIRECT_RE = re.compile(
    r"""(?:window\.|top\.|self\.|document\.)?location(?:\.href)?\s*=\s*(['"])(?P<a>[^'"]+)\1"""
    r"""|location\.(?:replace|assign)\(\s*(['"])(?P<b>[^'"]+)\3\s*\)"""
)
_REDIRECT_PAGE_MAX_TEXT = 80
# A refresh this soon stands for a redirect (the visitor never reads the page); a later one is the
# page's own timer (a rotating home page, "returning home in 10 s") and leads nowhere by itself.
REDIRECT_REFRESH_MAX_DELAY = 3.0


def anchor_text(anchor: etree._Element) -> str:
    """The link's name as a browser states it: its text, else its images' alt, else its title=.

    Portals link their 专区 columns with image banners (<a><img alt="利企惠民政策专区"></a>),
    and column discovery matches this text.
    """
    text = element_text(anchor)
    if text:
        return text
    alts = [clean_space(img.get("alt")) for img in anchor.iter("img")]
    return " ".join(alt for alt in alts if alt) or clean_space(anchor.get("title"))


def collect_links(elements: list[etree._Element], base: str, regions: Regions | None = None) -> list[LinkRef]:
    """LinkRefs for the given elements, in order, skipping javascript:/mailto:/tel:/#; each in its
    region of the page (content when no regions are given)."""
    links = []
    for element in elements:
        attribute = _LINK_ATTRIBUTES.get(element.tag) if isinstance(element.tag, str) else None
        if not attribute:
            continue
        url = absolute_url(element.get(attribute), base)
        if not url:
            continue
        text = anchor_text(element) if element.tag == "a" else (element.get("alt") or "").strip()
        tag = "iframe" if element.tag == "frame" else element.tag
        links.append(LinkRef(url, text, tag, regions.of(element)) if regions is not None else LinkRef(url, text, tag))
    return links


def page_links(root: etree._Element | None, base: str, regions: Regions | None = None) -> list[LinkRef]:
    """Every link element of the page in document order."""
    if root is None:
        return []
    return collect_links(list(root.iter(*_LINK_ATTRIBUTES)), base, regions)


def meta_tags(root: etree._Element | None) -> dict[str, str]:
    """<meta name=... content=...> pairs, names as written (first occurrence wins)."""
    tags: dict[str, str] = {}
    if root is None:
        return tags
    for meta in root.iter("meta"):
        name, content = meta.get("name"), meta.get("content")
        if name and content is not None and name.strip() not in tags:
            tags[name.strip()] = content.strip()
    return tags


def redirect_target(raw_text: str, root: etree._Element | None, visible_text: str, base: str) -> str | None:
    """Where the page sends its visitor: a <meta http-equiv=refresh> to another page within
    REDIRECT_REFRESH_MAX_DELAY seconds or from a page with nothing else to read ("正在跳转…"), or a
    page that is only a location script."""
    stub = len(visible_text) <= _REDIRECT_PAGE_MAX_TEXT
    try:
        delay, refresh = get_meta_refresh(raw_text[:20_000], base)
    except (ValueError, TypeError):
        delay, refresh = None, None
    if refresh:
        target = absolute_url(refresh, base)
        soon = delay is not None and delay <= REDIRECT_REFRESH_MAX_DELAY
        return target if (soon or stub) and not _same_page(target, base) else None
    if root is None or not stub:
        return None
    targets = []
    for script in root.iter("script"):
        for match in _JS_REDIRECT_RE.finditer(script.text or ""):
            targets.append(match.group("a") or match.group("b"))
    if len(set(targets)) == 1:
        return absolute_url(targets[0], base)
    return None


def _same_page(target: str, base: str) -> bool:
    """A refresh to the page itself (a reload), however the URL is spelt (a fragment, a port)."""
    return canonical_url(target) == canonical_url(base)
