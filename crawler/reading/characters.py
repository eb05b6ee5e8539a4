"""Characters no document format accepts, removed in one place: the page readers pass every decoded
page through `xml_safe` before lxml sees it, and every output (HTML bulletin and kept copies, JSON,
csv, xlsx, docx, and the PDF printed from the bulletin) passes what it shows through `printable`
(reports.masking.clean), so one odd character on a crawled page cannot end a run in a writer.

Refused (XML 1.0 §2.2 Char, which lxml, openpyxl and python-docx enforce): C0 controls except tab,
line feed and carriage return, and surrogates. Also removed: DEL and the C1 controls (discouraged in
XML 1.0, meaningless in a document, acted on by terminals), and Unicode's 66 noncharacters —
U+FDD0–U+FDEF and the last two code points of every plane (U+FFFE, U+FFFF … U+10FFFE, U+10FFFF),
"not for interchange", refused by lxml and by Excel.

`printable` also removes the bidirectional formatting characters (embeddings, overrides, isolates
and the marks: U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C): in a distributed document one
of them in a page title could reverse or reorder the rest of a bulletin line or csv cell.
"""

from __future__ import annotations

import re

# One regular expression for the BMP (a class holding astral characters makes re ~20 times slower);
# the astral noncharacters are looked for apart, which costs nothing on a text without astral characters.
_REFUSED_CLASS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
_BIDI_CLASS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_REFUSED = re.compile(f"[{_REFUSED_CLASS}]+")
_NOT_PRINTABLE = re.compile(f"[{_REFUSED_CLASS}{_BIDI_CLASS}]+")
_ASTRAL_NONCHARACTERS = tuple(chr(plane << 16 | low) for plane in range(1, 17) for low in (0xFFFE, 0xFFFF))
_ASTRAL_REMOVED = dict.fromkeys(map(ord, _ASTRAL_NONCHARACTERS))


def _without(pattern: re.Pattern, text: str) -> str:
    text = pattern.sub("", text)
    if any(character in text for character in _ASTRAL_NONCHARACTERS):
        text = text.translate(_ASTRAL_REMOVED)
    return text


def xml_safe(text: str) -> str:
    """`text` without the characters XML (lxml, docx, xlsx) refuses, DEL/C1 controls and noncharacters."""
    return _without(_REFUSED, text)


def printable(text: str) -> str:
    """`text` as a distributed document may show it: `xml_safe`, and no bidirectional formatting
    character that could reorder what surrounds it."""
    return _without(_NOT_PRINTABLE, text)
