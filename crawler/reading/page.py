"""A fetched page, decoded and parsed once, as every adapter sees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from lxml import etree

from .dom import base_url, parse_html, text_blocks
from .encoding import decode_body
from .links import meta_tags


@dataclass
class ParsedPage:
    """Decoded text, lxml tree (None if nothing parseable), visible lines and meta tags."""

    url: str
    base: str
    raw_text: str
    encoding: str | None
    root: etree._Element | None
    lines: list[str]
    meta: dict[str, str]
    reference: date
    scripts: str = field(default="", repr=False)

    def meta_value(self, *names: str) -> str | None:
        """Content of the first <meta name> among names (case-insensitive), if non-empty."""
        lowered = {key.lower(): value for key, value in self.meta.items()}
        for name in names:
            value = lowered.get(name.lower(), "").strip()
            if value:
                return value
        return None


def parse_page(body: bytes, url: str, *, content_type: str | None, encoding: str | None, reference: date) -> ParsedPage:
    """Decode and parse page bytes; the tree is None for empty or unparseable input."""
    raw_text, codec = decode_body(body, content_type, encoding)
    root = parse_html(raw_text)
    scripts = "\n".join(s.text or "" for s in root.iter("script")) if root is not None else ""
    return ParsedPage(
        url=url,
        base=base_url(root, url),
        raw_text=raw_text,
        encoding=codec,
        root=root,
        lines=text_blocks(root) if root is not None else [],
        meta=meta_tags(root),
        reference=reference,
        scripts=scripts,
    )
