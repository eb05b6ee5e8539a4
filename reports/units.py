"""责任单位: which unit answers for a finding.

In order: the units the county task list assigns to the finding's column (for 公共企事业单位, the
主管部门 of the sector the page belongs to); else the 发布机构 the page states; else the portal's
主办单位 (`units.site`).
"""
from __future__ import annotations

from rules.base import Finding
from rules.snapshot import SiteSnapshot

from reports.config import UnitMap


def attribute(finding: Finding, site: SiteSnapshot, units: UnitMap) -> tuple[tuple[str, ...], str]:
    """The finding's units and where they came from: sector | column | publisher | site | register."""
    register_unit = site.registers.unit_of(finding.url)
    if register_unit:
        return (register_unit,), "register"
    spec = units.columns.get(finding.column) if finding.column else None
    if spec is not None:
        if spec.sectors:
            found = _sector_units(finding, site, spec.sectors)
            if found:
                return found, "sector"
        if spec.units:
            return spec.units, "column"
    page = site.pages.get(finding.url)
    if page is not None and page.publisher and page.publisher.strip():
        return (page.publisher.strip(),), "publisher"
    return (units.site,), "site"


def _sector_units(finding: Finding, site: SiteSnapshot, sectors: dict[str, str]) -> tuple[str, ...]:
    """Sectors named in the finding page's title, else in the titles of the column's list pages that
    list it, else (a finding about the whole column) in the titles of all the column's list pages."""
    list_pages = site.column_list_pages(finding.column)
    listing = [url for url in list_pages if any(item.url == finding.url for item in site.main_items.get(url, ()))]
    for urls in ([finding.url], listing, list_pages):
        titles = [site.pages[url].title or "" for url in urls if url in site.pages]
        found = [unit for name, unit in sectors.items() if any(name in title for title in titles)]
        if found:
            return tuple(dict.fromkeys(found))
    return ()
