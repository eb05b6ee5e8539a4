"""Portals shared by the rule tests: one per rule family, with cases that fire and traps that must not."""

from __future__ import annotations

from portal_kit import doc_page, list_page, page


def _home(extra: str = "") -> str:
    return page(
        "首页",
        (
            '<div class="nav"><a href="/xxgk/">政府信息公开</a><a href="/zwfw/">政务服务</a>'
            '<a href="/zt/lqhm/">利企惠民政策专区</a></div>'
            '<ul class="news">'
            '<li><a href="/news/1.html">县政府召开常务会议</a><span>2022-10-10</span></li>'
            '<li><a href="/news/2.html">关于印发测试县行政许可事项清单（2023年版）的通知</a><span>2022-09-28</span></li>'
            "</ul>" + extra
        ),
    )


COLUMN_PORTAL = {
    "/index.html": _home(),
    "/news/1.html": page("县政府召开常务会议", "<p>会议内容。</p>"),
    "/news/2.html": page("关于印发测试县行政许可事项清单（2023年版）的通知", "<p>通知内容。</p>"),
    "/xxgk/": page(
        "政府信息公开",
        '<ul class="side"><li><a href="/xxgk/jbml/">基本目录</a></li>'
        '<li><a href="/xxgk/gfxwj/">规范性文件</a></li>'
        '<li><a href="/xxgk/ggqsy/">公共企事业单位信息公开</a></li>'
        '<li><a href="/xxgk/zcjd/">政策解读</a></li></ul>',
    ),
    # lqhm: a pinned 2021 row first; the newest row (2022-09-20) is on page 2.
    "/zt/lqhm/": list_page(
        "利企惠民政策专区",
        [
            ("[置顶]测试县惠企政策汇编", "/zt/lqhm/p0.html", "2021-03-01"),
            ("关于支持中小企业发展的若干措施", "/zt/lqhm/p1.html", "2022-05-01"),
        ],
        extra='<div class="page"><a href="/zt/lqhm/index_1.html">下一页</a></div>',
    ),
    "/zt/lqhm/index_1.html": list_page(
        "利企惠民政策专区",
        [
            ("关于进一步减免小微企业房租的通知", "/zt/lqhm/p2.html", "2022-09-20"),
        ],
    ),
    "/zt/lqhm/p0.html": page("测试县惠企政策汇编", "<p>汇编。</p>"),
    "/zt/lqhm/p1.html": page("关于支持中小企业发展的若干措施", "<p>措施。</p>"),
    "/zt/lqhm/p2.html": page("关于进一步减免小微企业房租的通知", "<p>通知。</p>"),
    # jbml: a category tree; one node is empty, another lists a fresh item.
    "/xxgk/jbml/": page(
        "基本目录",
        '<ul class="tree"><li><a href="/xxgk/jbml/jgzn/">机构职能</a></li>'
        '<li><a href="/xxgk/jbml/ghjh/">规划计划</a></li></ul><p>本目录按类别列示。</p>',
    ),
    "/xxgk/jbml/jgzn/": list_page(
        "机构职能", [("测试县人民政府办公室主要职责", "/xxgk/jbml/jgzn/1.html", "2022-06-30")]
    ),
    "/xxgk/jbml/jgzn/1.html": page("测试县人民政府办公室主要职责", "<p>职责。</p>"),
    "/xxgk/jbml/ghjh/": page("规划计划", '<div class="list">暂无信息</div>'),
    # gfxwj: newest 2022-03-20, 209 days before as-of.
    "/xxgk/gfxwj/": list_page(
        "规范性文件",
        [
            ("测试县城市道路管理办法", "/xxgk/gfxwj/1.html", "2022-03-20"),
            ("测试县农村集体资产管理办法", "/xxgk/gfxwj/2.html", "2021-11-02"),
        ],
    ),
    "/xxgk/gfxwj/1.html": doc_page(
        "测试县城市道路管理办法", doc_number="测政规〔2022〕1号", published="2022-03-20", label_line="（此件公开发布）"
    ),
    "/xxgk/gfxwj/2.html": doc_page(
        "测试县农村集体资产管理办法",
        doc_number="测政规〔2021〕3号",
        published="2021-11-02",
        label_line="（此件公开发布）",
    ),
    # ggqsy: every sector sub-column says 暂无信息.
    "/xxgk/ggqsy/": page(
        "公共企事业单位信息公开",
        '<ul class="tree"><li><a href="/xxgk/ggqsy/jy/">教育</a></li><li><a href="/xxgk/ggqsy/gs/">供水</a></li></ul>',
    ),
    "/xxgk/ggqsy/jy/": page("教育", '<div class="list">暂无信息</div>'),
    "/xxgk/ggqsy/gs/": page("供水", '<div class="list">暂无数据</div>'),
    # zcjd (added by the test config): items without dates anywhere.
    "/xxgk/zcjd/": list_page(
        "政策解读",
        [
            ("一图读懂测试县惠企利民政策措施", "/xxgk/zcjd/1001.html", None),
            ("《测试县城市道路管理办法》政策解读", "/xxgk/zcjd/1002.html", None),
            ("《测试县农村集体资产管理办法》政策解读", "/xxgk/zcjd/1003.html", None),
        ],
    ),
    "/xxgk/zcjd/1001.html": page("一图读懂测试县惠企利民政策措施", "<p>图解。</p>"),
    "/xxgk/zcjd/1002.html": page("《测试县城市道路管理办法》政策解读", "<p>解读。</p>"),
    "/xxgk/zcjd/1003.html": page("《测试县农村集体资产管理办法》政策解读", "<p>解读。</p>"),
    # xzxk: its only link is on a page 3 clicks deep, so the column is at 4.
    "/zwfw/": page("政务服务", '<a href="/zwfw/bszn/">办事指南</a>'),
    "/zwfw/bszn/": page("办事指南", '<a href="/zwfw/bszn/qt/">其他服务</a>'),
    "/zwfw/bszn/qt/": page("其他服务", '<a href="/zwfw/xzxk/">行政许可事项清单</a>'),
    "/zwfw/xzxk/": list_page(
        "行政许可事项清单", [("测试县行政许可事项清单（2022年版）", "/zwfw/xzxk/1.html", "2022-06-01")]
    ),
    "/zwfw/xzxk/1.html": page("测试县行政许可事项清单（2022年版）", "<p>清单。</p>"),
}

