"""Links a reader of the page cannot see: the way 暗链 (injected SEO links) hide on hijacked
government pages — display:none, visibility:hidden, off-screen positions, zero size, font-size 0,
text the colour of its background, a zero-height <marquee>, class rules in a <style> block that
do the same, and links written by a script (document.write). The reader only records them and how
they hide; the rule decides which are a problem."""

from __future__ import annotations

import re

from lxml import etree

from crawler.vocabulary.reading import HiddenLink

from .dom import absolute_url, clean_space, element_text

# Bound the work on a hostile page: only this many link elements and style rules are looked at.
_MAX_LINKS = 5_000
_MAX_STYLE_CHARS = 200_000
_MAX_SCRIPT_CHARS = 200_000

_DECLARATION = re.compile(r"([a-z-]+)\s*:\s*([^;{}]+)", re.I)
_CLASS_RULE = re.compile(r"([.#][\w-]+)\s*\{([^{}]{0,2000})\}")
_SCRIPT_LINK = re.compile(
    r"""<a\s[^>]{0,300}?href\s*=\s*\\?["']?(https?://[^"'\\\s>]{1,500})[^>]{0,300}>([^<]{0,200})""", re.I
)
_WRITE_CALL = re.compile(r"document\s*\.\s*write(?:ln)?\s*\(|innerHTML\s*[+]?=", re.I)
_NEGATIVE_OFFSET = re.compile(r"^-\s*(\d{3,})(?:\.\d+)?(?:px|pt|em|rem)?$")
_ZERO = re.compile(r"^0+(?:\.0+)?(?:px|pt|em|rem|%)?$")


def _declarations(style: str) -> dict[str, str]:
    return {name.lower(): value.strip().lower() for name, value in _DECLARATION.findall(style or "")}


def _hiding(declarations: dict[str, str], tag: str) -> str | None:
    """How these CSS declarations hide an element's content, or None when they do not."""
    get = declarations.get
    if get("display") == "none":
        return "display:none"
    if get("visibility") in ("hidden", "collapse"):
        return "visibility:hidden"
    if get("opacity") is not None and _ZERO.match(get("opacity")):
        return "opacity:0"
    if get("font-size") is not None and _ZERO.match(get("font-size")):
        return "字号为0"
    for side in ("left", "top", "text-indent", "margin-left", "margin-top"):
        value = get(side)
        if (
            value
            and _NEGATIVE_OFFSET.match(value)
            and (side.startswith(("text", "margin")) or get("position") in ("absolute", "fixed"))
        ):
            return f"移出页面（{side}:{value}）"
    zero_box = any(get(side) is not None and _ZERO.match(get(side)) for side in ("height", "width"))
    if zero_box and (get("overflow") == "hidden" or tag == "marquee"):
        return "尺寸为0"
    color, background = get("color"), get("background-color") or get("background")
    if color and background and color.replace(" ", "") == background.replace(" ", ""):
        return "文字与背景同色"
    return None


def _class_rules(root: etree._Element) -> dict[str, str]:
    """Simple `.class {…}` and `#id {…}` rules of the page's <style> blocks that hide content."""
    rules: dict[str, str] = {}
    seen = 0
    for style in root.iter("style"):
        css = style.text or ""
        seen += len(css)
        if seen > _MAX_STYLE_CHARS:
            break
        for selector, body in _CLASS_RULE.findall(css):
            how = _hiding(_declarations(body), "")
            if how:
                rules[selector] = how
    return rules


def _element_hiding(element: etree._Element, class_rules: dict[str, str]) -> str | None:
    if element.get("hidden") is not None:
        return "hidden属性"
    how = _hiding(_declarations(element.get("style", "")), element.tag if isinstance(element.tag, str) else "")
    if how:
        return how
    if element.tag == "marquee":
        height, width = element.get("height", ""), element.get("width", "")
        if _ZERO.match(height.strip() or "x") or _ZERO.match(width.strip() or "x"):
            return "尺寸为0的滚动框"
    if class_rules:
        for name in (element.get("class") or "").split():
            if f".{name}" in class_rules:
                return class_rules[f".{name}"]
        element_id = element.get("id")
        if element_id and f"#{element_id}" in class_rules:
            return class_rules[f"#{element_id}"]
    return None


def hidden_links(root: etree._Element | None, base: str) -> list[HiddenLink]:
    """Every <a href> hidden from readers, and every link a script writes into the page."""
    if root is None:
        return []
    class_rules = _class_rules(root)
    verdicts: dict[etree._Element, str | None] = {}

    def hiding(element: etree._Element | None) -> str | None:
        # Walk up once per element: each ancestor's verdict is kept, so the walk stays linear.
        chain = []
        node = element
        while node is not None and node not in verdicts:
            chain.append(node)
            node = node.getparent()
        inherited = verdicts.get(node) if node is not None else None
        for item in reversed(chain):
            inherited = inherited or (_element_hiding(item, class_rules) if isinstance(item.tag, str) else None)
            verdicts[item] = inherited
        return verdicts[element] if element is not None else None

    found: list[HiddenLink] = []
    for count, anchor in enumerate(root.iter("a")):
        if count >= _MAX_LINKS:
            break
        url = absolute_url(anchor.get("href"), base)
        if not url:
            continue
        how = hiding(anchor)
        if how:
            found.append(HiddenLink(url, element_text(anchor) or clean_space(anchor.get("title")), how))
    script_chars = 0
    for script in root.iter("script"):
        code = script.text or ""
        script_chars += len(code)
        if script_chars > _MAX_SCRIPT_CHARS:
            break
        if not _WRITE_CALL.search(code):
            continue
        for url, text in _SCRIPT_LINK.findall(code):
            found.append(HiddenLink(url, clean_space(text), "脚本写入"))
    return found
