"""责任单位: which unit answers for a finding.

In order: for 公共企事业单位, the 主管部门 of the sector the page belongs to (of the missing sectors for
entity.sector_missing); for a document of a column attributed by issuer (规范性文件), the unit its page
names as issuer (发布机构 / 发文机关, else the 发文机关 heading its title, else its 文号 prefix); for any
other page that names its publisher (发布机构, 来源, ContentSource), that publisher; the units the
county task list assigns to the finding's column; else the issuer the page states or its title
names; else the portal's 主办单位 (`units.site`).

One unit has one name in a bulletin: a page's 马关县人民政府办公室 is the configured 县政府办公室, and a
document of the county government itself (马关县人民政府) answers to the office that runs the portal.
"""

from __future__ import annotations

import re

from rules.base import Finding
from rules.documents import own_doc_number
from rules.settings import UnitMap
from rules.snapshot import SiteSnapshot


def attribute(finding: Finding, site: SiteSnapshot, units: UnitMap) -> tuple[tuple[str, ...], str]:
    """The finding's units and where they came from: sector | issuer | column | publisher | site | register."""
    register_unit = site.registers.unit_of(finding.url)
    if register_unit:
        return (canonical_unit(register_unit, units),), "register"
    spec = units.columns.get(finding.column) if finding.column else None
    page = site.pages.get(finding.url)
    if spec is not None:
        if spec.sectors:
            missing = finding.facts.get("sectors", ())
            found = (
                tuple(dict.fromkeys(spec.sectors[name] for name in missing if name in spec.sectors))
                if missing
                else _sector_units(finding, site, spec.sectors)
            )
            if found:
                return found, "sector"
        if spec.by_issuer and page is not None:
            issuer = _stated_issuer(page) or _prefix_issuer(page, units.doc_prefixes)
            if issuer:
                return (canonical_unit(issuer, units),), "issuer"
        if page is not None and page.publisher and page.publisher.strip() and not page.is_list:
            # A page that names its publisher (发布机构, 来源, ContentSource) answers through it: the
            # task list's unit keeps the column, not what another unit published in it.
            return (canonical_unit(page.publisher, units),), "publisher"
        if spec.units:
            return spec.units, "column"
    issuer = _stated_issuer(page) if page is not None else None
    if issuer:
        return (canonical_unit(issuer, units),), "publisher"
    return (units.site,), "site"


# The 发文机关 heading a 公文's title (GB/T 9704: 发文机关 + 关于 + 事由 + 文种): the shortest run of
# name characters ending in an organ word and followed by 关于/印发/转发. Joint issuers (separated
# by spaces) and titles that start with 关于 name no single issuer.
_TITLE_ISSUER = re.compile(
    r"^([\u4e00-\u9fff（）()]{2,30}?(?:人民政府办公室|政府办公室|人民政府|办公室|委员会|管委会|分局|局|委|办|"
    r"中心|院|所|站|队|厅|署|公司|集团|联合会|协会))(?:关于|印发|转发)"
)


def _stated_issuer(page) -> str | None:
    """The issuer a page states (发布机构 / 发文机关), else the 发文机关 heading its title."""
    if page.publisher and page.publisher.strip():
        return page.publisher.strip()
    match = _TITLE_ISSUER.match((page.title or "").strip())
    return match.group(1) if match else None


def _prefix_issuer(page, prefixes: dict[str, str]) -> str | None:
    """The unit whose 文号 prefix (longest first) begins the page's 文号."""
    number = own_doc_number(page)
    if number:
        for prefix in sorted(prefixes, key=len, reverse=True):
            if number.startswith(prefix):
                return prefixes[prefix]
    return None


def canonical_unit(name: str, units: UnitMap) -> str:
    """The configured name of the unit a page or a register row names (UnitMap.canonical)."""
    return units.canonical(name)


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
