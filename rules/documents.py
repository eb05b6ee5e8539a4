"""What makes a page a 公文 (an official document) for the label rules."""

from __future__ import annotations

import re

from crawler.vocabulary.columns import PageRole
from rules.snapshot import PageView, SiteSnapshot

# 马政办发〔2022〕122号, 马农发[2022]18号, 国办函（2019）5号 ...: issuer, bracketed year, number.
DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,12}\s*[〔\[［(（【﹝〖]\s*(?:19|20)\d{2}\s*[〕\]］)）】﹞〗]\s*第?\s*\d{1,5}\s*号"
)
NOT_A_NUMBER = {"", "无", "暂无", "-", "—", "/"}

# The column whose every document is a 公文, whatever its page shows.
NORMATIVE_COLUMN = "gfxwj"


def own_doc_number(page: PageView) -> str | None:
    """The page's own 文号: its metadata field, else one standing in its title."""
    if page.doc_number and page.doc_number.strip() not in NOT_A_NUMBER:
        return page.doc_number.strip()
    match = DOC_NUMBER.search(page.title or "")
    return match.group(0) if match else None


def is_document(site: SiteSnapshot, page: PageView) -> bool:
    """A fetched detail page (not a list) with a 文号, or any document of the 规范性文件库 other
    than a 解读 listed beside the documents it interprets."""
    if not page.fetched_ok or page.is_list or page.empty_notice or not page.is_html:
        return False
    if own_doc_number(page):
        return True
    return (NORMATIVE_COLUMN, PageRole.ITEM) in site.memberships(page.url) and "解读" not in (page.title or "")


def describe(page: PageView) -> str:
    number = own_doc_number(page)
    return f"{page.title or page.url}" + (f"（{number}）" if number and number not in (page.title or "") else "")
