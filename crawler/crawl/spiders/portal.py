"""The portal spider: fetches a county portal from its home page and reads every page.

It only fetches and extracts. It follows on-site links breadth-first, and follows each required
column (found by the link text naming it) through its sub-columns, list paging and items,
whatever their depth — the audited ones, and the support columns (政策解读) in every run.
Everything it reads goes to the store; the rules judge later.
"""

from __future__ import annotations

import hashlib
import re
import sys
import threading
import zlib
from collections import defaultdict
from collections.abc import AsyncIterator, Iterator
from typing import Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest, StopDownload
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import IGNORED_EXTENSIONS
from scrapy.utils.asyncio import run_in_thread
from scrapy.utils.misc import load_object
from twisted.python.failure import Failure

from crawler.crawl.attachments import allowance_charge, attachment_text
from crawler.crawl.budget import TOO_BIG, Outcome, ReaderPool
from crawler.crawl.coverage import ListTracker, failed_reason, limit_reason, nothing_new_reason
from crawler.crawl.middlewares import InternalAddressRefused
from crawler.crawl.render import PageRenderer
from crawler.crawl.revalidate import StoredCopies, conditional_headers
from crawler.crawl.settings import USER_AGENT
from crawler.crawl.tls import certificate_problem
from crawler.reading import FormRequest, LinkRegion, PageList, PageReading, read_page
from crawler.reading.regions import page_form
from crawler.vocabulary.columns import LIST_ROLES, MemberReason, PageRole, normalise_anchor
from crawler.vocabulary.items import (
    FAILED,
    READ,
    RECHECK,
    REFUSED,
    Answered,
    CertificateCheck,
    CheckedLink,
    ColumnMembership,
    FetchedPage,
    RobotsRefusal,
    UnchangedPage,
)
from crawler.vocabulary.urls import canonical_url
from crawler.vocabulary.urls import url_port as _port

# Links to files the spider records but does not fetch as pages.
_NOT_PAGES = frozenset(f".{ext}" for ext in IGNORED_EXTENSIONS) | {".ofd", ".wps", ".et", ".dps", ".ceb"}
# Documents whose text is read (personal data can leak through them): fetched whole.
_DOCUMENTS = frozenset({".pdf", ".doc", ".docx", ".xls", ".xlsx", ".csv", ".txt", ".wps", ".et", ".ofd"})
# A column index at a folder's index file: pages under that folder are the column's.
_INDEX_FILE = re.compile(r"^(?:index|default)\.\w+$", re.I)
# How far below a column's index page its sub-column tree is followed.
_MAX_SUB_LEVEL = 2
# Bodies are cut here, keeping what was read: a 50 MB page or attachment must not stall the audit.
PAGE_CAP = 5 * 1024 * 1024
DOCUMENT_CAP = 20 * 1024 * 1024
# Error answers reach the spider to be stored; redirects (3xx) are still followed by Scrapy.
ERROR_STATUSES = list(range(400, 600))
# How Scrapy's RobotsTxtMiddleware says a URL is excluded (other IgnoreRequests are failures).
ROBOTS_REFUSAL = "Forbidden by robots.txt"
REDIRECT_LIMIT = "max redirections reached"
# Link checks wait until the pages near them are fetched.
_CHECK_PRIORITY = -1000
# Further pages of one list asked for ahead of those read: the crawl stops soon after a list's
# server stops answering or sends nothing new, whatever page count the list states.
_PAGES_AHEAD = 4
USAGE = (
    "用法 / usage: scrapy crawl portal -a url=http://网站首页/ [-a column=栏目代码] [-a config=配置.yaml]"
    "（须为 http:// 或 https:// 网址 / an http(s) URL is required）"
)
# What an answer leaves in its request's meta: asking again starts without it.
_ANSWER_META = frozenset({"received_bytes", "truncated", "unread", "stored_copy", "left_site", "dont_redirect"})
# The first page of the n-th list of a page that carries several: "…/lqhm/#list2" (the first list
# keeps the page's own URL, as a page with one list does).
_LIST_MARK = "#list"


def list_key(first_page: str, number: int) -> str:
    """What the n-th list of a page is tracked and recorded under."""
    return first_page if number == 1 else f"{first_page}{_LIST_MARK}{number}"


def page_key(url: str) -> str:
    """The URL a page is stored and de-duplicated under (see crawler.vocabulary.urls)."""
    return canonical_url(url)


def _extension(path: str) -> str:
    path = path.lower()
    dot = path.rfind(".")
    return path[dot:] if dot > path.rfind("/") else ""


def looks_like_page(url: str) -> bool:
    return _extension(urlsplit(url).path) not in _NOT_PAGES


