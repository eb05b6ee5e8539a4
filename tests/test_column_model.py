"""The column model through the real crawl: a page belongs to a required column only when the
column's own content lists it, or its breadcrumb or URL puts it under the column; a left
navigation listing the column's siblings makes nothing a member. Each finding says why its page
was judged part of the column."""

from __future__ import annotations

import pytest
from column_model_portals import (
    HANWEB_BM,
    HANWEB_NORMATIVE,
    HANWEB_SIBLING_PORTAL,
    HANWEB_SIBLINGS,
    HANWEB_XZF,
    TRS_FZWJ,
    TRS_GFXWJ_PAGE2,
    TRS_NORMATIVE,
    TRS_SIBLING_PORTAL,
    TRS_SIBLINGS,
    TRS_XZF,
)
from portal_kit import audit_pages

# The rules that judge a page because it is a document of the 规范性文件库.
NORMATIVE_RULES = ("normative.metadata_missing", "normative.no_download", "interpretation.missing")


@pytest.fixture(scope="module")
def trs(tmp_path_factory):
    result = audit_pages(tmp_path_factory.mktemp("trs-siblings"), TRS_SIBLING_PORTAL)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def hanweb(tmp_path_factory):
    result = audit_pages(tmp_path_factory.mktemp("hanweb-siblings"), HANWEB_SIBLING_PORTAL)
    assert result.returncode == 0, result.stderr
    return result


def _membership(result, path: str, rule: str = "normative.no_download") -> str:
    [finding] = [f for f in result.of(rule) if f["url"].endswith(path)]
    return finding["membership"]


@pytest.mark.parametrize("rule", NORMATIVE_RULES)
def test_sibling_columns_in_the_left_navigation_are_not_the_column(trs, hanweb, rule):
    # 其他文件 and 政府信息公开制度 stand beside 规章和规范性文件 in its navigation: their
    # documents are no 规范性文件, while every document truly in the column is still judged.
    assert trs.paths(rule) == TRS_NORMATIVE
    assert hanweb.paths(rule) == HANWEB_NORMATIVE
    assert not trs.paths(rule) & TRS_SIBLINGS and not hanweb.paths(rule) & HANWEB_SIBLINGS


def test_a_listed_sub_column_and_further_list_pages_show_their_chain(trs):
    tab = _membership(trs, TRS_XZF[0][0])
    assert tab == "所属栏目：规章和行政规范性文件库 › 县政府规范性文件（列表条目）"
    assert _membership(trs, TRS_GFXWJ_PAGE2[0][0]) == "所属栏目：规章和行政规范性文件库 › 第2页（列表条目）"


def test_a_child_only_in_the_navigation_joins_by_its_url(trs):
    # 已废止规范性文件 has no breadcrumb; /zcwj/gfxwj/fzwj/ lies under /zcwj/gfxwj/.
    assert _membership(trs, TRS_FZWJ[0][0]) == (
        "所属栏目：规章和行政规范性文件库 › 已废止规范性文件（列表条目；已废止规范性文件：网址位于该栏目目录下）"
    )


def test_children_only_in_the_navigation_join_by_their_breadcrumb(hanweb):
    # /col/col2010/ says nothing by its URL; its 当前位置 passes through 规范性文件.
    assert _membership(hanweb, HANWEB_XZF[0][0]) == (
        "所属栏目：规章和行政规范性文件库 › 县政府规范性文件（列表条目；县政府规范性文件：当前位置经过该栏目）"
    )
    assert "部门规范性文件：当前位置经过该栏目" in _membership(hanweb, HANWEB_BM[0][0], "interpretation.missing")


def test_the_bulletin_shows_why_a_page_is_in_the_column(trs):
    bulletin = (trs.out_dir / "technical.html").read_text("utf-8")
    assert "所属栏目：规章和行政规范性文件库 › 县政府规范性文件（列表条目）" in bulletin
    # A finding on no column's page carries no membership.
    assert all(f["membership"] is None for f in trs.of("link.broken"))
