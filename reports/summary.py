"""Per-column facts for the bulletin: where each required column was found and how current it is,
and which support columns a one-column check read."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from crawler.columns import Evidence
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
            summaries.append(ColumnSummary(spec.key, spec.name, None, None, False, 0, 0, None, None))
            continue
        items = site.column_items(spec.key)
        newest = site.newest(items)
        summaries.append(ColumnSummary(
            spec.key, spec.name, entry.url, entry.clicks, entry.on_site,
            item_count=len({item.url for item in items}),
            list_pages=len(site.column_list_pages(spec.key)),
            newest_date=newest[1] if newest else None,
            newest_title=newest[0].title if newest else None,
        ))
    return summaries