COLUMN_CONFIG = """
columns:
  zcjd:
    name: 政策解读
    anchors: [政策解读]
    stale_days: 30
    required: true
"""


LABEL_PORTAL = {
    "/index.html": page(
        "首页", '<a href="/xxgk/gfxwj/">规范性文件</a><a href="/news/">政务要闻</a><a href="/bm/">部门信息</a>'
    ),
    "/xxgk/gfxwj/": list_page(
        "规范性文件",
        [
            ("测试县甲办法", "/xxgk/gfxwj/ok.html", "2022-09-01"),
            ("测试县乙办法", "/xxgk/gfxwj/nolabel.html", "2022-09-02"),
            ("测试县丙办法", "/xxgk/gfxwj/conflict.html", "2022-09-03"),
            ("测试县丁办法", "/xxgk/gfxwj/onrequest.html", "2022-09-04"),
            ("测试县戊办法", "/xxgk/gfxwj/secret.html", "2022-09-05"),
            ("测试县己办法", "/xxgk/gfxwj/prose.html", "2022-09-06"),
            ("测试县庚办法", "/xxgk/gfxwj/mode.html", "2022-09-07"),
            ("测试县辛办法", "/xxgk/gfxwj/twice.html", "2022-09-08"),
            ("测试县壬办法", "/xxgk/gfxwj/nonumber.html", "2022-09-09"),
        ],
    ),
    "/xxgk/gfxwj/ok.html": doc_page("测试县甲办法", doc_number="测政规〔2022〕1号", label_line="（此件公开发布）"),
    "/xxgk/gfxwj/nolabel.html": doc_page("测试县乙办法", doc_number="测政规〔2022〕2号"),
    "/xxgk/gfxwj/conflict.html": doc_page(
        "测试县丙办法",
        doc_number="测政规〔2022〕3号",
        label_line="（此件公开发布）",
        metadata_extra="<tr><th>公开属性：</th><td>此件删减后公开</td></tr>",
    ),
    "/xxgk/gfxwj/onrequest.html": doc_page(
        "测试县丁办法", doc_number="测政规〔2022〕4号", label_line="（此件依申请公开）"
    ),
    "/xxgk/gfxwj/secret.html": doc_page("测试县戊办法", doc_number="测政规〔2022〕5号", label_line="（此件不公开）"),
    "/xxgk/gfxwj/prose.html": doc_page(
        "测试县己办法",
        doc_number="测政规〔2022〕6号",
        label_line="（此件公开发布）",
        body="<p>第五条 对依申请公开的政府信息，行政机关应当在规定期限内答复。</p><p>申请人可通过依申请公开渠道提出申请。</p>",
    ),
    "/xxgk/gfxwj/mode.html": doc_page(
        "测试县庚办法",
        doc_number="测政规〔2022〕7号",
        label_line="（此件删减后公开）",
        metadata_extra="<tr><th>公开方式：</th><td>主动公开</td></tr>",
    ),
    "/xxgk/gfxwj/twice.html": doc_page(
        "测试县辛办法",
        doc_number="测政规〔2022〕8号",
        label_line="（此件公开发布）",
        metadata_extra="<tr><th>公开属性：</th><td>此件公开发布</td></tr>",
    ),
    # In the 规范性文件库 a document needs no 文号 to be a 公文.
    "/xxgk/gfxwj/nonumber.html": doc_page("测试县壬办法"),
    "/news/": list_page(
        "政务要闻",
        [("县长调研春耕生产", "/news/1.html", "2022-09-10"), ("政务公开培训会召开", "/news/2.html", "2022-09-11")],
    ),
    "/news/1.html": page("县长调研春耕生产", "<p>县长一行调研春耕生产。</p>"),
    "/news/2.html": page("政务公开培训会召开", "<p>会议强调，群众可通过依申请公开方式获取相关信息。</p>"),
    "/bm/": list_page(
        "部门信息",
        [
            ("测试县农业农村局关于做好秋冬种工作的通知（测农发[2022]18号）", "/bm/1.html", "2022-09-12"),
            ("测试县农业农村局关于做好秋收工作的通知（测农发[2022]19号）", "/bm/2.html", "2022-09-13"),
        ],
    ),
    "/bm/1.html": page("测试县农业农村局关于做好秋冬种工作的通知（测农发[2022]18号）", "<p>通知内容。</p>"),
    "/bm/2.html": page(
        "测试县农业农村局关于做好秋收工作的通知（测农发[2022]19号）", "<p>通知内容。</p><p>（此件公开发布）</p>"
    ),
}
