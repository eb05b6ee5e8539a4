"""The rules' read-only view of one stored audit run.

The store builds a SiteSnapshot; rules judge from it and never fetch. Facts several rules share
(click depth, which pages make up a column, an item's date) are derived here once.
"""

from __future__ import annotations

import re
from array import array
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol
from urllib.parse import parse_qsl, urlsplit

from crawler.vocabulary.columns import LIST_ROLES, ColumnSpec, Evidence, MemberReason, PageRole
from crawler.vocabulary.items import ListCoverage
from crawler.vocabulary.reading import HiddenLink
from rules.registers import Registers
from rules.settings import Settings

# What an error page says when a server answers 200 anyway (a "soft" error).
ERROR_PAGE = re.compile(
    r"(404\s*not\s*found|页面不存在|页面未找到|找不到(该|此)?页面|服务器(内部)?错误|internal server error|"
    r"service (temporarily )?unavailable|网站(正在)?维护|系统维护中|访问出错|网站已关闭|网站暂停访问|bad gateway)",
    re.IGNORECASE,
)
# A real home page says far more than an error page does.
ERROR_PAGE_MAX_CHARS = 400


@dataclass(frozen=True, slots=True)  # one per stored page / row / anchor
class PageView:
    url: str
    final_url: str | None
    status: int | None
    error: str | None
    content_type: str | None
    title: str | None
    publish_date: date | None
    doc_number: str | None
    publisher: str | None
    labels: tuple[str, ...]
    is_list: bool
    empty_notice: bool
    redirect_to: str | None = None
    written_date: date | None = None
    index_number: str | None = None
    topic: str | None = None
    validity: str | None = None
    disclosure_mode: str | None = None
    # Where publish_date was read: "meta", "body", "list" or "url" (a URL date is only a guess).
    publish_date_source: str | None = None
    # False for a fetched attachment or other non-HTML resource.
    is_html: bool = True
    # Fetched but not read: 未能读取（超时） / 未能读取（过大） (crawler.crawl.budget).
    unread: str | None = None

    @property
    def fetched_ok(self) -> bool:
        return _answered(self.status, self.error)

    @property
    def failure(self) -> str:
        """Why the fetch failed, in words for a report ("" when it did not)."""
        return _failure(self.status, self.error)


@dataclass(frozen=True, slots=True)  # one per stored page / row / anchor
class ItemView:
    """A list row: where it is listed, its title, target and the date the list shows."""

    page_url: str
    title: str
    url: str
    date: date | None


# Link texts naming a 政府信息公开 platform (not one of its columns): 政府信息公开, 丁县政务公开平台.
_PLATFORM_ANCHOR_RE = re.compile(r"^\S{0,8}(?:政府信息公开|信息公开|政务公开)(?:平台|网|专栏|专题)?$")


def _url_depth(url: str) -> int:
    """How many folders deep a URL's path lies (/xxgk/index.html: 1)."""
    return urlsplit(url).path.rstrip("/").count("/")


def _squeezed_text(text: str) -> str:
    """A link text as one line: its runs of white space made one space."""
    return " ".join((text or "").split())


def _squeezed(text: str) -> str:
    return re.sub(r"[\s\u3000【】\[\]（）()]+", "", text or "")


@dataclass(frozen=True)
class LinkView:
    """A link as stored: the page it is on, its absolute target, text and tag (a, img, script…)."""

    from_url: str
    to_url: str
    text: str
    tag: str
    on_site: bool


@dataclass(frozen=True)
class CheckView:
    """How a link target that was checked (not fetched as a page) answered."""

    url: str
    status: int | None
    error: str | None

    @property
    def ok(self) -> bool:
        return _answered(self.status, self.error)

    @property
    def failure(self) -> str:
        return _failure(self.status, self.error)


def _answered(status: int | None, error: str | None) -> bool:
    return error is None and status is not None and status < 400


def _failure(status: int | None, error: str | None) -> str:
    """Why a request failed, in words for a report ("" when it did not)."""
    if _answered(status, error):
        return ""
    if status is not None and status >= 400:
        return f"HTTP {status}"
    return error or "未能访问"


