"""TRS WCM (拓尔思) pages: static files published as index.html, index_1.html, ... whose
paging exists only as a script call, and articles at ./YYYYMM/tYYYYMMDD_ID.html.

Paging forms seen on real TRS sites:
  createPageHTML(total, current, "index", "html")                 current counts from 0
  createPageHTML('page_div', total, current, 'index', 'shtml', n) current from 0 or from 1
  var countPage = 21 / var currentPage = 0 plus document.write()  current counts from 0
A list whose current index counts from 1 names its second page name_2, not name_1.
Where the page also carries pager links (index_1.html), the links name the pages: a name guessed
from the script or the page's own file gives way to them.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from .dom import absolute_url
from .generic import GenericReader
from .page import ParsedPage
from .pagination import MAX_LISTED_PAGES, Pagination, stated_count

_CREATE_PAGE_RE = re.compile(
    r"createPageHTML\(\s*(?P<div>['\"][\w-]*['\"]\s*,\s*)?(?P<total>\d+)\s*,\s*(?P<current>\d+)\s*,"
    r"\s*['\"](?P<name>[\w.-]+)['\"]\s*,\s*['\"](?P<ext>\w+)['\"]"
)
_COUNT_PAGE_RE = re.compile(r"\bcountPage\s*=\s*(\d+)")
_CURRENT_PAGE_RE = re.compile(r"\bcurrentPage\s*=\s*(\d+)")
_ARTICLE_HREF_RE = re.compile(r"""href\s*=\s*["']?[^"'>\s]*/t\d{8}_\d+\.s?html?""", re.I)
_ARTICLE_URL_RE = re.compile(r"/t\d{8}_\d+\.s?html?$", re.I)
_EDITOR_RE = re.compile(r"class\s*=\s*[\"'][^\"']*\bTRS_Editor\b", re.I)
_PAGE_FILE_RE = re.compile(r"^(?P<name>.+?)(?:_(?P<number>\d+))?\.(?P<ext>s?html?)$", re.I)
_MIN_ARTICLE_LINKS = 3


def _page_file(url: str) -> tuple[str, int | None, str] | None:
    """(name, number suffix, extension) of a list page URL: index_2.shtml -> ("index", 2, "shtml")."""
    path = urlsplit(url).path
    filename = path.rsplit("/", 1)[-1] or "index.html"
    match = _PAGE_FILE_RE.match(filename)
    if not match:
        return None
    number = match.group("number")
    return match.group("name"), int(number) if number else None, match.group("ext")


def _counts_from_one(current: int, total: int, suffix: int | None, six_argument_form: bool) -> bool:
    """Whether the script numbers pages from 1 (second page name_2) rather than from 0."""
    if current == 0:
        return False
    if suffix is None or current >= total:
        return True  # the first page, or the last one, cannot say current >= 1 when counting from 0
    # On a middle page both schemes give name_k current k; the 6-argument form usually counts from 1.
    return six_argument_form


def _numbered_files(urls: list[str], page_url: str) -> list[tuple[str, int, str]]:
    """(name, number, extension) of the numbered list files (index_1.html …) beside the page."""
    folder = urlsplit(page_url).path.rsplit("/", 1)[0]
    return [
        found
        for url in urls
        if urlsplit(url).path.rsplit("/", 1)[0] == folder and (found := _page_file(url)) and found[1] is not None
    ]


def trs_pages(
    total: int,
    current: int,
    name: str,
    ext: str,
    *,
    page_url: str,
    base: str,
    six_argument_form: bool = False,
    linked: list[str] | None = None,
    anchors: list[str] | None = None,
) -> Pagination | None:
    """The other pages of a TRS list (first page name.ext is never listed), in page order.

    `linked` are the page's own pager links: they fix the file name. They and the page's other
    links (`anchors`) to numbered files of that name show whether numbering starts at 0 or 1.
    """
    if total <= 0:
        return None
    linked = linked or []
    pager_files = _numbered_files(linked, page_url)
    if pager_files:
        name, _, ext = pager_files[0]
    own = _page_file(page_url)
    suffix = own[1] if own and own[0] == name else None
    # Page files that exist settle the numbering: name_1 only when it starts at 0, name_total only at 1.
    known = {
        number
        for other, number, other_ext in _numbered_files(linked + (anchors or []), page_url)
        if (other, other_ext) == (name, ext)
    } | ({suffix} if suffix is not None else set())
    if total in known:
        from_one = True
    elif 1 in known:
        from_one = False
    else:
        from_one = _counts_from_one(current, total, suffix, six_argument_form)
    last = min(total, MAX_LISTED_PAGES + 1)
    numbers = range(2, last + 1) if from_one else range(1, last)
    pages = [urljoin(base, f"{name}_{n}.{ext}") for n in numbers if n != suffix]
    known = set(pages)
    return Pagination(pages + [url for url in linked if url not in known], total)


def trs_pagination(
    scripts: str, page_url: str, base: str, linked: list[str] | None = None, anchors: list[str] | None = None
) -> Pagination | None:
    """Paging written by createPageHTML(...) or the countPage/currentPage template variables."""
    call = _CREATE_PAGE_RE.search(scripts)
    if call:
        return trs_pages(
            stated_count(call["total"]),
            stated_count(call["current"]),
            call["name"],
            call["ext"],
            page_url=page_url,
            base=base,
            six_argument_form=call["div"] is not None,
            linked=linked,
            anchors=anchors,
        )
    count, current = _COUNT_PAGE_RE.search(scripts), _CURRENT_PAGE_RE.search(scripts)
    own = _page_file(page_url)
    if count and current and own:
        return trs_pages(
            stated_count(count.group(1)),
            stated_count(current.group(1)),
            own[0],
            own[2],
            page_url=page_url,
            base=base,
            linked=linked,
            anchors=anchors,
        )
    return None


class TrsReader(GenericReader):
    """TRS WCM: recognised by its pager script, its article URL shape or its TRS_Editor body."""

    name = "trs"

    def matches(self, page: ParsedPage) -> bool:
        if _CREATE_PAGE_RE.search(page.scripts) or (
            _COUNT_PAGE_RE.search(page.scripts) and _CURRENT_PAGE_RE.search(page.scripts)
        ):
            return True
        if _ARTICLE_URL_RE.search(urlsplit(page.url).path) or _EDITOR_RE.search(page.raw_text):
            return True
        return len(_ARTICLE_HREF_RE.findall(page.raw_text)) >= _MIN_ARTICLE_LINKS

    def pagination(self, page: ParsedPage) -> Pagination:
        linked = super().pagination(page)
        anchors = (
            [url for a in page.root.iter("a") if (url := absolute_url(a.get("href"), page.base))]
            if page.root is not None
            else []
        )
        scripted = trs_pagination(page.scripts, page.url, page.base, linked.next_pages, anchors)
        if scripted is None:
            return linked
        return Pagination(scripted.next_pages, scripted.total_pages, total_records=linked.total_records)
