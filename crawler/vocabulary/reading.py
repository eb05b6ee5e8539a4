"""What the crawler reads off one page: the contract between page readers and the rest.

Readers only extract; they never judge. Every field is what the page shows (or None).
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from datetime import date

# The page's <title> element as written (whitespace collapsed), kept among its meta tags under a name
# no <meta name> can clash with in practice: the stored title of an article is its heading, and the
# privacy rules read what the browser's tab shows too.
TITLE_TAG = "<title>"
# Characters of a <title> kept (a hostile page's title may be megabytes).
TITLE_TAG_MAX_CHARS = 2000


class LinkRegion(str, enum.Enum):
    """Where on the page a link stands: what the column's own content lists, or the page's chrome."""

    CONTENT = "content"  # the page's content: its list, a sub-column grid or tabs, the article
    CHROME = "chrome"  # navigation (site, left or sub navigation), header, footer, related boxes
    BREADCRUMB = "breadcrumb"  # the 当前位置 trail

    def __str__(self) -> str:
        return self.value

    __hash__ = str.__hash__


@dataclass(frozen=True)
class DatedValue:
    """A date together with where it was read from ("list", "meta", "body", "url", "header")."""

    value: date
    source: str


@dataclass(frozen=True)
class ListEntry:
    """One row of a column list: an item title, its absolute link and its date (if shown)."""

    title: str
    url: str
    date: date | None = None
    date_source: str | None = None


@dataclass(frozen=True)
class LinkRef:
    """A link the page makes: absolute url, visible text, and the tag/attribute it came from."""

    url: str
    text: str
    tag: str  # "a", "img", "script", "link", "iframe", "embed"
    region: str = LinkRegion.CONTENT


@dataclass(frozen=True)
class Crumb:
    """One step of the page's 当前位置 trail: its text, and its link (None for the current page)."""

    text: str
    url: str | None


@dataclass(frozen=True)
class FormRequest:
    """A POST a browser would make to load more of a list (e.g. Hanweb dataproxy.jsp)."""

    url: str
    formdata: dict[str, str]


@dataclass
class PageList:
    """One of the lists of a page that carries several (tabs, side-by-side boxes, a Hanweb
    datastore each): its rows and its own paging, named like the PageReading fields they feed."""

    list_items: list[ListEntry]
    next_pages: list[str] = field(default_factory=list)
    total_pages: int | None = None
    total_records: int | None = None
    more_requests: list[FormRequest] = field(default_factory=list)


@dataclass(frozen=True)
class HiddenLink:
    """A link a reader of the page cannot see, and how it hides (display:none, 字号为0, 脚本写入 …)."""

    url: str
    text: str
    how: str


@dataclass
class PageReading:
    url: str
    cms: str = "generic"
    encoding: str | None = None
    title: str | None = None
    publish_date: DatedValue | None = None
    written_date: date | None = None
    doc_number: str | None = None
    publisher: str | None = None
    index_number: str | None = None
    topic: str | None = None
    validity: str | None = None
    # Disclosure labels standing as labels, normalised to the four canonical forms
    # (此件公开发布 / 此件删减后公开 / 此件依申请公开 / 此件不公开), in page order, de-duplicated.
    labels: list[str] = field(default_factory=list)
    # The 公开方式/公开形式 field (主动公开 / 依申请公开 ...), which is not a label.
    disclosure_mode: str | None = None
    # The page's main list (a column list page), not navigation or side boxes; on a page with
    # several lists (see `lists`) the rows of all of them.
    list_items: list[ListEntry] = field(default_factory=list)
    # Each list of a page that carries two or more (惠企政策 / 惠民政策 tabs), with its own paging;
    # empty for a page with one list. The fields below then hold all lists' further pages and
    # requests, and the first list's stated counts.
    lists: list[PageList] = field(default_factory=list)
    # Every link on the page shown with a date in the same row, in any box (home-page news
    # boxes, side lists), not only the main list: the freshness of a home page is read here.
    dated_links: list[ListEntry] = field(default_factory=list)
    # Absolute URLs of the further pages of this list, in page order (page 2 first).
    next_pages: list[str] = field(default_factory=list)
    total_pages: int | None = None
    # The number of records the list says it holds (Hanweb totalrecord, "共N条"), if it says.
    total_records: int | None = None
    # POST requests that load further pages of this list (Hanweb jpage).
    more_requests: list[FormRequest] = field(default_factory=list)
    # The page states it has nothing to show (暂无信息 / 暂无数据 / 没有找到相关信息 ...).
    empty_notice: bool = False
    # The page's list box is empty and a script fills it from a source this reading cannot follow
    # (a bundled script, a URL built by concatenation): a browser shows rows that are not here.
    script_list: bool = False
    # Where the publisher was read: 发布机构 (the metadata field), 来源, ContentSource (a <meta>).
    publisher_from: str | None = None
    # Client-side redirect target (<meta http-equiv=refresh> or a one-line window.location).
    redirect_to: str | None = None
    # Every link on the page (a href, img/script/iframe src, link href), absolute, in order.
    links: list[LinkRef] = field(default_factory=list)
    # Links hidden from readers or written by a script, and how (the 暗链 check reads them).
    hidden_links: list[HiddenLink] = field(default_factory=list)
    # The 当前位置 / 您的位置 trail, home first (empty when the page shows none).
    breadcrumb: list[Crumb] = field(default_factory=list)
    # <meta name=... content=...> tags, names as written (SiteName, ColumnName, PubDate, ...), and
    # the <title> element under TITLE_TAG.
    meta_tags: dict[str, str] = field(default_factory=dict)
    # Visible text of the page's main content (scripts/styles/comments removed).
    text: str = ""

    def to_json(self) -> dict:
        """The `govaudit extract` JSON shape (dates as ISO strings, null where absent)."""
        raw = asdict(self)
        return {
            "cms": self.cms,
            "url": self.url,
            "encoding": self.encoding,
            "title": self.title,
            "publish_date": self.publish_date.value.isoformat() if self.publish_date else None,
            "publish_date_source": self.publish_date.source if self.publish_date else None,
            "written_date": self.written_date.isoformat() if self.written_date else None,
            "doc_number": self.doc_number,
            "publisher": self.publisher,
            "publisher_from": self.publisher_from,
            "index_number": self.index_number,
            "topic": self.topic,
            "validity": self.validity,
            "labels": list(self.labels),
            "disclosure_mode": self.disclosure_mode,
            "list_items": [
                {
                    "title": item.title,
                    "url": item.url,
                    "date": item.date.isoformat() if item.date else None,
                    "date_source": item.date_source,
                }
                for item in self.list_items
            ],
            "dated_links": [
                {"title": item.title, "url": item.url, "date": item.date.isoformat() if item.date else None}
                for item in self.dated_links
            ],
            "lists": [
                {
                    "list_items": len(part.list_items),
                    "next_pages": list(part.next_pages),
                    "total_pages": part.total_pages,
                    "total_records": part.total_records,
                }
                for part in self.lists
            ],
            "next_pages": list(self.next_pages),
            "total_pages": self.total_pages,
            "total_records": self.total_records,
            "more_requests": raw["more_requests"],
            "empty_notice": self.empty_notice,
            "redirect_to": self.redirect_to,
            "hidden_links": raw["hidden_links"],
            "breadcrumb": [{"text": crumb.text, "url": crumb.url} for crumb in self.breadcrumb],
        }