class StoredContent(Protocol):
    """Reads the bulky parts of a stored run on demand, so a snapshot of a big portal stays small."""

    def text_of(self, url: str) -> str: ...

    def meta_tags_of(self, url: str) -> dict[str, str]: ...

    def links_from(self, url: str) -> list[LinkView]: ...

    def links_to(self, url: str) -> list[LinkView]: ...

    def offsite_links(self) -> list[LinkView]:
        """Every stored link to another host (few beside the on-site ones: read at once)."""
        ...


@dataclass(frozen=True, slots=True)  # one per stored page / row / anchor
class Anchor:
    from_url: str
    to_url: str
    text: str
    on_site: bool


@dataclass(frozen=True, slots=True)  # one per column page
class MemberStep:
    """How the crawler reached a column's page: in which role, from which page, and why it belongs
    (crawler.vocabulary.columns.MemberReason; None on rows stored before reasons were kept)."""

    role: str
    via: str | None
    reason: str | None


# How a 督查室 clerk is told why a page belongs to its column.
_REASON_WORDS = {
    MemberReason.BREADCRUMB: "当前位置经过该栏目",
    MemberReason.PATH: "网址位于该栏目目录下",
    MemberReason.FRAME: "嵌在栏目页中",
}
# Steps followed back towards the column's index at most (a guard against a broken chain).
_MAX_TRAIL = 12


@dataclass(frozen=True)
class ColumnEntry:
    """A page that a link naming the column points to, and its distance from home in clicks."""

    url: str
    clicks: int | None
    on_site: bool
    anchor_text: str


@dataclass(frozen=True)
class HomeCopy:
    """A home page as one run stored it: its visible text lines and the hosts it links to."""

    run_id: int
    as_of: date
    lines: tuple[str, ...]
    outbound_hosts: frozenset[str]


@dataclass(frozen=True, slots=True)  # one per stored probe of the period
class ProbeView:
    """One availability probe of the home page by `govaudit watch`: when (UTC), whether it opened
    within the probe timeout (2xx/3xx), and why not."""

    probed_at: datetime
    up: bool
    seconds: float | None
    failure: str | None


# Steps followed back from a page towards home when naming its click path (a guard, not a limit
# a real portal reaches: the columns that matter lie a few clicks deep).
_MAX_PATH = 12
HOME_NAME = "首页"


class LinkGraph:
    """The stored on-site links that make the click graph, as integer ids.

    A 20k-page portal holds half a million of them (nav and footer repeat on every page): a set of
    (target, is_click) tuples per page cost ~17 MB there, ids and one int array per page ~5 MB.
    An edge is coded as target id * 2 + is_click; duplicates are dropped when the graph is first read.
    """

    __slots__ = ("_ids", "_urls", "_out", "_deduped")

    def __init__(self):
        self._ids: dict[str, int] = {}
        self._urls: list[str] = []
        self._out: dict[int, array] = {}
        self._deduped = True

    def add(self, from_url: str, to_url: str, is_click: bool) -> None:
        out = self._out.get(source := self._id(from_url))
        if out is None:
            out = self._out[source] = array("i")
        out.append(self._id(to_url) << 1 | bool(is_click))
        self._deduped = False

    def targets(self, url: str) -> Iterator[tuple[str, bool]]:
        """(target, is_click) of each distinct link on the page at `url`."""
        if not self._deduped:
            self._out = {source: array("i", sorted(set(out))) for source, out in self._out.items()}
            self._deduped = True
        source = self._ids.get(url)
        for code in self._out.get(source, ()) if source is not None else ():
            yield self._urls[code >> 1], bool(code & 1)

    def _id(self, url: str) -> int:
        known = self._ids.get(url)
        if known is None:
            known = self._ids[url] = len(self._urls)
            self._urls.append(url)
        return known


