"""What the crawl looks for: the required columns (found by the link texts that point to them),
the support columns that supply what some rules read elsewhere on the site, the role a page plays
in a column, and the crawl's limits."""

from __future__ import annotations

import enum
import re
import unicodedata
from functools import cached_property, lru_cache

from pydantic import BaseModel, ConfigDict, Field, field_validator


class PageRole(str, enum.Enum):
    """Why a page was fetched: the column chain home → index → sub-column → paging → item."""

    HOME = "home"
    PAGE = "page"  # any other page of the site, fetched for links and site-level rules
    INDEX = "index"  # the column's own page, reached by a link whose text names the column
    SUB = "sub"  # a sub-column: listed in the column's content, or under it by breadcrumb or URL
    # A page a column page links outside its content (its sub-navigation): fetched to see whether
    # its breadcrumb or URL puts it under the column; a member only then, as a sub-column.
    CANDIDATE = "candidate"
    PAGING = "paging"  # a further page of a column list
    ITEM = "item"  # an entry of a column list

    def __str__(self) -> str:
        return self.value

    # Roles come back from the database as plain strings: hash as the string they equal.
    __hash__ = str.__hash__


class MemberReason(str, enum.Enum):
    """Why a page belongs to a column: the column's own content lists it or leads to it. Site
    navigation, left/sub navigation listing siblings, footers and related boxes never do."""

    ANCHOR = "anchor"  # the column's index: a link whose text names the column
    LISTED = "listed"  # listed in a column page's content (its list, a sub-column grid, tabs)
    FRAME = "frame"  # framed in a column page
    PAGING = "paging"  # a further page of a column list
    BREADCRUMB = "breadcrumb"  # its 当前位置 trail passes through the column
    PATH = "path"  # its URL lies under the column's folder

    def __str__(self) -> str:
        return self.value

    __hash__ = str.__hash__


# Roles of pages that list a column's entries.
LIST_ROLES = frozenset({PageRole.INDEX, PageRole.SUB, PageRole.PAGING})


class Evidence(str, enum.Enum):
    """What a rule must have read before it may conclude anything. Every run reads the audited
    pages, the pages their entries link to, the targets of every link (checked), and the home
    page with the pages within max_clicks of it; a one-column check reads the rest of the site
    only through a support column."""

    AUDITED = "audited"
    # The site's 解读 pages: a full audit reads them, a one-column check through a 政策解读 column.
    INTERPRETATIONS = "interpretations"
    # The portal as a whole (its home page's freshness): only a full audit judges it.
    SITE = "site"

    def __str__(self) -> str:
        return self.value

    __hash__ = str.__hash__


class _Shape(BaseModel):
    """A part of the settings tree (rules.settings.Settings): frozen, an unknown key an error."""

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


class ColumnSpec(_Shape):
    """A column of the portal, found by the link texts that point to it: a required column, which
    is audited, or a support column (not required), which is crawled for what it `supplies`.
    A required column needs its `stale_days`; a support column says what it supplies (e.g.
    `supplies: interpretations`) and needs no update deadline. `key` is its key under `columns:`."""

    key: str
    name: str
    anchors: tuple[str, ...] = Field(min_length=1)
    stale_days: int | None = Field(None, ge=1)
    required: bool = True
    supplies: Evidence | None = None

    def matches(self, link_text: str) -> bool:
        """True when the whole link text is one of this column's anchor texts."""
        text = normalise_anchor(link_text)
        return bool(text) and text in self.anchor_forms

    @cached_property
    def anchor_forms(self) -> frozenset[str]:
        """The anchor texts as normalise_anchor folds them (asked for every link of every page)."""
        return frozenset(normalise_anchor(a) for a in self.anchors)


class CrawlLimits(_Shape):
    """The `crawl:` settings; their values, defaults included, are in audit/config/defaults.yaml only."""

    max_clicks: int = Field(ge=1)
    max_depth: int = Field(ge=0)
    max_pages: int = Field(ge=1)
    max_list_pages: int = Field(ge=1)
    timeout: float = Field(gt=0)
    site_hosts: tuple[str, ...]
    obey_robots: bool
    # Reading on a budget (crawler.crawl.budget): reader processes, CPU seconds and memory per page or
    # attachment, and what a site's attachments may unpack in total.
    readers: int
    read_seconds: float
    read_memory_mb: int
    attachments_inflated_mb: int
    # List pages a script fills, rendered in headless Chromium (crawler.crawl.render): at most
    # `render_pages` a site, `render_seconds` each.
    render_pages: int = Field(ge=0)
    render_seconds: float = Field(gt=0)
    # The rules phase: CPU seconds one rule may spend on one page (audit.judging.judge.PageBudget).
    rule_seconds: float = Field(gt=0)
    # Politeness: None keeps the adaptive default (AutoThrottle, 4 at a time); a number fixes the
    # concurrent requests to the site (for one's own site). `delay`: seconds between requests.
    concurrency: int | None
    delay: float | None

    @field_validator("site_hosts")
    @classmethod
    def _lower(cls, hosts: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(host.lower() for host in hosts)

    @field_validator("readers", "concurrency")
    @classmethod
    def _at_least_one(cls, value: int | None) -> int | None:
        return None if value is None else max(1, value)

    @field_validator("delay")
    @classmethod
    def _not_negative(cls, value: float | None) -> float:
        return max(0.0, value or 0.0)


_ANCHOR_NOISE = re.compile(r"[\s\u200b\ufeff·•»>《》「」【】\[\]()（）:：、,，.。\-—_|]+")
_ANCHOR_SUFFIX = re.compile(r"(专栏|专区|栏目|库)$")


# Link texts repeat on every page (navigation, footer): each is folded once.
@lru_cache(maxsize=8192)
def normalise_anchor(text: str) -> str:
    """Fold a link text to compare it with anchor variants: width, spaces, punctuation, suffix."""
    folded = _ANCHOR_NOISE.sub("", unicodedata.normalize("NFKC", text or ""))
    return _ANCHOR_SUFFIX.sub("", folded)