def looks_like_document(url: str) -> bool:
    """A downloadable document: by its path, or by the file name a download script is given
    (downfile.jsp?filename=规定.pdf)."""
    parts = urlsplit(url)
    if _extension(parts.path) in _DOCUMENTS:
        return True
    return any(_extension(value) in _DOCUMENTS for _, value in parse_qsl(parts.query))


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(
        self,
        url: str,
        column: str | None = None,
        config: object | None = None,
        resumed_run: ReplaySource | None = None,
        stored_copies: StoredCopies | None = None,
        stored_run: StoredReadings | None = None,
        helping: bool = False,
        recheck: tuple[str, ...] = (),
        **kwargs,
    ):
        super().__init__(**kwargs)
        # Pages the previous run reported problems on: asked for again whether or not the crawl
        # reaches them, so a page taken down (404/410) is known to be gone, not merely unseen.
        self.recheck = recheck
        # The audit's settings (columns, crawl limits) come from whoever runs the crawl: the
        # govaudit run passes them, `scrapy crawl` loads them through GOVAUDIT_CONFIG_LOADER.
        self.audit_config = config
        if column is not None:
            self.audit_config.column(column)  # KeyError for an unknown column key
        self.start_url = page_key(url)
        self.scope = column
        limits = self.audit_config.crawl
        # A column audit only needs the pages that can hold the column's link.
        self.generic_depth = limits.max_clicks - 1 if column else limits.max_depth
        self.site_hosts = {(urlsplit(self.start_url).hostname or "").lower(), *limits.site_hosts}
        # Only the audited host's port is crawled (both web ports when it is on a default one): a page
        # linking :8080 or :6379 of the same host makes that a link to check, not a site to crawl.
        start_port = _port(self.start_url)
        self.site_ports = {80, 443} if start_port in (80, 443) else {start_port}
        # Helping another process crawl the site (crawler.crawl.shared): fetch, read and store the requests
        # taken from the shared frontier, and leave what to follow to the process that owns the run.
        self.helping = helping
        # robots.txt forbids the home page: the site is audited anyway (see on_error).
        self.robots_forbid_site = (resumed_run is not None and resumed_run.robots_forbidden) or (
            helping and stored_run is not None and stored_run.robots_forbidden
        )
        self.home_links: frozenset[str] = frozenset()
        self._requested: set[tuple[str, str | None, str]] = set()
        # Every URL fetched (or to be fetched) for itself: it needs no separate link check.
        self._fetched: set[str] = set()
        self._checked: set[str] = set()
        self._members: set[tuple[str, str, str]] = set()
        # Per column: its list pages (index, sub-columns, paging; as page_form) and the folders its
        # indexes stand for.
        self._column_lists: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
        self._column_folders: dict[str, set[str]] = defaultdict(set)
        # Entries of the audited columns: the pages they link to are read too (a 解读 linked as
        # 「图解」 may lie outside every column), though not followed further.
        self._entries: set[str] = set()
        self.lists = ListTracker()
        # Resuming an interrupted run: what it already stored is read back, not fetched again.
        self.resumed_run = resumed_run
        # The run as stored so far: a replayed page is read back from it.
        self.stored_run = stored_run if stored_run is not None else resumed_run
        # An earlier audit's copies: pages are asked for conditionally, a 304 reuses the copy.
        self.stored_copies = stored_copies
        # Reader processes, started with the crawl (crawler.crawl.budget).
        self.readers: ReaderPool | None = None
        self._inflated_left = limits.attachments_inflated_mb * 1024 * 1024
        # List pages a script fills, rendered in a browser (crawler.crawl.render).
        self._unrendered: dict[str, str] = {}
        self.renderer = PageRenderer(limits.render_pages, limits.render_seconds, USER_AGENT)
        self._inflated_lock = threading.Lock()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        url = kwargs.get("url", args[0] if args else None)
        if not isinstance(url, str) or _port(url) is None or not urlsplit(url).hostname:
            # `scrapy crawl portal` typed by hand: say how to call it, not a TypeError from inside Scrapy.
            sys.stderr.write(USAGE + ("" if url is None else f"（网址 / url: {url!r}）") + "\n")
            raise SystemExit(2)
        config = kwargs.get("config")
        if config is None or isinstance(config, str):
            loader = crawler.settings.get("GOVAUDIT_CONFIG_LOADER")
            if not loader:
                raise ValueError("GOVAUDIT_CONFIG_LOADER is not set: run the spider from the govaudit project")
            kwargs["config"] = load_object(loader)(config)
        column = kwargs.get("column")
        known = [spec.key for spec in kwargs["config"].columns]
        if column is not None and column not in known:
            sys.stderr.write(f"{USAGE}（未知栏目 / unknown column: {column!r}；可用 / known: {'、'.join(known)}）\n")
            raise SystemExit(2)
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._bound_body, signal=signals.headers_received)
        crawler.signals.connect(spider._cap_body, signal=signals.bytes_received)
        crawler.signals.connect(spider._close_readers, signal=signals.spider_closed)
        return spider

    def _close_readers(self, spider) -> None:
        if self.readers is not None:
            self.readers.close()

    def _bound_body(self, headers, body_length, request, spider) -> None:
        """A link check needs the status line only: stop once the headers are in."""
        if request.meta.get("check"):
            raise StopDownload(fail=False)

    def _cap_body(self, data, request, spider) -> None:
        received = request.meta.get("received_bytes", 0) + len(data)
        request.meta["received_bytes"] = received
        if received > request.meta.get("body_cap", PAGE_CAP):
            request.meta["truncated"] = True
            raise StopDownload(fail=False)

    async def start(self) -> AsyncIterator[object]:
        limits = self.audit_config.crawl
        self.readers = ReaderPool(limits.readers, limits.read_seconds, limits.read_memory_mb)
        if self.helping:
            return  # a helper only takes what the run's owner asked for
        request = self._request(self.start_url, clicks=0, column=None, role=PageRole.HOME)
        if request is not None:
            yield request
        parts = urlsplit(self.start_url)
        if parts.scheme == "https":
            problem = await run_in_thread(
                certificate_problem, parts.hostname, parts.port or 443, self.audit_config.crawl.timeout
            )
            yield CertificateCheck(parts.hostname, problem)
        for url in self.recheck:
            if self._on_site(page_key(url)):
                yield self._check_request(page_key(url), "GET", recheck=True)

    # -- requests --------------------------------------------------------------------------

    def _request(
        self,
        url: str,
        *,
        clicks: int,
        column: str | None,
        role: str,
        via: str | None = None,
        exclude: frozenset[str] = frozenset(),
        sub_level: int = 0,
        list_root: str | None = None,
    ) -> scrapy.Request | None:
        """A request for `url` in `role`, unless one was already made for the same purpose."""
        url = page_key(url)
        key = (url, column, role if column else PageRole.PAGE)
        if key in self._requested:
            return None
        self._requested.add(key)
        self._fetched.add(url)
        replay = self.resumed_run is not None and self.resumed_run.has_read(url)
        if self.resumed_run is not None and not replay and self.resumed_run.has_stored(url):
            return None  # an error or a document the interrupted run already stored
        options = _page_request(clicks, column, role, via, exclude, sub_level, replay, list_root)
        return scrapy.Request(
            url,
            callback=self.parse,
            errback=self.on_error,
            dont_filter=True,
            **(options if replay else self._conditional(url, options)),
        )

    def _conditional(self, url: str, options: dict) -> dict:
        """Request options carrying the validators of the copy an earlier audit stored of `url`, if any;
        its 304 answer then reaches the callback."""
        copy = self.stored_copies.copy(url) if self.stored_copies is not None else None
        if copy is None:
            return options
        meta = {
            **options["meta"],
            "stored_copy": copy,
            "handle_httpstatus_list": [*options["meta"]["handle_httpstatus_list"], 304],
        }
        return {**options, "meta": meta, "headers": conditional_headers(copy)}

    def _unchanged(self, url: str, response: Response) -> UnchangedPage | scrapy.Request:
        """A 304 answer: the stored copy stands when it is of the URL that answered. A 304 from
        elsewhere (the page now redirects to another one) does not vouch for it: the page is asked
        for again, unconditionally."""
        copy = response.meta["stored_copy"]
        if page_key(response.url) == page_key(copy.final_url or url):
            return UnchangedPage(url, self.stored_copies.run_id)
        request = response.request
        meta = {
            key: value
            for key, value in request.meta.items()
            if key not in _ANSWER_META and not key.startswith(("redirect_", "download_"))
        }
        meta["handle_httpstatus_list"] = ERROR_STATUSES
        headers = request.headers.copy()
        for name in conditional_headers(copy):
            headers.pop(name, None)
        return request.replace(url=url, headers=headers, meta=meta, dont_filter=True)

    def _post(
        self, more: FormRequest, *, clicks: int, column: str | None, via: str, meta: dict, list_root: str
    ) -> scrapy.Request | None:
        """A POST that loads more rows of a list (Hanweb dataproxy.jsp): a further page of it.
        An answer's own reading knows only the column's identity fields; the other form fields
        are those of the POST that brought the answer."""
        if not self._on_site(more.url):
            return None
        formdata = {**meta.get("formdata", {}), **more.formdata}
        stored_as = page_key(more.url)
        key = (stored_as + "?" + urlencode(sorted(formdata.items())), column, PageRole.PAGING)
        if key in self._requested:
            return None
        self._requested.add(key)
        replay = self.resumed_run is not None and self.resumed_run.has_read(stored_as)
        options = _page_request(
            clicks,
            column,
            PageRole.PAGING if column else PageRole.PAGE,
            via,
            meta["exclude"],
            meta["sub_level"],
            replay,
            list_root,
        )
        options["meta"]["formdata"] = formdata
        if replay:
            return scrapy.Request(stored_as, callback=self.parse, errback=self.on_error, dont_filter=True, **options)
        return scrapy.FormRequest(
            more.url, formdata=formdata, callback=self.parse, errback=self.on_error, dont_filter=True, **options
        )

    def _on_site(self, url: str) -> bool:
        return (urlsplit(url).hostname or "").lower() in self.site_hosts and _port(url) in self.site_ports

    def redirect_leaves_site(self, request: scrapy.Request, target: str) -> bool:
        """Whether a page's or attachment's redirect to `target` leads to another port of the audited
        host: not followed, the target checked like a link (crawler.crawl.middlewares.SitePortRedirectMiddleware).
        The home page's redirects are followed: they say where the site is."""
        if request.callback not in (self.parse, self.parse_attachment) or request.meta.get("role") == PageRole.HOME:
            return False
        return (urlsplit(target).hostname or "").lower() in self.site_hosts and _port(target) not in self.site_ports

    def _left_site(self, url: str, response: Response) -> Iterator[object]:
        """A redirect to another port of the audited host: stored as the redirect it is, its target checked."""
        target = page_key(response.meta["left_site"])
        yield FetchedPage(url, target, response.status, None, None, None)
        yield from self._emit(self._check(target))
        yield from self._list_page_failed(response.meta, url, f"重定向到本网站以外的端口（{target}）")

    # -- responses -------------------------------------------------------------------------

    # Reading a page or a document runs in a reader process (crawler.crawl.budget), waited for in a
    # thread: a big one must not stall the reactor, or other requests' timeouts would not fire.

    async def parse(self, response: Response) -> AsyncIterator[object]:
        meta = response.meta
        url = page_key(meta.get("redirect_urls", [response.url])[0])
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
        if meta["role"] == PageRole.HOME:
            # A home page that redirects (http → https://www.) moves the site to the new host.
            answered_at = meta["answered"][1] if meta.get("answered") else response.url
            self.site_hosts.add((urlsplit(answered_at).hostname or "").lower())
            self.site_ports.add(_port(answered_at))
        if meta.get("left_site"):
            for item in self._left_site(url, response):
                yield item
            return
        if meta.get("replay"):
            reading = await self._as_shown(url, response.url, await run_in_thread(self.stored_run.reading, url))
        elif response.status == 304:
            unchanged = self._unchanged(url, response)
            yield unchanged
            if isinstance(unchanged, scrapy.Request):
                return
            if not meta["stored_copy"].html:
                for coverage in self._list_page_failed(meta, url, "返回的不是网页"):
                    yield coverage
                return
            reading = await self._as_shown(url, response.url, await run_in_thread(self.stored_copies.reading, url))
        elif (
            response.status >= 400
            or meta.get("unread")
            or not isinstance(response, TextResponse)
            or _looks_binary(response.body)
            or looks_like_document(url)
        ):
            resource = await self._resource(url, response, content_type)
            yield resource
            for coverage in self._list_page_failed(
                meta, url, f"HTTP {response.status}" if response.status >= 400 else meta.get("unread", "返回的不是网页")
            ):
                yield coverage
            return
        else:
            outcome = await run_in_thread(
                self.readers.run, read_page, response.body, response.url, content_type=content_type
            )
            reading = await self._as_shown(url, response.url, outcome.value)
            # The body is kept (compressed) for the copy of the page a report shows as evidence, under
            # its digest.
            kept, digest = await run_in_thread(_kept_body, response.body)
            yield FetchedPage(
                url,
                response.url,
                response.status,
                content_type,
                None,
                reading,
                truncated=bool(meta.get("truncated")),
                unread=outcome.unread,
                body=kept,
                digest=digest,
                **_validators(response),
            )
            if reading is None:
                return
        if self.helping:
            yield Answered(READ, final_url=response.url)
            return
        if reading.script_list:
            for coverage in self._script_list_unread(url, meta):
                yield coverage
        if meta["role"] == PageRole.HOME:
            self.home_links = frozenset(page_key(link.url) for link in reading.links if link.tag == "a")
        for followed in self._follow(url, reading, meta):
            yield followed

    async def _as_shown(self, url: str, answered: str, reading: PageReading | None) -> PageReading | None:
        """The page as a browser user sees it: a list page whose rows a script fills is rendered and
        its rendered DOM read (crawler.crawl.render). When it cannot be, the reading stays as served,
        its `script_list` still set, and why is kept for the list's coverage."""
        if reading is None or not reading.script_list:
            return reading
        rendered = await run_in_thread(self.renderer.render, answered)
        if rendered.dom is not None:
            outcome = await run_in_thread(
                self.readers.run, read_page, rendered.dom, answered, content_type="text/html; charset=utf-8"
            )
            if outcome.value is not None:
                outcome.value.script_list = False
                return outcome.value
        self._unrendered[url] = rendered.failure or "列表由脚本加载，渲染后的页面未能读取"
        return reading

    def _script_list_unread(self, url: str, meta: dict) -> Iterator[object]:
        """A column page whose script-filled list could not be rendered: its list is read short, so
        the rules that need the whole list leave the column 未检查 instead of calling it empty."""
        column: str | None = meta["column"]
        if column is None:
            return
        progress = self.lists.progress(column, meta.get("list") or url)
        progress.stop(self._unrendered.get(url, "列表由脚本加载，未能读取"), cut_short=True)
        yield progress.record()

    @property
    def shareable(self) -> bool:
        """Whether other processes may help crawl the site now: its home page is read (so robots.txt
        and the site's hosts are settled)."""
        return bool(self.home_links)

    def answered_elsewhere(
        self, request: scrapy.Request, outcome: str, reason: str | None, final_url: str | None
    ) -> scrapy.Request | None:
        """A helper answered `request` (as this spider made it) and stored what it brought: the
        request that carries on from there without the network (the replay middleware answers it),
        or None when nothing is left to decide."""
        if outcome == READ:
            callback = self.parse
        elif outcome == FAILED and request.meta.get("list"):
            callback = self._failed_elsewhere
        elif outcome == REFUSED:
            callback = self._refused_elsewhere
        else:
            return None
        meta = {**request.meta, "replay": True, "answered": (reason, final_url)}
        # Stored under the URL first asked for (parse), also when the answer came after a redirect.
        stored_as = page_key(request.meta.get("redirect_urls", [request.url])[0])
        return scrapy.Request(
            stored_as, callback=callback, errback=self.on_error, meta=meta, priority=request.priority, dont_filter=True
        )

    def _failed_elsewhere(self, response: Response) -> Iterator[object]:
        yield from self._list_page_failed(response.meta, page_key(response.url), response.meta["answered"][0])

    def _refused_elsewhere(self, response: Response) -> Iterator[object]:
        meta = {key: value for key, value in response.meta.items() if key not in ("replay", "answered")}
        yield from self._refused(response.request.replace(callback=self.parse, meta=meta))

    async def parse_attachment(self, response: Response) -> AsyncIterator[FetchedPage]:
        url = page_key(response.meta.get("redirect_urls", [response.url])[0])
        if response.meta.get("left_site"):
            for item in self._left_site(url, response):
                yield item
            return
        if response.status == 304:
            yield self._unchanged(url, response)
            return
        yield await self._resource(url, response, response.headers.get(b"Content-Type", b"").decode("latin-1") or None)

    async def _resource(self, url: str, response: Response, content_type: str | None) -> FetchedPage:
        """A non-HTML answer (or an error status): stored with the text of the document, if any."""
        truncated = bool(response.meta.get("truncated"))
        if response.status >= 400:
            return FetchedPage(url, response.url, response.status, content_type, None, None, truncated=truncated)
        if response.meta.get("unread"):
            # Decoded beyond its cap through nested encodings (crawler.crawl.middlewares): nothing is kept.
            return FetchedPage(
                url,
                response.url,
                response.status,
                content_type,
                None,
                None,
                truncated=True,
                unread=response.meta["unread"],
                **_validators(response),
            )
        outcome = await run_in_thread(self._read_attachment, response.body, response.url, content_type)
        return FetchedPage(
            url,
            response.url,
            response.status,
            content_type,
            None,
            None,
            outcome.value,
            truncated,
            unread=outcome.unread,
            digest=hashlib.sha256(response.body).hexdigest(),
            **_validators(response),
        )

    def _read_attachment(self, body: bytes, url: str, content_type: str | None) -> Outcome:
        """An attachment's text, while the site's allowance of unpacked bytes lasts (runs in a thread).
        An archive is judged by its own size limits before it is charged: one that declares more than
        a reader unpacks is not read and spends nothing of the allowance."""
        size = allowance_charge(body)
        if size is None:
            return Outcome(unread=TOO_BIG)
        with self._inflated_lock:
            if size > self._inflated_left:
                return Outcome(unread=TOO_BIG)
            self._inflated_left -= size
        return self.readers.run(attachment_text, body, url, content_type)

    def _check(self, target: str) -> scrapy.Request | None:
        """Fetch an on-site document whole (its text is read), or check any other target once:
        HEAD first, then a GET stopped after the headers when HEAD is refused."""
        target = page_key(target)
        if target in self._fetched or target in self._checked or urlsplit(target).scheme not in ("http", "https"):
            return None
        if self.resumed_run is not None and self.resumed_run.has_answer(target):
            self._checked.add(target)
            return None
        if self._on_site(target) and looks_like_document(target):
            self._fetched.add(target)
            options = self._conditional(
                target, {"meta": {"handle_httpstatus_list": ERROR_STATUSES, "body_cap": DOCUMENT_CAP}}
            )
            return scrapy.Request(
                target,
                callback=self.parse_attachment,
                errback=self.on_error,
                priority=_CHECK_PRIORITY,
                dont_filter=True,
                **options,
            )
        self._checked.add(target)
        return self._check_request(target, "HEAD")

    def _check_request(self, target: str, method: str, recheck: bool = False) -> scrapy.Request:
        return scrapy.Request(
            target,
            method=method,
            callback=self.on_checked,
            errback=self.on_check_failed,
            priority=_CHECK_PRIORITY,
            dont_filter=True,
            # A check is not a crawl: one request per target, whatever robots.txt says about crawling.
            meta={
                "check": method,
                "recheck": recheck,
                "handle_httpstatus_list": ERROR_STATUSES,
                "dont_obey_robotstxt": True,
            },
        )

    def on_checked(self, response: Response) -> Iterator[object]:
        request_url = page_key(response.meta.get("redirect_urls", [response.url])[0])
        if response.meta["check"] == "HEAD" and response.status >= 400:
            # Many servers refuse or mishandle HEAD; only a GET's answer counts against the link.
            yield self._check_request(request_url, "GET")
            return
        method = RECHECK if response.meta.get("recheck") else response.meta["check"]
        yield CheckedLink(request_url, response.url, response.status, None, method)

    def on_check_failed(self, failure: Failure) -> Iterator[object]:
        request = failure.request
        refused = failure.check(InternalAddressRefused)
        if refused and failure.value.inside:
            # Audited from inside: the link was not checked, which says nothing against it.
            self.logger.info("未检查内网链接 / internal link not checked: %s", request.url)
            return
        if request.meta["check"] == "HEAD" and not refused:
            yield self._check_request(page_key(request.url), "GET")
            return
        response = getattr(failure.value, "response", None)
        status = response.status if response is not None else None
        method = RECHECK if request.meta.get("recheck") else "GET"
        yield CheckedLink(page_key(request.url), None, status, _failure_text(failure), method)

    def on_error(self, failure: Failure) -> Iterator[object]:
        request = failure.request
        if failure.check(IgnoreRequest) and str(failure.value) == ROBOTS_REFUSAL:
            if self.helping:
                yield Answered(REFUSED)
            else:
                yield from self._refused(request)
            return
        response = getattr(failure.value, "response", None)
        status = response.status if response is not None else None
        message = _failure_text(failure)
        yield FetchedPage(page_key(request.url), None, status, None, message, None)
        yield from self._list_page_failed(request.meta, page_key(request.url), message)

    def _refused(self, request: scrapy.Request) -> Iterator[object]:
        """robots.txt refused `request`."""
        if request.meta.get("role") == PageRole.HOME:
            # A robots.txt that forbids the home page forbids the whole site to the auditor. The office
            # must audit it all the same, as the national monitor does: it is reported (提示), not obeyed.
            self.robots_forbid_site = True
            yield RobotsRefusal(page_key(request.url))
            yield request.replace(dont_filter=True)
            return
        # robots.txt keeps the crawler out; whether the link works is still checked, once.
        target = page_key(request.url)
        if target not in self._checked:
            self._checked.add(target)
            yield self._check_request(target, "HEAD")

    # -- what to follow ----------------------------------------------------------------------

    def _follow(self, url: str, reading: PageReading, meta: dict) -> Iterator[object]:
        if meta["role"] == PageRole.CANDIDATE:
            meta = yield from self._settle(url, reading, meta)
        clicks: int = meta["clicks"]
        column: str | None = meta["column"]
        role: str = meta["role"]
        if reading.redirect_to and self._on_site(reading.redirect_to):
            # A client-side redirect is not a click: the target takes this page's place.
            yield from self._emit(
                self._request(
                    reading.redirect_to,
                    clicks=clicks,
                    column=column,
                    role=role,
                    via=url,
                    exclude=meta["exclude"],
                    sub_level=meta["sub_level"],
                )
            )
        for frame in reading.links:
            if frame.tag != "iframe" or not self._on_site(frame.url) or not looks_like_page(frame.url):
                continue
            # A framed page is part of this one (a column's list is often framed): same role, no click.
            if column is not None:
                yield from self._member(column, page_key(frame.url), role, url, MemberReason.FRAME)
            yield from self._emit(
                self._request(
                    frame.url,
                    clicks=clicks,
                    column=column,
                    role=role,
                    via=url,
                    exclude=meta["exclude"],
                    sub_level=meta["sub_level"],
                )
            )
        if column is not None and role in LIST_ROLES:
            yield from self._follow_column_list(url, reading, meta)
        elif clicks <= self.generic_depth:
            yield from self._follow_list_pages(url, reading, meta)
        for link in reading.links:
            if link.tag != "a" or not self._on_site(link.url) or not looks_like_page(link.url):
                continue
            spec = self.audit_config.column_for_anchor(link.text)
            # The audited columns, and in every run the support columns (政策解读) whose pages
            # rules about the audited pages must read.
            if spec is not None and (spec.supplies is not None or (spec.required and self.scope in (None, spec.key))):
                target = page_key(link.url)
                yield from self._member(spec.key, target, PageRole.INDEX, url, MemberReason.ANCHOR)
                yield from self._emit(
                    self._request(
                        target,
                        clicks=clicks + 1,
                        column=spec.key,
                        role=PageRole.INDEX,
                        via=url,
                        exclude=self.home_links | {page_key(link.url) for link in reading.links},
                    )
                )
            elif clicks < self.generic_depth or url in self._entries:
                yield from self._emit(
                    self._request(link.url, clicks=clicks + 1, column=None, role=PageRole.PAGE, via=url)
                )
        for link in reading.links:
            yield from self._emit(self._check(link.url))

    def _follow_column_list(self, url: str, reading: PageReading, meta: dict) -> Iterator[object]:
        """A page of a column's list: its items, its further pages and its sub-columns."""
        column: str = meta["column"]
        clicks: int = meta["clicks"]
        item_urls = {page_key(item.url) for item in reading.list_items}
        if self.audit_config.column(column).required:
            self._entries.update(item_urls)
        for item_url in item_urls:
            yield from self._member(column, item_url, PageRole.ITEM, url, MemberReason.LISTED)
            if self._on_site(item_url) and looks_like_page(item_url) and not looks_like_document(item_url):
                yield from self._emit(
                    self._request(item_url, clicks=clicks + 1, column=None, role=PageRole.PAGE, via=url)
                )
        yield from self._follow_list_pages(url, reading, meta)
        if meta["role"] == PageRole.PAGING or meta["sub_level"] >= _MAX_SUB_LEVEL or reading.publish_date is not None:
            return
        # Sub-columns: links in this page's content (a sub-column grid, tabs), not the site's or the
        # parent section's navigation. Links in its chrome (a left navigation may list the column's
        # children or its siblings) are fetched as candidates, members only when they say so.
        page_links = {page_key(link.url) for link in reading.links if link.tag == "a"}
        skip = meta["exclude"] | item_urls | {page_key(u) for u in reading.next_pages} | {url}
        for link in reading.links:
            target = page_key(link.url)
            if (
                link.tag != "a"
                or link.region == LinkRegion.BREADCRUMB
                or target in skip
                or not self._on_site(target)
                or not looks_like_page(target)
                or self.audit_config.column_for_anchor(link.text) is not None
            ):
                continue
            role = PageRole.SUB if link.region == LinkRegion.CONTENT else PageRole.CANDIDATE
            if role == PageRole.SUB:
                yield from self._member(column, target, PageRole.SUB, url, MemberReason.LISTED)
            yield from self._emit(
                self._request(
                    target,
                    clicks=clicks + 1,
                    column=column,
                    role=role,
                    via=url,
                    exclude=meta["exclude"] | page_links,
                    sub_level=meta["sub_level"] + 1,
                )
            )

    def _follow_list_pages(self, url: str, reading: PageReading, meta: dict) -> Iterator[object]:
        """The further pages of the lists this page belongs to. A page that carries several lists
        (惠企政策 / 惠民政策 tabs) starts one list each, keyed by the page and the list's place on it;
        a further page that carries several feeds each of those lists that asked for it."""
        root = meta.get("list") or url
        first_page = root.split(_LIST_MARK, 1)[0]
        if not reading.lists:
            yield from self._follow_list(url, reading, meta, root)
            return
        for number, part in enumerate(reading.lists, 1):
            key = list_key(first_page, number)
            progress = self.lists.get(meta["column"], key)
            if root == url or key == root or (progress is not None and url in progress.requested):
                yield from self._follow_list(url, part, meta, key)

    def _follow_list(self, url: str, reading: PageReading | PageList, meta: dict, root: str) -> Iterator[object]:
        """The further pages of one list, a few ahead of those read, asked for from what was
        actually received: until the list is read as it declares, a page brings no new item, or the
        crawl's max_list_pages is reached. For a required column's list, how much of it was read is
        handed to the store after every page."""
        column: str | None = meta["column"]
        further = root.split(_LIST_MARK, 1)[0] != url
        if column is None and not further and not (reading.next_pages or reading.more_requests):
            return  # not a list that pages: nothing to follow or to account for
        progress = self.lists.progress(column, root)
        new_items = progress.read(reading)
        limit = self.audit_config.crawl.max_list_pages
        if further and new_items == 0:
            progress.stop(nothing_new_reason(progress.page_number(url), url))
        else:
            posts = [(page_key(more.url), more) for more in reading.more_requests if self._on_site(more.url)]
            links = [
                (target, None)
                for target in dict.fromkeys(
                    page_key(next_url) for next_url in reading.next_pages if self._on_site(next_url)
                )
            ]
            asked = 0
            for target, post in posts + links:
                if target in progress.requested:
                    continue
                if asked == _PAGES_AHEAD:
                    break
                if len(progress.requested) >= limit:
                    progress.stop(limit_reason(limit), cut_short=True)
                    break
                progress.requested[target] = None
                asked += 1
                yield from self._list_page(target, post, url, root, meta)
        if column is not None and (
            progress.items
            or progress.stopped
            or len(progress.requested) > 1
            or progress.declared_records
            or progress.declared_pages
        ):
            yield progress.record()

    def _list_page(self, target: str, post: FormRequest | None, via: str, root: str, meta: dict) -> Iterator[object]:
        """Ask for one further page of a list: a POST (Hanweb jpage) or a linked page."""
        column: str | None = meta["column"]
        if column is not None:
            yield from self._member(column, target, PageRole.PAGING, via, MemberReason.PAGING)
        if post is not None:
            yield from self._emit(
                self._post(post, clicks=meta["clicks"], column=column, via=via, meta=meta, list_root=root)
            )
        else:
            yield from self._emit(
                self._request(
                    target,
                    clicks=meta["clicks"],
                    column=column,
                    role=PageRole.PAGING if column else PageRole.PAGE,
                    via=via,
                    exclude=meta["exclude"],
                    sub_level=meta["sub_level"],
                    list_root=root,
                )
            )

    def _list_page_failed(self, meta: dict, url: str, failure: str) -> Iterator[object]:
        """A further page of a list did not answer: the list is read short from there."""
        if self.helping:
            yield Answered(FAILED, failure)
            return
        progress = self.lists.get(meta.get("column"), meta["list"]) if meta.get("list") else None
        if progress is None:
            return
        progress.stop(failed_reason(progress.page_number(url), url, failure), cut_short=True)
        if progress.column is not None:
            yield progress.record()

    def _settle(self, url: str, reading: PageReading, meta: dict) -> Iterator[ColumnMembership]:
        """A candidate page joins the column as a sub-column when its breadcrumb passes through the
        column or its URL lies under the column's folder; otherwise it is an ordinary page.
        Returns the meta the page is followed with."""
        column: str = meta["column"]
        reason = self._placed_under(column, url, reading)
        if reason is None:
            return {**meta, "column": None, "role": PageRole.PAGE, "exclude": frozenset(), "sub_level": 0}
        yield from self._member(column, url, PageRole.SUB, meta["via"], reason)
        return {**meta, "role": PageRole.SUB}

    def _placed_under(self, column: str, url: str, reading: PageReading) -> MemberReason | None:
        spec = self.audit_config.column(column)
        lists = self._column_lists[column]
        for crumb in reading.breadcrumb:
            if (
                (crumb.url and page_form(crumb.url) in lists)
                or spec.matches(crumb.text)
                or normalise_anchor(crumb.text) == normalise_anchor(spec.name)
            ):
                return MemberReason.BREADCRUMB
        parts = urlsplit(url)
        if any(parts.path.startswith(folder) and parts.path != folder for folder in self._column_folders[column]):
            return MemberReason.PATH
        return None

    def _member(self, column: str, url: str, role: str, via: str, reason: MemberReason) -> Iterator[ColumnMembership]:
        key = (column, url, str(role))
        if key in self._members:
            return
        self._members.add(key)
        if role in LIST_ROLES:
            self._column_lists[column].add(page_form(url))
        if role == PageRole.INDEX:
            path = urlsplit(url).path or "/"
            folder = path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"
            if folder != "/" and (path.endswith("/") or _INDEX_FILE.match(path.rsplit("/", 1)[-1])):
                self._column_folders[column].add(folder)
        yield ColumnMembership(column, url, str(role), via, str(reason))

    @staticmethod
    def _emit(request: scrapy.Request | None) -> Iterator[scrapy.Request]:
        if request is not None:
            yield request


