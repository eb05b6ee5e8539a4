"""Rule cases without a web server: a site written as data (tests/rule_cases/cases/<rule id>.yaml) is
built into a SiteSnapshot in memory, the way audit/store builds one from a stored run, and one rule
judges it. The crawl and the reading are not exercised here; each rule family keeps a served portal
for that (tests/rule_cases/test_<rule>.py).

A case:
    as_of: 2022-10-15            # the audit's as-of date (default 2022-10-15)
    scope: gfxwj                 # a one-column audit (--column)
    config: {rules: {...}}       # a user's config file, validated like one
    certificate: 自签名证书       # what is wrong with the home host's certificate
    registers: {media: [{name: …, platform: …, last_post: …}], hotline: […], messages: […]}
    hidden: {/n/1.html: [[http://bet.example.com/, 百家乐, display:none]]}   # links readers cannot see
    previous_home: {as_of: 2022-07-15, lines: […], hosts: […]}   # the last quarter's stored home page
    probes: [{from: 2022-09-05 00:00, count: 168, failed: 12, minutes: 60}]   # govaudit watch's probes (UTC),
                                 # `count` of them `minutes` apart, the first `failed` of them down
    checks: {/a.pdf: 404, http://x.gov.cn/: 连接超时}   # link targets checked but not fetched
    pages:
      /: {title: 首页, links: [[/xxgk/, 政府信息公开]], items: [[标题, /n/1.html, 2022-10-10]]}
      /n/1.html: {title: …, date: 2022-10-10, text: …, in: [gfxwj/item], labels: [此件公开发布]}
    expect:                      # exactly these findings, by URL; message/evidence are substrings
      - {url: /n/1.html, column: gfxwj, message: […], evidence: …, severity: 提示}

A page takes the PageView fields (status, error, content_type, title, date → publish_date, date_source,
written_date, doc_number, publisher, labels, list → is_list, empty → empty_notice, redirect_to,
validity, disclosure_mode, index_number), its meta tags (meta), its text, its links ([to, text] or
{to, text, tag, click}), its main-list `items` and other `dated` links ([title, to, date]), and the
columns it was followed for (`in`: key/role).
"""

from __future__ import annotations

import dataclasses
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import yaml

from audit.config import load_settings
from crawler.vocabulary.columns import PageRole
from crawler.vocabulary.reading import HiddenLink
from rules.registers import KINDS, Registers
from rules.settings import Settings
from rules.snapshot import Anchor, CheckView, HomeCopy, ItemView, LinkView, PageView, ProbeView, SiteSnapshot

BASE = "http://www.cs.gov.cn/"
CASES = Path(__file__).parent / "cases"
# Stored links that make the click graph and name columns (audit/store builds edges from the same).
_GRAPH_TAGS = ("a", "redirect", "iframe")
# A misspelt key would leave a trap case quiet for the wrong reason: only these are read.
_CASE_KEYS = {
    "as_of",
    "scope",
    "config",
    "certificate",
    "robots_forbidden",
    "checks",
    "registers",
    "hidden",
    "previous_home",
    "probes",
    "pages",
    "expect",
}
_PAGE_KEYS = {
    "status",
    "error",
    "content_type",
    "title",
    "date",
    "date_source",
    "written_date",
    "doc_number",
    "publisher",
    "labels",
    "list",
    "empty",
    "redirect_to",
    "validity",
    "disclosure_mode",
    "index_number",
    "topic",
    "meta",
    "text",
    "links",
    "items",
    "dated",
    "in",
}


@dataclass
class MemoryContent:
    """The bulky parts of a run (text, links) held in memory: rules.snapshot.StoredContent."""

    texts: dict[str, str] = field(default_factory=dict)
    meta_tags: dict[str, dict[str, str]] = field(default_factory=dict)
    links: list[LinkView] = field(default_factory=list)

    def text_of(self, url: str) -> str:
        return self.texts.get(url, "")

    def meta_tags_of(self, url: str) -> dict[str, str]:
        return self.meta_tags.get(url, {})

    def links_from(self, url: str) -> list[LinkView]:
        return [link for link in self.links if link.from_url == url]

    def links_to(self, url: str) -> list[LinkView]:
        return [link for link in self.links if link.to_url == url]

    def offsite_links(self) -> list[LinkView]:
        return [link for link in self.links if not link.on_site]


def url(path: str) -> str:
    return urljoin(BASE, path)


