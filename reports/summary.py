"""Per-column facts for the bulletin: where each required column was found and how current it is,
and which support columns a one-column check read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from crawler.vocabulary.columns import Evidence
from rules.snapshot import SiteSnapshot


@dataclass(frozen=True)
class ColumnSummary:
    key: str
    name: str
    url: str | None
    clicks: int | None
    on_site: bool
    item_count: int
    list_pages: int
    newest_date: date | None
    newest_title: str | None
    # A column linked only deeper than the click limit counts as not set up (column.missing says so);
    # where it was found, for the bulletin to say the same.
    deep_url: str | None = None
    deep_clicks: int | None = None
    # The click path from the home page in link texts (首页 › 政务服务 › …) to the column, or to where
    # it was found too deep; None when it was not found.
    path: str | None = None


def column_place(column: ColumnSummary, max_clicks: int) -> str:
    """Where a column stands, in the words the terminal and the bulletin share: its address and click
    path, found too deep (and where), or not found."""
    path = f"（{column.path}）" if column.path else ""
    if column.url:
        return f"{column.url}{path}"
    if column.deep_url:
        return f"位于第{column.deep_clicks}层{path}，超过{max_clicks}次点击可达的要求，按未设置计：{column.deep_url}"
    return f"{max_clicks}次点击内未找到该栏目"


def page_cap_note(cap: int, left: int | None, pages: int) -> str:
    """The sentence saying --max-pages stopped the crawl: what was read and what was left (None: the
    queue was shared with other processes, its length is not known)."""
    remaining = "仍有网址" if left is None else f"尚有{left}个网址"
    return f"本次检查达到抓取上限（{cap}个网址）后停止，{remaining}未抓取或检查，结论只依据已读取的{pages}个页面。"


def rule_overrun_note(overruns: list | None, titles: dict[str, str], seconds: float, shown: int = 10) -> str:
    """The sentence naming the pages a rule could not judge within its time budget (audit.judging.judge.PageBudget),
    "" when none: [rule id, page URL] pairs as the run stored them."""
    if not overruns:
        return ""
    listed = "；".join(f"{titles.get(rule, rule)}（{rule}）：{url}" for rule, url in overruns[:shown])
    more = f"等{len(overruns)}处" if len(overruns) > shown else ""
    return (
        f"以下检查项在个别页面上超过每页{seconds:g}秒的检查时间限额，该页面的该项检查未能完整检查，"
        f"不据部分内容下结论，其余页面照常检查：{listed}{more}。"
    )


# What a support column's pages are read for, by the evidence it supplies.
_PURPOSES = {Evidence.INTERPRETATIONS: "判断文件有无政策解读及是否与解读双向关联"}


@dataclass(frozen=True)
class SupportSummary:
    """A support column a one-column check read for rules that look outside the column."""

    name: str
    purpose: str
    url: str | None
    item_count: int


def summarise_support_columns(site: SiteSnapshot) -> list[SupportSummary]:
    summaries = []
    for spec in site.config.columns:
        if spec.supplies is not None:
            url = site.support_index(spec.key)
            items = {item.url for item in site.column_items(spec.key)} if url else set()
            summaries.append(SupportSummary(spec.name, _PURPOSES.get(spec.supplies, ""), url, len(items)))
    return summaries


def summarise_columns(site: SiteSnapshot) -> list[ColumnSummary]:
    summaries = []
    for spec in site.audited_columns():
        entry = site.column_index(spec.key)
        if entry is None:
            limit = site.config.crawl.max_clicks
            deep = next((e for e in site.column_entries(spec.key) if e.clicks is not None and e.clicks > limit), None)
            summaries.append(
                ColumnSummary(
                    spec.key,
                    spec.name,
                    None,
                    None,
                    False,
                    0,
                    0,
                    None,
                    None,
                    deep.url if deep else None,
                    deep.clicks if deep else None,
                    site.entry_path(spec.key, deep) if deep else None,
                )
            )
            continue
        items = site.column_items(spec.key)
        newest = site.newest(items)
        summaries.append(
            ColumnSummary(
                spec.key,
                spec.name,
                entry.url,
                entry.clicks,
                entry.on_site,
                item_count=len({item.url for item in items}),
                list_pages=len(site.column_list_pages(spec.key)),
                newest_date=newest[1] if newest else None,
                newest_title=newest[0].title if newest else None,
                path=site.entry_path(spec.key, entry),
            )
        )
    return summaries


@dataclass(frozen=True)
class ListGap:
    """A column list read short of what it declares, and why (a coverage gap)."""

    column_name: str
    url: str
    declared: str  # 60条 / 5页 / 未声明
    items_read: int
    pages_read: int
    reason: str


@dataclass(frozen=True)
class UnreadPage:
    """A page or attachment fetched but not read (over its reader's time or size limits)."""

    url: str
    reason: str


@dataclass(frozen=True)
class ListCoverageSummary:
    """How completely the audited columns' lists were read, and what the run fetched but could not
    read: the bulletin states its own coverage."""

    lists: int
    complete: int
    declared_records: int
    records_read: int
    gaps: tuple[ListGap, ...]
    unread: tuple[UnreadPage, ...] = ()


def summarise_list_reads(site: SiteSnapshot) -> ListCoverageSummary:
    reads = [(spec, read) for spec in site.audited_columns() for read in site.list_reads.get(spec.key, ())]
    declared = [read for _, read in reads if read.declared_records is not None]
    gaps = tuple(
        ListGap(
            spec.name,
            read.url,
            f"{read.declared_records}条"
            if read.declared_records is not None
            else f"{read.declared_pages}页"
            if read.declared_pages is not None
            else "未声明",
            read.items_read,
            read.pages_read,
            read.shortfall or "",
        )
        for spec, read in reads
        if not read.complete
    )
    return ListCoverageSummary(
        lists=len(reads),
        complete=sum(1 for _, read in reads if read.complete),
        declared_records=sum(read.declared_records for read in declared),
        records_read=sum(min(read.items_read, read.declared_records) for read in declared),
        gaps=gaps,
        unread=tuple(UnreadPage(url, reason) for url, reason in site.unread_pages()),
    )
