"""A 政府信息公开 platform whose pages carry a side tree headed 主动公开目录 (div.tit, no h1 of their
own on column pages), served and audited: a blank 基本目录 node is named after its own page, not after
the tree's heading; a node with a note is not blank.
"""

from __future__ import annotations

from pathlib import Path

from tests.portal_kit import audit_pages

LEFT = (
    '<div class="xxgk-left"><div class="tit">主动公开目录</div><dl>'
    '<dt><a href="/xxgk/jbml/">政府信息公开基本目录</a></dt><dt><a href="/xxgk/gkzn/">政府信息公开指南</a></dt></dl></div>'
)


def _page(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}-测试县人民政府</title></head><body>'
        f'<div class="top"><a href="/">首页</a><a href="/xxgk/">政府信息公开</a></div>'
        f'<div class="main">{LEFT}<div class="xxgk-right">{body}</div></div>'
        f'<div class="footer">主办：测试县人民政府办公室</div></body></html>'
    )


def _portal() -> dict[str, str]:
    item = "/xxgk/jbml/jgzn/1.html"
    return {
        "/": _page("测试县人民政府", '<p><a href="/xxgk/">政府信息公开</a></p>'),
        "/xxgk/": _page("政府信息公开", "<p>请选择左侧目录。</p>"),
        "/xxgk/gkzn/": _page("政府信息公开指南", "<p>更新日期：2022-03-01</p>"),
        "/xxgk/jbml/": _page(
            "政府信息公开基本目录",
            '<table class="ml"><tr><th>类别</th></tr>'
            '<tr><td><a href="/xxgk/jbml/jgzn/">机构职能</a></td></tr>'
            '<tr><td><a href="/xxgk/jbml/xzcf/">行政处罚</a></td></tr>'
            '<tr><td><a href="/xxgk/jbml/jyta/">建议提案办理</a></td></tr></table>',
        ),
        "/xxgk/jbml/jgzn/": _page(
            "机构职能",
            f'<table class="list"><tr><td><a href="{item}">测试县人民政府办公室主要职责</a>'
            "</td><td>2022-02-10</td></tr></table>",
        ),
        item: _page(
            "测试县人民政府办公室主要职责",
            "<h2>测试县人民政府办公室主要职责</h2><p>发布日期：2022-02-10</p>"
            "<p>负责县政府日常运转工作，协助县政府领导同志处理有关事务。</p>",
        ),
        "/xxgk/jbml/xzcf/": _page("行政处罚", "<p>说明：本机关不具有行政处罚职能，无此类信息。</p>"),
        "/xxgk/jbml/jyta/": _page("建议提案办理", ""),
    }


def test_blank_node_is_named_after_its_page_not_the_side_tree(tmp_path: Path):
    result = audit_pages(tmp_path, _portal())
    assert result.returncode == 0, result.stderr
    blank = result.of("catalog.blank_node")
    assert [f["url"][len(result.base_url) - 1 :] for f in blank] == ["/xxgk/jbml/jyta/"]
    assert "「建议提案办理」" in blank[0]["message"]
    assert "主动公开目录" not in blank[0]["message"] + (blank[0]["membership"] or "")
