"""个人信息 rules: resident ID numbers and personal mobile numbers published without 去标识化.

The detectors live here so that the rules and the report masking (reports/masking.py) agree on what
an ID number or a mobile number is. Text is read as a person reads it: full-width digits count as
digits; characters no one sees (zero-width, soft hyphen, bidirectional controls) are not there; an ID
may be grouped 6-8-4 and a mobile 3-4-4 by single spaces or hyphens; a number that is part of a
longer run of letters and digits (an order number, a 统一社会信用代码, a 索引号) is not one.

A page publishes more than its visible text: its title (the browser's tab), its <meta> tags, its
images' alt text and link texts, and the URLs it links to (`published`). In a URL only a whole path
segment or query value is read as a number (?sfz=…, /files/<ID>.pdf): CMS article ids and dates run
into longer digit strings there (/t20220815_13812345678.html).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from math import gcd
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, unquote, urlsplit

from crawler.vocabulary.reading import TITLE_TAG
from rules.people import PADDED_NAME as _PADDED_NAME
from rules.people import is_person_name  # also rules.privacy.is_person_name for the tests

if TYPE_CHECKING:
    from rules.snapshot import PageView, SiteSnapshot

# Full-width digits and X, one character for one, so positions in the folded text are positions in
# the original.
_FOLD = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")
_FOLDED = re.compile("[０-９Ｘｘ]")
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})([ -]?)(\d{8})\2(\d{3}[0-9Xx])(?![0-9A-Za-z])", re.ASCII)
_MOBILE_HINT = re.compile(r"1[3-9]\d", re.ASCII)
_MOBILE = re.compile(r"(?<![0-9A-Za-z+])(?:\+?86[ -]?)?(1[3-9]\d)([ -]?)(\d{4})\2(\d{4})(?![0-9A-Za-z])", re.ASCII)
# A phone number someone already masked (138****1234): it ends a table row like an unmasked one.
_MASKED_PHONE = re.compile(r"(?<!\d)1[3-9]\d[*＊xX×]{4}\d{4}(?!\d)", re.ASCII)
# Characters no reader sees, which a page can put inside a number so that a search no longer reads it
# as one: the soft hyphen, zero-width spaces, joiners and the word joiner, invisible operators, the
# BOM, and the bidirectional marks, embeddings, overrides and isolates.
INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# A URL's path segment or query value that is an ID number and nothing else (a file may be named by one).
_URL_ID_NUMBER = re.compile(r"(\d{17}[\dXx])(?:\.[0-9A-Za-z]{1,8})?", re.ASCII)
_URL_MAY_HOLD_ID = re.compile(r"\d{17}|%", re.ASCII)

# GB 11643: ISO 7064 MOD 11-2 weights of the first 17 digits and the check character of the sum.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
# GB/T 2260 province-level codes (71 台湾, 81 香港, 82 澳门 as issued on 居民身份证 / 居住证).
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    masked: str


# Each detector folds the page it is given, and the rules run several over the same text.
@lru_cache(maxsize=4)
def fold(text: str) -> str:
    """Full-width digits and X as ASCII, same length as `text`."""
    # translate() goes character by character through a dict; most pages have nothing to fold.
    return text.translate(_FOLD) if _FOLDED.search(text) else text


def readable(text: str) -> str:
    """`text` as a reader sees it: without the characters no one sees (INVISIBLE)."""
    return INVISIBLE.sub("", text) if INVISIBLE.search(text) else text


def is_id_number(digits: str, as_of: date) -> bool:
    """A resident ID number: 17 digits and a check character valid under GB 11643, a province code
    that exists, and a birth date that is a real day from 1900 up to `as_of`."""
    if len(digits) != 18 or not digits[:17].isdigit() or digits[:2] not in PROVINCE_CODES:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:17], _WEIGHTS))
    if _CHECK[total % 11] != digits[17].upper():
        return False
    try:
        born = date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= as_of


def id_numbers(text: str, as_of: date) -> Iterator[Match]:
    """Every resident ID number in `text`, masked as 532625********1234 (first 6, last 4)."""
    for m in _ID_NUMBER.finditer(fold(text)):
        digits = m.group(1) + m.group(3) + m.group(4)
        if is_id_number(digits, as_of):
            yield Match(m.start(), m.end(), f"{digits[:6]}********{digits[14:].upper()}")


def url_id_numbers(url: str, as_of: date) -> list[str]:
    """The ID numbers a URL carries, masked: a path segment or query value that is exactly one (after
    percent-decoding, full-width folding and dropping invisible characters), with an optional file
    extension: /files/532625198503122010.pdf, ?sfz=532625198503122010. A number with anything else in
    its segment or value (t20220815_13812345678.html, 2022-00001, a longer digit run) is not one."""
    if not _URL_MAY_HOLD_ID.search(url):
        return []
    try:
        parts = urlsplit(url)
        pieces = [unquote(segment) for segment in parts.path.split("/")]
        pieces += [value for _, value in parse_qsl(parts.query, keep_blank_values=True)]
    except ValueError:
        return []
    found = []
    for piece in pieces:
        match = _URL_ID_NUMBER.fullmatch(readable(piece).translate(_FOLD).strip())
        if match and is_id_number(match.group(1), as_of):
            digits = match.group(1)
            found.append(f"{digits[:6]}********{digits[14:].upper()}")
    return found


@dataclass(frozen=True)
class Published:
    """What a page publishes, as a reader (or anyone who opens its source) can see it: its texts by
    where they stand (正文, 标题, 网页标签, 链接文字或图片说明), invisible characters dropped, and
    the URLs it links to."""

    texts: tuple[tuple[str, str], ...]
    urls: tuple[str, ...]


def published(site: SiteSnapshot, page: PageView) -> Published:
    """The texts and link URLs of a page or attachment (an attachment has only its text)."""
    body = site.text_of(page.url)
    if not page.is_html:
        return Published((("附件内容", readable(body)),) if body else (), ())
    tags = site.meta_tags_of(page.url)
    links = site.links_from(page.url)
    texts = (
        ("正文", body),
        ("网页标题", "\n".join(dict.fromkeys(title for title in (page.title, tags.get(TITLE_TAG)) if title))),
        ("网页标签", "\n".join(content for name, content in tags.items() if name != TITLE_TAG and content)),
        ("链接文字或图片说明", "\n".join(dict.fromkeys(link.text for link in links if link.text))),
    )
    return Published(
        tuple((place, readable(text)) for place, text in texts if text),
        tuple(dict.fromkeys(link.to_url for link in links)),
    )


def mobiles(text: str) -> Iterator[Match]:
    """Every unmasked mobile number in `text`, masked as 138****5678 (first 3, last 4)."""
    folded = fold(text)
    # Every mobile holds 1[3-9]\d: a literal-led search skips most pages at a fraction of the cost
    # of the full pattern, whose look-behind is tried at every character.
    if not _MOBILE_HINT.search(folded):
        return
    for m in _MOBILE.finditer(folded):
        yield Match(m.start(1), m.end(), f"{m.group(1)}****{m.group(4)}")


def mask(text: str, as_of: date) -> str:
    """`text` with every ID number and mobile number replaced by its masked form."""
    for find in (lambda t: id_numbers(t, as_of), mobiles):
        pieces: list[str] = []
        last = 0
        for match in find(text):
            pieces += [text[last : match.start], match.masked]
            last = match.end
        text = "".join(pieces) + text[last:]
    return text


# -- people ---------------------------------------------------------------------------------------

_CELL_SPLIT = re.compile(r"[\n\t]+")
_WORD_SPLIT = re.compile(r"[\s,，;；:：、()（）\[\]【】<>《》/|]+")
# Table cells looked at before a mobile: 序号 姓名 性别 身份证号 住址 人数 金额 … 电话.
PERSON_WINDOW = 8


def _words(cell: str) -> list[str]:
    """The words of a cell; two single characters in a row are also read as one word, since a
    padded name in a line of a PDF or CSV ("2 李 四 女") splits in two."""
    cell = cell.strip()
    if _PADDED_NAME.fullmatch(cell):
        return [cell]
    words = [w for w in _WORD_SPLIT.split(cell) if w]
    return words + [a + b for a, b in zip(words, words[1:]) if len(a) == len(b) == 1]


# Posts that publish a work contact: a 联系人 table of 村（社区）书记、主任、网格员 for residents to
# call is the government reaching out, not a list of private people.
_POST = re.compile(
    r"书记|主任|村长|镇长|乡长|局长|科长|股长|站长|所长|院长|校长|队长|组长|网格员|联络员|专干|值班|负责人"
)


def mobiles_beside_people(text: str) -> list[Match]:
    """Unmasked mobiles that each sit beside a person's name: a word in the last PERSON_WINDOW cells
    (lines or tab-separated cells) between the mobile and the previous phone number, masked or not,
    is a name. In a table of people that is the name on the mobile's row; in prose it is
    "张三 13812345678，李四：13912345678"; "咨询电话：13812345678" has no name beside it. A mobile
    whose cells name a post (社区书记, 村委会主任, 网格员) is a published work contact, not counted."""
    found = list(mobiles(text))
    if not found:
        return []
    folded = fold(text)
    stops = sorted(
        [(m.start(), m.end(), None) for m in _MASKED_PHONE.finditer(folded)] + [(m.start, m.end, m) for m in found],
        key=lambda stop: stop[0],
    )
    beside: list[Match] = []
    last = 0
    for start, end, match in stops:
        cells = _CELL_SPLIT.split(folded[last:start])[-PERSON_WINDOW:]
        if (
            match is not None
            and any(is_person_name(word) for cell in cells for word in _words(cell))
            and not any(_POST.search(cell) for cell in cells)
        ):
            beside.append(match)
        last = end
    return beside


# -- describing a fault without repeating it -------------------------------------------------------

# The header cell of the column a number stands in.
ID_HEADER = re.compile(r"身份证|证件号|身份号码")
PHONE_HEADER = re.compile(r"电话|手机|联系方式")
# Lines a header may stand above the first number it heads (a wide table's cells, one a line).
_HEADER_REACH = 60


def _spans(numbers: list[int]) -> str:
    """2, 3, 4, 5, 8 → 2–5、8."""
    spans: list[list[int]] = []
    for number in sorted(set(numbers)):
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    shown = [f"{a}–{b}" if b > a else str(a) for a, b in spans]
    return "、".join(shown[:6]) + ("等" if len(shown) > 6 else "")


def rows_of(text: str, matches: list[Match], header: re.Pattern, *, lines_are_rows: bool = False) -> str:
    """Where `matches` stand in `text`, in words the office finds them by on the page and nothing of
    what stands beside them: "表格第2–5行" (the header row counted as the first), or "第3、7行" of
    an attachment's text (`lines_are_rows`) when no header is found; "" when the rows cannot be told.

    A table read row by row (a spreadsheet, a .docx, a PDF line) has one row a line; a web page's
    table is read one cell a line, so its rows are the numbers' common spacing in lines, counted from
    the line of the column's header."""
    if not matches:
        return ""
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    at = sorted({bisect_right(starts, match.start) - 1 for match in matches})
    first = at[0]
    heads = [i for i in range(first - 1, max(-1, first - _HEADER_REACH), -1) if header.search(lines[i])]
    cells_a_line = all("\t" not in lines[i] and len(_WORD_SPLIT.sub("", lines[i])) <= 20 for i in at)
    if not cells_a_line:
        if heads:
            return f"表格第{_spans([i - heads[0] + 1 for i in at])}行"
        return f"第{_spans([i + 1 for i in at])}行" if lines_are_rows else ""
    width = 0
    for a, b in zip(at, at[1:]):
        width = gcd(width, b - a)
    # The row width divides every spacing (a row without a number between two with one doubles it)
    # and the header's distance; a spacing of 1 is a list, not a table's rows.
    for head in heads:
        for cells in range(width, 1, -1):
            if width % cells == 0 and (first - head) % cells == 0:
                return f"表格第{_spans([(i - head) // cells + 1 for i in at])}行"
    return ""