def _page_request(
    clicks: int,
    column: str | None,
    role: str,
    via: str | None,
    exclude: frozenset[str],
    sub_level: int,
    replay: bool,
    list_root: str | None = None,
) -> dict:
    """Priority and meta of a page request: where the page stands in the crawl."""
    return {
        # Nearer pages first; a column's own pages before generic ones at the same depth.
        "priority": -10 * clicks + (5 if column else 0),
        "meta": {
            "clicks": clicks,
            "column": column,
            "role": role,
            "via": via,
            "exclude": exclude,
            "sub_level": sub_level,
            "handle_httpstatus_list": ERROR_STATUSES,
            "replay": replay,
            # The first page of the list this page is a further page of (None: not a further page).
            "list": list_root,
        },
    }


class StoredReadings(Protocol):
    """The run being crawled, as stored so far (audit.run.pipeline.StoredRun)."""

    robots_forbidden: bool  # robots.txt forbade the run the whole site

    def reading(self, url: str) -> PageReading: ...


class ReplaySource(StoredReadings, Protocol):
    """What an interrupted run already stored, so resuming it reads it back instead of fetching."""

    def has_read(self, url: str) -> bool: ...
    def has_stored(self, url: str) -> bool: ...
    def has_answer(self, url: str) -> bool: ...


