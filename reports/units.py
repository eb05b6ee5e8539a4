"""责任单位: which unit answers for a finding.

In order: for 公共企事业单位, the 主管部门 of the sector the page belongs to (of the missing sectors for
entity.sector_missing); for a document of a column attributed by issuer (规范性文件), the unit its page
names as issuer (发布机构 / 发文机关, else its 文号 prefix); the units the county task list assigns to
the finding's column; else the 发布机构 the page states; else the portal's 主办单位 (`units.site`).
"""
from __future__ import annotations

from rules.base import Finding
from rules.documents import own_doc_number
from rules.entity.sector_missing import missing_sectors
from rules.snapshot import SiteSnapshot

from reports.config import UnitMap


def attribute(finding: Finding, site: SiteSnapshot, units: UnitMap) -> tuple[tuple[str, ...], str]:
    """The finding's units and where they came from: sector | issuer | column | publisher | site | register."""
    register_unit = site.registers.unit_of(finding.url)
    if register_unit:
        return (register_unit,), "register"
    spec = units.columns.get(finding.column) if finding.column else None
    page = site.pages.get(finding.url)
    if spec is not None:
        if spec.sectors:
            missing = missing_sectors(finding)
            found = tuple(dict.fromkeys(spec.sectors[name] for name in missing if name in spec.sectors)) \
                if missing else _sector_units(finding, site, spec.sectors)
            if found:
                return found, "sector"
        if spec.by_issuer and page is not None:
            issuer = _issuer(page, units.doc_prefixes)
            if issuer:
                return (issuer,), "issuer"
        if spec.units:
            return spec.units, "column"
    if page is not None and page.publisher and page.publisher.strip():
        return (page.publisher.strip(),), "publisher"
    return (units.site,), "site"


def _issuer(page, prefixes: dict[str, str]) -> str | None:
    """The unit a document page names as its issuer: 发布机构 / 发文机关, else the unit whose 文号
    prefix (longest first) begins the page's 文号."""
    if page.publisher and page.publisher.strip():
        return page.publisher.strip()
    number = own_doc_number(page)
    if number:
        for prefix in sorted(prefixes, key=len, reverse=True):
            if number.startswith(prefix):
                return prefixes[prefix]
    return None


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