def described(found: list[tuple[str, str, list[Match]]], header: re.Pattern) -> str:
    """Where on a page numbers were found, by place (正文, 附件内容, 网页标题 …) and row: "见于正文表格第2–5行、
    网页标题". `found` holds each place with its text and the matches in it."""
    places = []
    for place, text, matches in found:
        rows = (
            rows_of(text, matches, header, lines_are_rows=place == "附件内容") if place in ("正文", "附件内容") else ""
        )
        places.append(place + rows)
    return "见于" + "、".join(dict.fromkeys(places))


# -- the fault as the 通报 states it ------------------------------------------------------------------

# The fact a privacy finding carries: how many numbers its page published (privacy.id_number: ID
# numbers, privacy.phone: mobiles), for the bulletin to state the fault once per page.
PUBLISHED_COUNT = "published"
_NUMBER_NAMES = {"privacy.id_number": "身份证号码", "privacy.phone": "手机号码"}


def fault_on_page(findings) -> str:
    """A page's privacy fault described, never repeated, from its findings (anything with `rule`,
    `facts` and `evidence`: a Finding, a stored FindingRow): 公示名单含未去标识化的身份证号码4个、手机号码4个
    when the numbers stood in a table, 页面含… (附件含…) when not; "" when none is a privacy finding."""
    counts: dict[str, int] = {}
    listed, attachment = False, True
    for finding in findings:
        if finding.rule in _NUMBER_NAMES and finding.facts.get(PUBLISHED_COUNT):
            counts[finding.rule] = counts.get(finding.rule, 0) + int(finding.facts[PUBLISHED_COUNT][0])
            listed = listed or "表格" in finding.evidence
            attachment = attachment and finding.evidence.startswith("附件")
    parts = [f"{name}{counts[rule]}个" for rule, name in _NUMBER_NAMES.items() if rule in counts]
    if not parts:
        return ""
    return f"{'公示名单' if listed else '附件' if attachment else '页面'}含未去标识化的{'、'.join(parts)}"
