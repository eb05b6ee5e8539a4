"""Dates as Chinese government pages write them, and the dates hidden in their URLs.

Full dates: 2022-08-15, 2022/8/15, 2022.08.15, 2022年8月15日 (time of day ignored).
Partial dates (08-15, 8月15日) get their year from context and are never placed
after the reference date. Impossible dates (2022-02-30, month 13) are rejected.
"""

from __future__ import annotations

import re
from datetime import date

_MIN_YEAR, _MAX_YEAR = 1949, 2100

FULL_DATE_RE = re.compile(r"(?<!\d)(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?")
PARTIAL_DATE_RE = re.compile(r"(?<![\d\-/.年])(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?![\d\-/.])\s*日?")

# Dates that CMSs put in article URLs.
_URL_DATE_RES = (
    re.compile(r"/t(\d{4})(\d{2})(\d{2})_\d+"),
    re.compile(r"/art/(\d{4})/(\d{1,2})/(\d{1,2})/"),
    re.compile(r"/(\d{4})-(\d{1,2})/(\d{1,2})/"),
    re.compile(r"/(\d{4})(\d{2})(\d{2})/"),
    re.compile(r"/(\d{4})/(\d{2})(\d{2})/"),
)
_URL_MONTH_RE = re.compile(r"/(\d{4})(\d{2})/")


def make_date(year: int | str, month: int | str, day: int | str) -> date | None:
    """A real calendar date in a plausible range, or None."""
    try:
        value = date(int(year), int(month), int(day))
    except ValueError:
        return None
    return value if _MIN_YEAR <= value.year <= _MAX_YEAR else None


def parse_date(text: str | None) -> date | None:
    """The first full date written in text (any of the common Chinese forms)."""
    if not text:
        return None
    for match in FULL_DATE_RE.finditer(text):
        value = make_date(*match.groups())
        if value:
            return value
    return None


def date_from_url(url: str | None) -> date | None:
    """The date a CMS encoded in an article URL (/202208/t20220815_1.html, /art/2022/8/15/...)."""
    if not url:
        return None
    for pattern in _URL_DATE_RES:
        for match in pattern.finditer(url):
            value = make_date(*match.groups())
            if value:
                return value
    return None


def year_month_from_url(url: str | None) -> tuple[int, int] | None:
    """Year and month of a URL date, even when the URL only has /202208/."""
    found = date_from_url(url)
    if found:
        return found.year, found.month
    match = _URL_MONTH_RE.search(url or "")
    if match and make_date(match.group(1), match.group(2), 1):
        return int(match.group(1)), int(match.group(2))
    return None


def place_partial(month: int, day: int, *, near: date | None, reference: date) -> date | None:
    """Give a year to a month-day: the year closest to `near`, else the latest; never after `reference`."""
    if near is not None:
        candidates = [make_date(near.year + shift, month, day) for shift in (0, -1, 1)]
        real = [c for c in candidates if c and c <= reference]
        return min(real, key=lambda c: abs((c - near).days)) if real else None
    for year in (reference.year, reference.year - 1, reference.year - 4):
        value = make_date(year, month, day)
        if value and value <= reference:
            return value
    return None


def parse_row_date(text: str, *, url: str | None, reference: date) -> date | None:
    """The date a list row shows: a full date, or a month-day placed by the row URL / reference."""
    full = parse_date(text)
    if full:
        return full
    # An impossible full date ("2023 年 2 月 29 日") holds no month-day to read either.
    full_spans = [m.span() for m in FULL_DATE_RE.finditer(text)]
    for match in PARTIAL_DATE_RE.finditer(text):
        if any(start <= match.start() < end for start, end in full_spans):
            continue
        month, day = int(match.group(1)), int(match.group(2))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        year_month = year_month_from_url(url)
        near = None
        if year_month:
            near = date_from_url(url) or make_date(year_month[0], year_month[1], 15)
        placed = place_partial(month, day, near=near, reference=reference)
        if placed:
            return placed
    return None
