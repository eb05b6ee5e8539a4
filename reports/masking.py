"""Personal data in crawled text is masked before it reaches any output, and crawled text is made
inert there: every output (HTML text and attributes, the kept copies, JSON, xlsx/csv cells, docx, the
PDF printed from the HTML, the terminal) passes what it shows through `clean` or `for_terminal` at its
boundary, so no report, export or command prints a number the privacy rules would flag, or a control,
noncharacter or bidirectional override a crawled page slipped in.

What counts as an ID number or a mobile number is what the privacy rules detect (rules/privacy), so a
report never shows in full a number the rules would flag, and leaves other numbers (索引号, order
numbers, landlines) as they are. Numbers are also found where a page hides them from a plain search:
split by zero-width characters, or percent-encoded in a URL's path or query (…?sfz=5326…, 5326….pdf).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import unquote

from crawler.reading.characters import printable
from rules.privacy import INVISIBLE, mask

# Invisible characters a page can put inside a number so that it no longer reads as one: the
# privacy rules' own list (zero-width, soft hyphen, bidirectional controls), so that whatever they
# find split that way is masked too.
_ZERO_WIDTH = INVISIBLE
# What a terminal interprets: escape sequences (CSI colours and cursor moves, OSC 8 hyperlinks and
# window titles, DCS/APC strings), lone escapes, every control character, and bidirectional
# overrides that would reorder the printed line.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?"
    r"|\x9b[0-?]*[ -/]*[@-~]|\x9d[^\x07\x9c]*(?:\x07|\x9c)?"
)
_TERMINAL_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def mask_personal(text: str | None) -> str:
    """532625198503122010 → 532625********2010; 13812345678 → 138****5678; also when written
    5326\u200b25198503122010 or percent-encoded in a URL."""
    if not text:
        return ""
    text = _ZERO_WIDTH.sub("", text)
    today = date.today()
    masked = mask(text, today)
    if "%" in masked:
        # A number percent-encoded (or next to an encoded character, %E5%90%8D5326…) is masked in the
        # decoded form; a URL holding none is left encoded, byte for byte.
        # Decoding may bring back what was cleaned (%00, %EF%BF%BE, %E2%80%AE): cleaned again.
        decoded = printable(_ZERO_WIDTH.sub("", unquote(masked)))
        decoded_masked = mask(decoded, today)
        if decoded_masked != decoded:
            return decoded_masked
    return masked


# A personal number as a copy shows it once masked, by govaudit or by the page itself
# (532625********2013, 5326251958****1014, 138****5678, 138xxxx5678).
_MASKED_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{3,10}[*＊×xX]{4,12}\d{0,6}[0-9Xx](?![0-9A-Za-z])")


def holds_personal_number(text: str | None) -> bool:
    """Whether `text` shows an ID or mobile number, whole or masked: what stands beside one (a name,
    a village, a household's size) is a person's, and a distributed copy leaves it out."""
    return bool(text) and bool(_MASKED_NUMBER.search(mask_personal(text)))


def clean(value: Any) -> Any:
    """A value as a document may show it: text without the characters a format refuses or a reader's
    display would act on (controls, noncharacters, bidirectional overrides: crawler.reading.characters),
    personal data masked; lists and dicts cleaned through, anything else (numbers, dates, None)
    unchanged."""
    if isinstance(value, str):
        return mask_personal(printable(value))
    if isinstance(value, dict):
        return {key: clean(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(item) for item in value]
    return value


def for_terminal(value: Any) -> str:
    """Crawled text as one inert line for the terminal: escape sequences and every control or
    bidirectional-override character removed, line breaks as spaces, personal data masked."""
    text = "" if value is None else str(value)
    text = _ESCAPE_SEQUENCE.sub("", text.replace("\n", " ").replace("\t", " "))
    return mask_personal(_TERMINAL_CONTROL.sub("", text))