def _validators(response: Response) -> dict[str, str | None]:
    """The answer's ETag and Last-Modified, as the next audit sends them back (None when absent or
    too long to store whole: a cut validator would never match)."""
    found = {}
    for field, header, longest in (("etag", b"ETag", 256), ("last_modified", b"Last-Modified", 64)):
        value = response.headers.get(header, b"").decode("latin-1").strip()
        found[field] = value if value and len(value) <= longest else None
    return found


def _looks_binary(body: bytes) -> bool:
    """Binary served as text/html (a PDF, an image, a zip): NUL bytes do not occur in real HTML."""
    return b"\x00" in body[:4096]


def _failure_text(failure: Failure) -> str:
    """A short reason for a failed fetch, in the words a report uses, with the exception class."""
    exc = failure.value
    if isinstance(exc, InternalAddressRefused):
        return str(exc)
    if str(exc) == REDIRECT_LIMIT:
        return "重定向次数过多或循环重定向"
    name = type(exc).__name__
    for marker, words in _FAILURE_WORDS:
        if marker in name:
            return f"{words}（{name}）"
    detail = (str(exc).strip().splitlines() or [""])[0]
    return f"{name}: {detail}"[:500] if detail else name


_FAILURE_WORDS = (
    ("ConnectionRefused", "连接被拒绝"),
    ("DNSLookup", "域名解析失败"),
    ("Timeout", "请求超时"),
    ("ConnectionLost", "连接中断"),
    ("ResponseFailed", "连接中断"),
    ("DataLoss", "连接中断，内容不完整"),
    ("CannotResolveHost", "域名解析失败"),
    ("ResponseNeverReceived", "未收到响应"),
    ("SSL", "证书或加密连接错误"),
)


def _kept_body(body: bytes) -> tuple[bytes, str]:
    """A body as kept (zlib-compressed) and its SHA-256 digest (hex), as received."""
    return zlib.compress(body), hashlib.sha256(body).hexdigest()