@dataclass
class SiteSnapshot:
    site_url: str
    as_of: date
    scope: str | None
    config: Settings
    pages: dict[str, PageView] = field(default_factory=dict)
    # Stored links that cost a click (a href) and those that do not (paging, client redirects).
    edges: LinkGraph = field(default_factory=LinkGraph)
    anchors: dict[str, list[Anchor]] = field(default_factory=lambda: defaultdict(list))
    members: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    # (column key, url) → the pages the crawler was on when it followed `url` for that column.
    member_via: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    # (column key, url) → how the crawler first reached the page for that column.
    member_how: dict[tuple[str, str], MemberStep] = field(default_factory=dict)
    main_items: dict[str, list[ItemView]] = field(default_factory=lambda: defaultdict(list))
    dated_links: dict[str, list[ItemView]] = field(default_factory=lambda: defaultdict(list))
    checks: dict[str, CheckView] = field(default_factory=dict)
    # column key → how much of each of its lists was read.
    list_reads: dict[str, list[ListCoverage]] = field(default_factory=lambda: defaultdict(list))
    # What is wrong with the HTTPS certificate of the home host; None when it verifies or is not HTTPS.
    certificate_problem: str | None = None
    # robots.txt forbade the auditor the whole site; the crawl read it all the same.
    robots_forbidden: bool = False
    # page URL → links on it that readers cannot see, or that a script writes (possible 暗链).
    hidden_links: dict[str, list[HiddenLink]] = field(default_factory=lambda: defaultdict(list))
    # The home page as the previous quarter's run stored it (None for a first audit).
    previous_home: HomeCopy | None = None
    # The home-page probes `govaudit watch` stored over the run's period, oldest first (empty when
    # nothing was watching): site.unreachable judges availability by them the national way.
    probes: tuple[ProbeView, ...] = ()
    # The office's registers of the run's quarter (政务新媒体, 12345, 网民留言), imported, not crawled.
    registers: Registers = field(default_factory=Registers)
    content: StoredContent | None = None
    _clicks: dict[str, int] | None = None
    _memberships: dict[str, frozenset[tuple[str, str]]] | None = None
    _page_numbers: dict[str, dict[str, int]] = field(default_factory=dict)
    _platforms: dict[int, list[str]] = field(default_factory=dict)

    # -- the site -------------------------------------------------------------------------

    @property
    def home(self) -> PageView | None:
        return self.pages.get(self.site_url)

    def home_chain(self) -> list[PageView]:
        """The home page and the pages its client-side redirects lead to, in order."""
        chain: list[PageView] = []
        page = self.home
        while page is not None and page not in chain:
            chain.append(page)
            page = self.pages.get(page.redirect_to) if page.redirect_to else None
        return chain

    def home_failure(self) -> tuple[str, str] | None:
        """(reason, evidence) when the home page does not work, None when it does: no answer,
        an error status along its redirects, or a 200 answer that is only an error text."""
        chain = self.home_chain()
        if not chain:
            return "未得到任何响应", self.site_url
        for page in chain:
            if not page.fetched_ok:
                return page.failure, f"{page.url} → {page.failure}"
        text = " ".join(self.text_of(chain[-1].url).split())
        if len(text) <= ERROR_PAGE_MAX_CHARS and ERROR_PAGE.search(text):
            return "返回错误页面", f"{chain[-1].url}（HTTP 200）：{text[:120]}"
        return None

    def clicks(self) -> dict[str, int]:
        """Shortest click distance of every reached URL from home (paging and redirects are free)."""
        if self._clicks is None:
            dist = {self.site_url: 0}
            queue: deque[str] = deque([self.site_url])
            while queue:
                url = queue.popleft()
                for target, is_click in self.edges.targets(url):
                    step = dist[url] + (1 if is_click else 0)
                    if step < dist.get(target, step + 1):
                        dist[target] = step
                        # 0-1 BFS: free edges go to the front so distances stay shortest.
                        (queue.append if is_click else queue.appendleft)(target)
            self._clicks = dist
        return self._clicks

    def click_path(self, url: str) -> tuple[str, ...] | None:
        """The link texts a reader clicks from the home page to reach `url` along a shortest path,
        home first (首页, 政务服务, 办事指南); None for a page not reached from home. Paging and
        client redirects cost no click and add no step."""
        clicks = self.clicks()
        if url not in clicks:
            return None
        texts: list[str] = []
        current, seen = url, {url}
        while current != self.site_url and len(seen) <= _MAX_PATH:
            depth = clicks[current]
            # Of the pages one click nearer that link here, the one a reader would take: home itself,
            # else the shallowest address (a column's index, not an article whose navigation links it).
            steps = sorted(
                (
                    clicks[link.from_url] == depth,
                    link.from_url != self.site_url,
                    _url_depth(link.from_url),
                    link.from_url,
                    _squeezed_text(link.text),
                )
                for link in self.links_to(current)
                if link.on_site and link.from_url not in seen and clicks.get(link.from_url) in (depth - 1, depth)
            )
            if not steps:
                return None
            free, _, _, source, text = steps[0]
            if not free:
                texts.append(text or self._title_or_url(current))
            current = source
            seen.add(source)
        return (HOME_NAME, *reversed(texts)) if current == self.site_url else None

    def entry_path(self, key: str, entry: ColumnEntry) -> str | None:
        """The click path to a column's linked page in words (首页 › 政务服务 › 行政许可事项清单):
        the path to the page carrying the link, then the link's own text."""
        clicks = self.clicks()
        sources = sorted(
            (
                clicks[anchor.from_url],
                anchor.from_url != self.site_url,
                _url_depth(anchor.from_url),
                anchor.from_url,
                anchor.text,
            )
            for anchor in self.anchors.get(key, ())
            if anchor.to_url == entry.url and anchor.from_url in clicks
        )
        for *_, source, text in sources:
            path = self.click_path(source)
            if path is not None:
                return " › ".join((*path, _squeezed_text(text) or entry.anchor_text))
        return None

    def column_path(self, key: str) -> str | None:
        """The click path to the column as the public finds it (column_index), in words."""
        entry = self.column_index(key)
        return self.entry_path(key, entry) if entry is not None else None

    def with_column_path(self, key: str, evidence: str) -> str:
        """A column finding's evidence followed by the click path to the column, when known."""
        path = self.column_path(key)
        return f"{evidence}；点击路径：{path}" if path else evidence

    def _title_or_url(self, url: str) -> str:
        page = self.pages.get(url)
        return page.title if page is not None and page.title else url

    def unread_pages(self) -> list[tuple[str, str]]:
        """(URL, why) of every page and attachment fetched but not read, in URL order."""
        return sorted((url, page.unread) for url, page in self.pages.items() if page.unread)

    def unread_near_home(self, max_clicks: int) -> list[str]:
        """On-site pages fewer than `max_clicks` clicks from home that the run neither fetched nor
        checked (the page cap stopped the crawl, robots.txt kept it out): a column they link to
        could lie within reach unseen."""
        return sorted(
            url
            for url, clicks in self.clicks().items()
            if clicks < max_clicks and url not in self.pages and url not in self.checks
        )

    def offsite_platforms_near_home(self, max_clicks: int) -> list[str]:
        """Pages on another host, linked fewer than `max_clicks` clicks from home under a 政府信息公开
        platform's name (政府信息公开, 信息公开平台, 政务公开…): counties often run it as its own
        sub-site (xxgk.x.gov.cn), whose columns the crawler, staying on the site, does not see."""
        if max_clicks not in self._platforms:
            # Asked for each column of the bulletin's table: walked once, from the off-site links alone
            # (a page-by-page walk of the pages near home read thousands of link lists every time).
            clicks = self.clicks()
            found: dict[str, None] = {}
            offsite = self.content.offsite_links() if self.content is not None else []
            for link in offsite:
                if (
                    link.tag == "a"
                    and clicks.get(link.from_url, max_clicks) < max_clicks
                    and link.from_url in self.pages
                    and _PLATFORM_ANCHOR_RE.match(_squeezed(link.text))
                ):
                    found.setdefault(link.to_url, None)
            self._platforms[max_clicks] = list(found)
        return self._platforms[max_clicks]

    def target_failure(self, url: str) -> str | None:
        """Why a link target did not work ("" when it did; None when it was neither fetched nor checked)."""
        page = self.pages.get(url)
        if page is not None:
            return page.failure
        check = self.checks.get(url)
        return check.failure if check is not None else None

    def text_of(self, url: str) -> str:
        """The stored visible text of a page, or of an attachment's contents ("" when none)."""
        return self.content.text_of(url) if self.content is not None else ""

    def meta_tags_of(self, url: str) -> dict[str, str]:
        """The page's <meta name=… content=…> tags as stored (read on demand: a dict per page held
        for a 20k-page run costs ~8 MB)."""
        return self.content.meta_tags_of(url) if self.content is not None else {}

    def links_from(self, url: str) -> list[LinkView]:
        """Every link stored for the page at `url` (on-site and off-site, any tag), in page order."""
        return self.content.links_from(url) if self.content is not None else []

    def links_to(self, url: str) -> list[LinkView]:
        """Every stored link whose target is `url`."""
        return self.content.links_to(url) if self.content is not None else []

    # -- what the run read ----------------------------------------------------------------

    def reads(self, evidence: Evidence) -> bool:
        """Whether this run read what a rule needing `evidence` must see. A full audit reads the
        whole site; a one-column check reads its column, what its pages link to and the pages near
        home — and what a support column supplies only when it found and opened one."""
        if self.scope is None or evidence == Evidence.AUDITED:
            return True
        return any(spec.supplies == evidence and self.support_index(spec.key) for spec in self.config.columns)

    def support_index(self, key: str) -> str | None:
        """The page of a support column the run opened as a list (not a lone article that a link
        reading 政策解读 led to), None when it found none."""
        for url, role in self.members.get(key, ()):
            page = self.pages.get(url)
            if (
                role == PageRole.INDEX
                and page is not None
                and page.fetched_ok
                and page.is_html
                and (page.is_list or page.empty_notice or self.main_items.get(url))
            ):
                return url
        return None

    # -- required columns -----------------------------------------------------------------

    def audited_columns(self) -> Iterator[ColumnSpec]:
        """The required columns this run audits: all of them, or the one it was scoped to."""
        for spec in self.config.columns:
            if spec.required and (self.scope is None or spec.key == self.scope):
                yield spec

    def column_entries(self, key: str) -> list[ColumnEntry]:
        """Pages linked under the column's name, nearest to home first."""
        clicks = self.clicks()
        best: dict[str, ColumnEntry] = {}
        for anchor in self.anchors.get(key, ()):
            depth = clicks.get(anchor.to_url)
            if depth is None and anchor.from_url in clicks:
                depth = clicks[anchor.from_url] + 1
            entry = ColumnEntry(anchor.to_url, depth, anchor.on_site, anchor.text)
            known = best.get(entry.url)
            if known is None or _nearer(entry, known):
                best[entry.url] = entry
        return sorted(best.values(), key=lambda e: (e.clicks is None, e.clicks or 0, e.url))

    def column_index(self, key: str) -> ColumnEntry | None:
        """The column as the public finds it: the nearest linked page within max_clicks that
        opens (a page on another host counts as found; the crawler does not fetch it)."""
        for entry in self.column_entries(key):
            if entry.clicks is None or entry.clicks > self.config.crawl.max_clicks:
                continue
            page = self.pages.get(entry.url)
            if not entry.on_site or (page is not None and page.fetched_ok):
                return entry
        return None

    def column_list_pages(self, key: str) -> list[str]:
        """The column's index, sub-column and further list pages the crawler followed."""
        seen: dict[str, None] = {}
        for url, role in self.members.get(key, ()):
            if role in LIST_ROLES:
                seen.setdefault(url, None)
        return list(seen)

    def column_items(self, key: str) -> list[ItemView]:
        """Every row listed on any of the column's list pages (sub-columns included)."""
        return [item for url in self.column_list_pages(key) for item in self.main_items.get(url, ())]

    def list_gaps(self, key: str) -> list[ListCoverage]:
        """The column's lists that were read short of what they declare (coverage gaps)."""
        return [read for read in self.list_reads.get(key, ()) if not read.complete]

    def read_short(self, key: str, url: str) -> bool:
        """Whether the list whose first page is `url` was read short for column `key`."""
        return any(read.url == url for read in self.list_gaps(key))

    def item_date(self, item: ItemView) -> date | None:
        """The date a list shows for an item, else the publish date its own page states."""
        if item.date is not None:
            return item.date
        page = self.pages.get(item.url)
        return page.publish_date if page is not None else None

    def newest(self, items: Iterable[ItemView]) -> tuple[ItemView, date] | None:
        """The item with the latest date up to as-of (not the first row: pinned rows come first).

        Dates after as-of are left out: an audit of a past quarter sees what existed then.
        """
        dated = [(item, d) for item in items if (d := self.item_date(item)) is not None and d <= self.as_of]
        if not dated:
            return None
        return max(dated, key=lambda pair: pair[1])

    def dated_columns(self) -> Iterator[tuple[ColumnSpec, ColumnEntry, ItemView, date]]:
        """Each audited column that was found and crawled, with its newest dated item; columns
        on another host, not found, or without any date are left out (nothing to judge by)."""
        for spec in self.audited_columns():
            entry = self.column_index(spec.key)
            if entry is None or not entry.on_site:
                continue
            newest = self.newest(self.column_items(spec.key))
            if newest is not None:
                yield spec, entry, newest[0], newest[1]

    def audited_pages(self) -> Iterator[PageView]:
        """Pages in this run's scope: all of them, or the pages of the one audited column."""
        if self.scope is None:
            yield from self.pages.values()
            return
        urls = {url for url, _ in self.members.get(self.scope, ())}
        for url in urls:
            page = self.pages.get(url)
            if page is not None:
                yield page

    def memberships(self, url: str) -> frozenset[tuple[str, str]]:
        """The (required column key, role) pairs the crawler followed `url` for. A support column's
        pages are left out: a 解读 its column links by the text 政策解读 is still an article."""
        if self._memberships is None:
            required = {spec.key for spec in self.config.columns if spec.required}
            index: dict[str, set[tuple[str, str]]] = defaultdict(set)
            for key, rows in self.members.items():
                if key not in required:
                    continue
                for member_url, role in rows:
                    index[member_url].add((key, role))
            self._memberships = {url: frozenset(pairs) for url, pairs in index.items()}
        return self._memberships.get(url, frozenset())

    def column_of(self, url: str) -> str | None:
        """The required column a page belongs to (the first by key when several list it)."""
        keys = sorted({key for key, _ in self.memberships(url)})
        return keys[0] if keys else None

    def membership_note(self, url: str, column: str | None = None) -> str | None:
        """Why the page was judged part of a required column, for a clerk: the chain from the
        column's index to the page and the reason of each step that is not a plain listing, e.g.
        所属栏目：规章和行政规范性文件库 › 县政府规范性文件 › 第2页（列表条目）. None for the index
        itself and for pages of no required column."""
        key = column if column is not None and (column, url) in self.member_how else self.column_of(url)
        first = self.member_how.get((key, url)) if key is not None else None
        if first is None or first.role == PageRole.INDEX:
            return None
        names: list[str] = []
        reasons: list[str] = []
        current, step, seen = url, first, {url}
        while step is not None and step.role != PageRole.INDEX and len(seen) <= _MAX_TRAIL:
            if step.role != PageRole.ITEM:
                name = self._step_name(key, current, step)
                names.append(name)
                if step.reason in _REASON_WORDS:
                    reasons.append(f"{name}：{_REASON_WORDS[step.reason]}")
            if step.via is None or step.via in seen:
                break
            seen.add(step.via)
            current, step = step.via, self.member_how.get((key, step.via))
        names.append(self.config.column(key).name)
        why = ["列表条目"] if first.role == PageRole.ITEM else []
        return f"所属栏目：{' › '.join(reversed(names))}（{'；'.join(why + reasons) or '栏目页列出'}）"

    def _step_name(self, key: str, url: str, step: MemberStep) -> str:
        if step.role == PageRole.PAGING:
            query = {name.lower(): value for name, value in parse_qsl(urlsplit(url).query)}
            if query.get("startrecord", "").isdigit() and query.get("endrecord", "").isdigit():
                return f"第{query['startrecord']}–{query['endrecord']}条"
            return f"第{self._page_number(key, url)}页"
        page = self.pages.get(url)
        return page.title if page is not None and page.title else url

    def _page_number(self, key: str, url: str) -> int:
        """The number of a further list page: further pages are asked for in order, so its place
        among the further pages of the same list (the list page they lead back to) counts."""
        if key not in self._page_numbers:
            counts: dict[str, int] = defaultdict(int)
            numbers: dict[str, int] = {}
            for member, role in self.members.get(key, ()):
                if role == PageRole.PAGING and member not in numbers:
                    root = self._list_root(key, member)
                    counts[root] += 1
                    numbers[member] = counts[root] + 1
            self._page_numbers[key] = numbers
        return self._page_numbers[key].get(url, 2)

    def _list_root(self, key: str, url: str) -> str:
        """The first page of the list a further page belongs to."""
        seen = {url}
        step = self.member_how.get((key, url))
        while step is not None and step.role == PageRole.PAGING and step.via is not None and step.via not in seen:
            url = step.via
            seen.add(url)
            step = self.member_how.get((key, url))
        return url


def _nearer(entry: ColumnEntry, known: ColumnEntry) -> bool:
    if entry.clicks is None:
        return False
    return known.clicks is None or entry.clicks < known.clicks
