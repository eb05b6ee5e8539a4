"""Policy documents and their 解读 for the normative.* and interpretation.* rules.

A 规范性文件 is a detail page the crawler followed as an item of the 规章和行政规范性文件库
(gfxwj). A 解读 page is an article (not a list such as the 政策解读 column page) whose title
contains 解读, or that the 政策解读 column lists, or that a document links by a text saying 解读. A document and a 解读 are paired by a link from one to the other; a page that
links many 解读 pages (or a 解读 that links many documents) shows a shared box such as
「最新解读」, not a pairing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from urllib.parse import urldefrag

from pydantic import Field

from crawler.vocabulary.columns import LIST_ROLES, Evidence, PageRole
from rules.base import RuleOptions, registered_rules
from rules.documents import NORMATIVE_COLUMN, is_document
from rules.settings import Settings
from rules.snapshot import PageView, SiteSnapshot

# Both judge the same pairs, so an option set on either holds for both (interpretation.missing first).
INTERPRETATION_RULES = ("interpretation.missing", "interpretation.unlinked")
# Links that can carry a related page (not images, scripts or stylesheets).
_RELATING_TAGS = frozenset({"a", "iframe"})


class InterpretationOptions(RuleOptions):
    """The options of each interpretation rule (each declares its own subclass)."""

    title_words: tuple[str, ...] = Field(
        ("解读",),
        min_length=1,
        description="标题含这些词之一的文章为解读页面（在任一解读规则上设置，两条规则都适用）",
    )
    max_related: int = Field(
        3,
        ge=1,
        description="链接超过这么多个解读页面的页面（或链接超过这么多个文件的解读）是公共板块，不算关联"
        "（在任一解读规则上设置，两条规则都适用）",
    )


def interpretation_options(config: Settings) -> InterpretationOptions:
    """The interpretation options as set on either rule, else their defaults."""
    declared = {spec.id: spec.options for spec in registered_rules()}
    chosen: dict = {}
    for rule_id in reversed(INTERPRETATION_RULES):
        options = config.options(declared[rule_id])
        chosen.update({name: getattr(options, name) for name in options.model_fields_set})
    return InterpretationOptions(**chosen)


def is_article(site: SiteSnapshot, page: PageView) -> bool:
    """A fetched HTML detail page: not a list, not an empty-column notice, not a column's list page."""
    if not page.fetched_ok or not page.is_html or page.is_list or page.empty_notice or page.redirect_to:
        return False
    return not any(role in LIST_ROLES for _, role in site.memberships(page.url))


def normative_documents(site: SiteSnapshot) -> Iterator[PageView]:
    """The audited 规范性文件: gfxwj items that are articles, 解读 pages listed there excepted."""
    words = title_words(site)
    for page in site.audited_pages():
        if (
            (NORMATIVE_COLUMN, PageRole.ITEM) in site.memberships(page.url)
            and is_article(site, page)
            and not _titled(page, words)
        ):
            yield page


def title_words(site: SiteSnapshot) -> tuple[str, ...]:
    """The words that make a title a 解读 title (option `title_words` of the interpretation rules)."""
    return interpretation_options(site.config).title_words


def max_related(site: SiteSnapshot) -> int:
    """Option `max_related` of the interpretation rules: more related links make a shared box."""
    return interpretation_options(site.config).max_related


def is_interpretation(site: SiteSnapshot, page: PageView, words: tuple[str, ...]) -> bool:
    """A 解读: an article titled so, or an article listed in the site's 政策解读 column (图解：…,
    《…》起草说明 are 解读 too, whatever their title says)."""
    return (_titled(page, words) or _listed_as_interpretation(site, page)) and is_article(site, page)


def _listed_as_interpretation(site: SiteSnapshot, page: PageView) -> bool:
    supports = [spec.key for spec in site.config.columns if spec.supplies == Evidence.INTERPRETATIONS]
    return any((page.url, PageRole.ITEM) in site.members.get(key, ()) for key in supports)


def _titled(page: PageView, words: tuple[str, ...]) -> bool:
    return any(word in (page.title or "") for word in words)


def related_links(site: SiteSnapshot, url: str, wanted: Callable[[str, str], bool], max_related: int) -> list[str]:
    """Distinct pages `url` links to for which `wanted(target_url, link_text)` holds, in page
    order; none when there are more than `max_related` (a shared box rather than a pairing)."""
    found: dict[str, None] = {}
    for link in site.links_from(url):
        target = urldefrag(link.to_url)[0]
        if link.tag in _RELATING_TAGS and target != url and target not in found and wanted(target, link.text):
            found[target] = None
    return list(found) if len(found) <= max_related else []


def policy_document(site: SiteSnapshot, url: str, words: tuple[str, ...]) -> bool:
    """Whether `url` is a fetched 公文 (a 文号, or an item of the 规范性文件库) that is not a 解读."""
    page = site.pages.get(url)
    return page is not None and is_article(site, page) and is_document(site, page) and not _titled(page, words)