def build_site(case: dict) -> SiteSnapshot:
    """The SiteSnapshot a stored run of the case's pages would give."""
    assert set(case) <= _CASE_KEYS, f"unknown case keys: {set(case) - _CASE_KEYS}"
    config = case_config(yaml.safe_dump(case.get("config") or {}, allow_unicode=True))
    content = MemoryContent()
    graph: list[tuple[LinkView, bool]] = []
    site = SiteSnapshot(
        site_url=BASE,
        as_of=case.get("as_of", date(2022, 10, 15)),
        scope=case.get("scope"),
        config=config,
        content=content,
        certificate_problem=case.get("certificate"),
        robots_forbidden=bool(case.get("robots_forbidden")),
        registers=_registers(case.get("registers") or {}),
    )
    for path, spec in (case.get("pages") or {}).items():
        spec = spec or {}
        assert set(spec) <= _PAGE_KEYS, f"{path}: unknown page keys: {set(spec) - _PAGE_KEYS}"
        page = _page(url(path), spec)
        site.pages[page.url] = page
        content.texts[page.url] = str(spec.get("text", ""))
        content.meta_tags[page.url] = dict(spec.get("meta") or {})
        links = [_link(page.url, raw) for raw in spec.get("links", ())]
        if page.redirect_to:
            links.append((LinkView(page.url, page.redirect_to, "", "redirect", _on_site(page.redirect_to)), False))
        for rows, listed in ((spec.get("items", ()), site.main_items), (spec.get("dated", ()), site.dated_links)):
            for title, target, shown in rows:
                listed[page.url].append(ItemView(page.url, title, url(target), shown))
                links.append(_link(page.url, [target, title]))
        content.links.extend(link for link, _ in links)
        graph.extend(links)
        for membership in spec.get("in", ()):
            where, _, via = membership.partition(" via ")
            key, role = where.split("/")
            site.members[key].append((page.url, PageRole(role)))
            if via:
                site.member_via[(key, page.url)].add(url(via))
    for link, click in graph:
        if link.tag not in _GRAPH_TAGS:
            continue
        if link.on_site:
            site.edges.add(link.from_url, link.to_url, click)
        spec = config.column_for_anchor(link.text) if link.text else None
        if spec is not None:
            site.anchors[spec.key].append(Anchor(link.from_url, link.to_url, link.text, link.on_site))
    for path, rows in (case.get("hidden") or {}).items():
        site.hidden_links[url(path)] = [HiddenLink(url(target), text, how) for target, text, how in rows]
    before = case.get("previous_home")
    if before:
        site.previous_home = HomeCopy(0, before["as_of"], tuple(before["lines"]), frozenset(before["hosts"]))
    site.probes = tuple(
        ProbeView(
            datetime.fromisoformat(str(run["from"])) + timedelta(minutes=run["minutes"] * n),
            n >= run["failed"],
            0.3,
            None if n >= run["failed"] else "连接被拒绝",
        )
        for run in case.get("probes") or ()
        for n in range(run["count"])
    )
    for target, answer in (case.get("checks") or {}).items():
        status, error = (answer, None) if isinstance(answer, int) else (None, str(answer))
        site.checks[url(target)] = CheckView(url(target), status, error)
    return site


@lru_cache(maxsize=None)
def case_config(text: str) -> Settings:
    """The case's config file, read and validated by the real loader."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "govaudit.yaml"
        path.write_text(text, encoding="utf-8")
        return load_settings(path)


# What the cases of these kinds leave out; any other field a case leaves out is None.
_CASE_DEFAULTS = {
    "media": {"unit": "县政府办公室", "filed": True, "interaction": True},
    "hotline": {"unit": "县住房和城乡建设局"},
    "messages": {"unit": "县政府办公室", "title": ""},
}


def _registers(raw: dict) -> Registers:
    """The imported registers, of every kind of rules.registers.KINDS: a kind left out was not
    imported (None), `[]` was imported empty."""
    kinds = {kind.name: kind for kind in KINDS}
    unknown = set(raw) - set(kinds)
    if unknown:
        raise ValueError(f"registers of no kind: {sorted(unknown)} (kinds: {sorted(kinds)})")
    return Registers({name: tuple(_row(kinds[name], row) for row in rows) for name, rows in raw.items()})


def _row(kind, row: dict):
    blank = {field.name: None for field in dataclasses.fields(kind.row)}
    return kind.row(**{**blank, **_CASE_DEFAULTS.get(kind.name, {}), **row})


def _page(address: str, spec: dict) -> PageView:
    redirect = spec.get("redirect_to")
    return PageView(
        url=address,
        final_url=None,
        status=spec.get("status", None if spec.get("error") else 200),
        error=spec.get("error"),
        content_type=spec.get("content_type", "text/html"),
        title=spec.get("title"),
        publish_date=spec.get("date"),
        doc_number=spec.get("doc_number"),
        publisher=spec.get("publisher"),
        labels=tuple(spec.get("labels", ())),
        is_list=bool(spec.get("list", False)),
        empty_notice=bool(spec.get("empty", False)),
        redirect_to=url(redirect) if redirect else None,
        written_date=spec.get("written_date"),
        index_number=spec.get("index_number"),
        topic=spec.get("topic"),
        validity=spec.get("validity"),
        disclosure_mode=spec.get("disclosure_mode"),
        publish_date_source=spec.get("date_source", "meta" if spec.get("date") else None),
        is_html=spec.get("content_type", "text/html").startswith("text/html"),
    )


def _link(from_url: str, raw) -> tuple[LinkView, bool]:
    """A stored link, and whether following it costs a click (paging links and redirects do not)."""
    if isinstance(raw, (list, tuple)):
        raw = {"to": raw[0], "text": raw[1] if len(raw) > 1 else ""}
    target = url(raw["to"])
    return LinkView(from_url, target, str(raw.get("text", "")), raw.get("tag", "a"), _on_site(target)), raw.get(
        "click", True
    )


def _on_site(address: str) -> bool:
    return urlsplit(address).hostname == urlsplit(BASE).hostname


def load_cases() -> list[tuple[str, str, dict]]:
    """(rule id, case name, case) of every case file."""
    found = []
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, case in data["cases"].items():
            found.append((path.stem, name, case))
    return found
