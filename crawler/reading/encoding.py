"""Turn page bytes into text: declared charsets are hints, verified against the bytes.

Order of trust: BOM, then valid UTF-8 (a GB page is almost never valid UTF-8, so a
page that is valid UTF-8 is UTF-8 whatever it declares), then the HTTP header and
the in-page declaration if they decode cleanly, then GB18030, then detection.
GB2312 and GBK are decoded as GB18030, their superset.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes
from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)

from crawler.reading.characters import xml_safe

_GB_FAMILY = {"gb2312", "gbk", "gb18030", "hz", "cp936", "euc_cn"}
# Single-byte codecs decode any bytes, so a declaration of one proves nothing.
_SINGLE_BYTE = {"ascii", "latin_1", "iso8859_1", "cp1252", "iso8859_15"}
_DECLARATION_WINDOW = 4096


def canonical_codec(name: str | None) -> str | None:
    """Python codec name for a declared charset, with the GB family widened to gb18030."""
    if not name:
        return None
    resolved = resolve_encoding(name.strip().strip("\"'"))
    if not resolved:
        return None
    codec = codecs.lookup(resolved).name.replace("-", "_")
    if codec in _GB_FAMILY:
        return "gb18030"
    return "utf-8" if codec == "utf_8" else codec


def _decodes_cleanly(body: bytes, codec: str) -> bool:
    """The bytes are valid in codec; a multi-byte character cut off at the end (a truncated
    download) does not count against it."""
    try:
        codecs.getincrementaldecoder(codec)().decode(body, final=False)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _declared(body: bytes, content_type: str | None, encoding: str | None) -> list[str]:
    names = [encoding, http_content_type_encoding(content_type) if content_type else None]
    names.append(html_body_declared_encoding(body[:_DECLARATION_WINDOW]))
    found: list[str] = []
    for name in names:
        codec = canonical_codec(name)
        if codec and codec not in found:
            found.append(codec)
    return found


def _detect(body: bytes) -> str | None:
    best = from_bytes(body[:200_000]).best()
    return canonical_codec(best.encoding) if best else None


def choose_codec(body: bytes, content_type: str | None = None, encoding: str | None = None) -> str:
    """The codec the bytes are really in (see module docstring for the order)."""
    bom_codec, _ = read_bom(body)
    if bom_codec:
        return canonical_codec(bom_codec) or "utf-8"
    if not body.isascii() and _decodes_cleanly(body, "utf-8"):
        return "utf-8"
    declared = _declared(body, content_type, encoding)
    for codec in declared:
        if codec not in _SINGLE_BYTE and _decodes_cleanly(body, codec):
            return codec
    if body.isascii():
        return declared[0] if declared else "utf-8"
    if _decodes_cleanly(body, "gb18030"):
        return "gb18030"
    detected = _detect(body)
    if detected:
        return detected
    return declared[0] if declared else "gb18030"


def decode_body(body: bytes, content_type: str | None = None, encoding: str | None = None) -> tuple[str, str]:
    """Decode page bytes; returns (text, codec). Undecodable bytes become U+FFFD, and characters no
    reader or output accepts (controls, noncharacters: crawler.reading.characters) are dropped."""
    codec = choose_codec(body, content_type, encoding)
    bom_codec, bom = read_bom(body)
    payload = body[len(bom) :] if bom_codec else body
    try:
        return xml_safe(payload.decode(codec, errors="replace")), codec
    except LookupError:
        return xml_safe(payload.decode("gb18030", errors="replace")), "gb18030"
