"""The portal of the content rules (normative.*, interpretation.*, text.wrong_expression,
catalog.blank_node, entity.sector_missing, page.meta_missing, column.due_soon): cases that fire
and traps that must not, audited once as shipped and once under CONTENT_CONFIG."""

from __future__ import annotations

from html import escape
from pathlib import Path

from portal_kit import doc_page, list_page, page
from portals_privacy import docx_bytes, pdf_bytes, xlsx_bytes

ALL_TAGS = ("SiteName", "SiteIDCode", "ColumnName", "ArticleTitle", "PubDate")


def _meta(title: str, published: str | None, names: tuple[str, ...]) -> str:
    """<meta> tags of the given names (any letter case), with the values a real portal gives them."""
    values = {
        "sitename": "测试县人民政府",
        "siteidcode": "5300000001",
        "columnname": "政务要闻",
        "articletitle": title,
        "pubdate": f"{published} 09:00" if published else "",
    }
    return "".join(f'<meta name="{name}" content="{escape(values[name.lower()])}">' for name in names)


def article(
    title: str, body: str, *, published: str | None = "2022-09-01", tags: tuple[str, ...] = ("ArticleTitle",)
) -> str:
    """A news-style article: 发布时间 line (unless undated), its body and the given <meta> tags."""
    info = f'<div class="info">发布时间：{published} 09:00 来源：测试县人民政府办公室</div>' if published else ""
    return page(
        title, f'<h1>{escape(title)}</h1>{info}<div class="content">{body}</div>', meta=_meta(title, published, tags)
    )


def reading(title: str, body: str) -> str:
    """A 解读 article (ArticleTitle makes it a detail page whatever its length)."""
    return article(
        title, f"<p>一、出台背景。二、主要内容。三、适用范围。</p>{body}", published="2022-09-02", tags=ALL_TAGS
    )


def normative(
    title: str,
    number: str | None,
    *,
    validity: str | None = "现行有效",
    written: str | None = "2022-08-28",
    published: str = "2022-09-01",
    extra: str = "",
) -> str:
    rows = (f"<tr><th>成文日期：</th><td>{written}</td></tr>" if written else "") + (
        f"<tr><th>有效性：</th><td>{validity}</td></tr>" if validity is not None else ""
    )
    return doc_page(
        title,
        doc_number=number,
        published=published,
        metadata_extra=rows,
        label_line="（此件公开发布）",
        body=f"<p>各乡（镇）人民政府，县直各部门：现将有关事项通知如下。</p>{extra}",
    )


PDF = '<p>附件：<a href="/xxgk/gfxwj/files/g1.pdf">测试县甲办法.pdf</a> <a href="/xxgk/gfxwj/files/g1.OFD">测试县甲办法.OFD</a></p>'

CONTENT_PORTAL = {
    "/index.html": page(
        "首页",
        (
            '<div class="nav"><a href="/xxgk/">政府信息公开</a><a href="/zt/lqhm/">利企惠民政策专区</a>'
            '<a href="/news/">政务要闻</a><a href="/bm/">部门信息</a></div>'
            '<ul class="news"><li><a href="/news/typo.html">县政府召开经济运行分析会</a><span>2022-10-10</span></li></ul>'
            '<div class="links">友情链接：测试县农业局</div>'
        ),
    ),
    "/xxgk/": page(
        "政府信息公开",
        '<ul class="side"><li><a href="/xxgk/jbml/">基本目录</a></li>'
        '<li><a href="/xxgk/gfxwj/">规范性文件</a></li><li><a href="/xxgk/ggqsy/">公共企事业单位信息公开</a></li>'
        '<li><a href="/xxgk/zcjd/">政策解读</a></li><li><a href="/xxgk/gkzn.html">政府信息公开指南</a></li></ul>',
    ),
    "/xxgk/gkzn.html": page(
        "政府信息公开指南", "<p>" + "为了保障公民、法人和其他组织依法获取政府信息，本机关编制本指南。" * 12 + "</p>"
    ),
    # lqhm: newest item 2022-04-20, stale from 2022-10-21 (6 days after as-of).
    "/zt/lqhm/": list_page(
        "利企惠民政策专区",
        [
            ("关于支持中小企业发展的若干措施", "/zt/lqhm/1.html", "2022-04-20"),
            ("测试县惠企政策汇编", "/zt/lqhm/2.html", "2022-01-10"),
        ],
    ),
    "/zt/lqhm/1.html": article(
        "关于支持中小企业发展的若干措施", "<p>措施。</p>", published="2022-04-20", tags=ALL_TAGS
    ),
    "/zt/lqhm/2.html": article("测试县惠企政策汇编", "<p>汇编。</p>", published="2022-01-10", tags=ALL_TAGS),
    # gfxwj: fresh documents with every kind of metadata, attachment and 解读 relation.
    "/xxgk/gfxwj/": list_page(
        "规范性文件",
        [
            ("测试县甲办法", "/xxgk/gfxwj/g1.html", "2022-09-01"),
            ("测试县乙办法", "/xxgk/gfxwj/g2.html", "2022-09-02"),
            ("测试县丙办法", "/xxgk/gfxwj/g3.html", "2022-09-03"),
            ("测试县丁办法", "/xxgk/gfxwj/g4.html", "2022-09-04"),
            ("测试县人民政府关于印发测试县戊办法的通知（测政规〔2022〕5号）", "/xxgk/gfxwj/g5.html", "2022-09-05"),
            ("测试县己办法", "/xxgk/gfxwj/g6.html", "2022-09-06"),
            ("测试县庚办法", "/xxgk/gfxwj/202209/t20220907_7.html", "2022-09-07"),
            ("《测试县甲办法》政策解读", "/xxgk/zcjd/j1.html", "2022-09-02"),
            ("测试县辛办法", "/xxgk/gfxwj/g9.html", "2022-09-09"),
        ],
    ),
    "/xxgk/gfxwj/g1.html": normative(
        "测试县甲办法",
        "测政规〔2022〕1号",
        extra=PDF + '<p>相关解读：<a href="/xxgk/zcjd/j1.html">《测试县甲办法》政策解读</a></p>',
    ),
    "/xxgk/gfxwj/g2.html": normative(
        "测试县乙办法",
        "无",
        validity=None,
        extra='<p>附件：<a href="/xxgk/gfxwj/files/g2.docx">测试县乙办法.docx</a></p>'
        '<p>相关解读：<a href="/xxgk/zcjd/j2.html">《测试县乙办法》解读</a></p>',
    ),
    "/xxgk/gfxwj/g3.html": normative(
        "测试县丙办法",
        "测政规〔2022〕3号",
        validity="已废止",
        extra='<p>附件：<a href="/module/download/downfile.jsp?classid=0&amp;filename=P020220903.pdf">测试县丙办法</a></p>',
    ),
    "/xxgk/gfxwj/g4.html": normative(
        "测试县丁办法",
        "测政规〔2022〕4号",
        extra='<p>附件：<a href="/xxgk/gfxwj/files/g4.xlsx">测试县丁办法附表.xlsx</a>'
        '<a href="/xxgk/gfxwj/files/g4.csv">数据.csv</a><a href="/xxgk/gfxwj/files/g4.jpg">扫描件</a></p>',
    ),
    "/xxgk/gfxwj/g5.html": doc_page(
        "测试县人民政府关于印发测试县戊办法的通知（测政规〔2022〕5号）",
        published="2022-09-05",
        metadata_extra="<tr><th>有效性：</th><td>现行有效</td></tr>",
        label_line="（此件公开发布）",
        body='<p>现印发给你们。</p><p>相关解读：<a href="/xxgk/zcjd/j5.html">《测试县戊办法》图文解读</a></p>',
    ),
    "/xxgk/gfxwj/g6.html": normative(
        "测试县己办法",
        "测政规〔2022〕6号",
        extra='<p>附件：<a href="/xxgk/gfxwj/files/missing.docx">测试县己办法.docx</a></p>'
        '<p>相关解读：<a href="http://jd.example.invalid/zcjd/6.html">《测试县己办法》政策解读</a></p>',
    ),
    "/xxgk/gfxwj/202209/t20220907_7.html": page(
        "测试县庚办法",
        (
            '<table class="meta"><tr><th>索引号：</th><td>11532625MB0000000X/2022-00007</td><th>发布机构：</th><td>测试县人民政府</td></tr>'
            "<tr><th>文号：</th><td>测政规〔2022〕7号</td></tr><tr><th>有效性：</th><td>现行有效</td></tr></table>"
            '<h1>测试县庚办法</h1><div class="content"><p>现印发给你们。</p>'
            '<p>附件：<a href="/xxgk/gfxwj/files/g7.pdf">测试县庚办法.pdf</a></p>'
            '<p>相关解读：<a href="/xxgk/zcjd/j7.html">一图读懂《测试县庚办法》解读</a></p><p>（此件公开发布）</p></div>'
        ),
    ),
    "/xxgk/gfxwj/g9.html": normative(
        "测试县辛办法",
        "测政规〔2022〕9号",
        extra=PDF.replace("g1", "g9")
        + (
            '<div class="side"><h3>最新解读</h3><ul><li><a href="/xxgk/zcjd/j1.html">《测试县甲办法》政策解读</a></li>'
            '<li><a href="/xxgk/zcjd/j3.html">《测试县丙办法》政策解读</a></li><li><a href="/xxgk/zcjd/j5.html">《测试县戊办法》图文解读</a></li>'
            '<li><a href="/xxgk/zcjd/j7.html">一图读懂《测试县庚办法》解读</a></li></ul></div>'
        ),
    ),
    # 政策解读: the column page lists every 解读; it is a list, not a 解读.
    "/xxgk/zcjd/": list_page(
        "政策解读",
        [
            ("《测试县甲办法》政策解读", "/xxgk/zcjd/j1.html", "2022-09-02"),
            ("《测试县乙办法》解读", "/xxgk/zcjd/j2.html", "2022-09-02"),
            ("《测试县丙办法》政策解读", "/xxgk/zcjd/j3.html", "2022-09-03"),
            ("《测试县戊办法》图文解读", "/xxgk/zcjd/j5.html", "2022-09-05"),
            ("一图读懂《测试县庚办法》解读", "/xxgk/zcjd/j7.html", "2022-09-07"),
            ("《秋冬种工作通知》解读", "/bm/jd.html", "2022-09-12"),
        ],
    ),
    "/xxgk/zcjd/j1.html": reading(
        "《测试县甲办法》政策解读", '<p>原文链接：<a href="/xxgk/gfxwj/g1.html">测试县甲办法</a></p>'
    ),
    "/xxgk/zcjd/j2.html": reading(
        "《测试县乙办法》解读", '<p>原文链接：<a href="/xxgk/gfxwj/g2.html">测试县乙办法</a></p>'
    ),
    "/xxgk/zcjd/j3.html": reading(
        "《测试县丙办法》政策解读", '<p>原文链接：<a href="/xxgk/gfxwj/g3.html">测试县丙办法</a></p>'
    ),
    "/xxgk/zcjd/j5.html": reading("《测试县戊办法》图文解读", "<p>图文。</p>"),
    "/xxgk/zcjd/j7.html": reading(
        "一图读懂《测试县庚办法》解读", '<p>原文：<a href="/xxgk/gfxwj/202209/t20220907_7.html">测试县庚办法</a></p>'
    ),
    # 部门信息: a 公文 outside gfxwj, linked from its 解读 but not linking back; news linking a 解读.
    "/bm/": list_page(
        "部门信息",
        [
            ("测试县农业农村局关于做好秋冬种工作的通知（测农发〔2022〕18号）", "/bm/1.html", "2022-09-12"),
            ("《秋冬种工作通知》解读", "/bm/jd.html", "2022-09-12"),
        ],
    ),
    "/bm/1.html": article(
        "测试县农业农村局关于做好秋冬种工作的通知（测农发〔2022〕18号）",
        "<p>通知内容。</p><p>（此件公开发布）</p>",
        published="2022-09-12",
        tags=ALL_TAGS,
    ),
    "/bm/jd.html": reading(
        "《秋冬种工作通知》解读", '<p>原文链接：<a href="/bm/1.html">测试县农业农村局关于做好秋冬种工作的通知</a></p>'
    ),
    # 政务要闻: wording cases and meta-tag cases.
    "/news/": list_page(
        "政务要闻",
        [
            ("县政府召开经济运行分析会", "/news/typo.html", "2022-10-10"),
            ("2017年土地工作会议召开", "/news/old.html", "2017-05-01"),
            ("县政府召开机构改革总结会", "/news/former.html", "2022-09-20"),
            ("县领导调研春耕", "/news/nodate.html", None),
            ("县长接待来访群众", "/news/meta_ok.html", "2022-09-21"),
            ("县政府召开常务会议", "/news/meta_partial.html", "2022-09-22"),
            ("县委理论学习中心组召开专题学习会", "/news/phrases.html", "2022-09-23"),
        ],
    ),
    "/news/typo.html": article(
        "县政府召开经济运行分析会",
        (
            "<p>会议要求，各部门要再接再励，马关县环境保护局要加强督查。</p>"
            "<p>会议强调，既使得群众满意，又要农业部门按排名先后推进。</p>"
            '<a href="/xxgk/zcjd/j1.html">《测试县甲办法》政策解读</a>'
        ),
        published="2022-10-10",
        tags=ALL_TAGS,
    ),
    # Misspelt fixed phrases that the dictionary does not list, and the traps around them.
    "/news/phrases.html": article(
        "县委理论学习中心组召开专题学习会",
        (
            "<p>会议要求，要坚持实是求是，做到两个维户，以持而不息的韧劲打好污染防治功坚战，领导干部要严于律已。</p>"
            "<p>决不允许任何人凌驾于人民之上，坚持以仁为本。工作条件很艰苦。奋斗者不惧艰险。</p>"
            "<p>公文校对常见错误：「凝心聚利」应为「凝心聚力」。</p>"
        ),
        published="2022-09-23",
        tags=ALL_TAGS,
    ),
    "/news/old.html": article(
        "2017年土地工作会议召开", "<p>马关县国土资源局局长出席会议并讲话。</p>", published="2017-05-01", tags=ALL_TAGS
    ),
    "/news/former.html": article(
        "县政府召开机构改革总结会",
        (
            "<p>县自然资源局承担原县国土资源局的职责，县文体局并入县文化和旅游局。</p>"
            '<div class="links">友情链接：测试县农业局</div>'
        ),
        published="2022-09-20",
        tags=ALL_TAGS,
    ),
    "/news/nodate.html": page(
        "县领导调研春耕",
        "<h1>县领导调研春耕</h1><p>县农业局陪同调研。" + "调研组深入田间地头。" * 25 + "</p>",
        meta=_meta("县领导调研春耕", None, ("ArticleTitle",)),
    ),
    "/news/meta_ok.html": article(
        "县长接待来访群众",
        "<p>接待。</p>",
        published="2022-09-21",
        tags=("sitename", "SiteIDCode", "columnname", "ArticleTitle", "PubDate"),
    ),
    "/news/meta_partial.html": article(
        "县政府召开常务会议", "<p>会议。</p>", published="2022-09-22", tags=("SiteName", "ColumnName", "ArticleTitle")
    ),
    # jbml: a tree of nodes, blank ones with and without an explanation.
    "/xxgk/jbml/": page(
        "基本目录",
        '<ul class="tree"><li><a href="/xxgk/jbml/jgzn/">机构职能</a></li>'
        '<li><a href="/xxgk/jbml/ghjh/">规划计划</a></li><li><a href="/xxgk/jbml/kong/">统计信息</a></li>'
        '<li><a href="/xxgk/jbml/zdxm/">重大建设项目</a></li><li><a href="/xxgk/jbml/zrzh/">自然灾害</a></li>'
        '<li><a href="/xxgk/jbml/jgsz.html">机构设置</a></li><li><a href="/xxgk/jbml/czxx/">财政信息</a></li>'
        '<li><a href="/xxgk/jbml/rsxx/">人事信息</a></li></ul><p>本目录按类别列示。</p>',
    ),
    # A branch whose two nodes are both empty (one finding, on the branch), and one with a filled node.
    "/xxgk/jbml/czxx/": page(
        "财政信息",
        '<ul class="tree"><li><a href="/xxgk/jbml/czxx/ys/">财政预算</a></li>'
        '<li><a href="/xxgk/jbml/czxx/js/">财政决算</a></li></ul>',
    ),
    "/xxgk/jbml/czxx/ys/": page("财政预算", '<h2>财政预算</h2><ul class="list"></ul>'),
    "/xxgk/jbml/czxx/js/": page("财政决算", '<ul class="list"></ul><div class="no-data">暂无信息</div>'),
    "/xxgk/jbml/rsxx/": page(
        "人事信息",
        '<ul class="tree"><li><a href="/xxgk/jbml/rsxx/rm/">人事任免</a></li>'
        '<li><a href="/xxgk/jbml/rsxx/zp/">招考录用</a></li></ul>',
    ),
    "/xxgk/jbml/rsxx/rm/": list_page(
        "人事任免", [("测试县人民政府关于张某某等同志职务任免的通知", "/xxgk/jbml/rsxx/rm/1.html", "2021-06-01")]
    ),
    "/xxgk/jbml/rsxx/rm/1.html": article(
        "测试县人民政府关于张某某等同志职务任免的通知", "<p>经研究决定。</p>", published="2021-06-01", tags=ALL_TAGS
    ),
    "/xxgk/jbml/rsxx/zp/": page("招考录用", '<ul class="list"></ul><div class="no-data">暂无信息</div>'),
    "/xxgk/jbml/jgzn/": list_page(
        "机构职能", [("测试县人民政府办公室主要职责", "/xxgk/jbml/jgzn/1.html", "2021-10-01")]
    ),
    "/xxgk/jbml/jgzn/1.html": article(
        "测试县人民政府办公室主要职责", "<p>职责。</p>", published="2021-10-01", tags=ALL_TAGS
    ),
    "/xxgk/jbml/ghjh/": page("规划计划", '<ul class="list"></ul><div class="no-data">暂无信息</div>'),
    "/xxgk/jbml/kong/": page("统计信息", '<h2>统计信息</h2><ul class="list"></ul>'),
    "/xxgk/jbml/zdxm/": page(
        "重大建设项目",
        '<ul class="list"></ul><div class="no-data">暂无信息</div>'
        '<p class="note">备注：本县2022年度无新开工重大建设项目。</p>',
    ),
    "/xxgk/jbml/zrzh/": page("自然灾害", '<div class="no-data">暂无信息</div><p>本县不涉及此项职能。</p>'),
    "/xxgk/jbml/jgsz.html": doc_page("测试县人民政府机构设置", published="2022-03-01"),
    # ggqsy: sectors by sub-column name, alias (燃气 → 供气) and entries (供电, 自来水 → 供水).
    "/xxgk/ggqsy/": page(
        "公共企事业单位信息公开",
        '<ul class="tree"><li><a href="/xxgk/ggqsy/jy/">教育</a></li>'
        '<li><a href="/xxgk/ggqsy/wsjk/">卫生健康</a></li><li><a href="/xxgk/ggqsy/rq/">燃气</a></li>'
        '<li><a href="/xxgk/ggqsy/gysy/">公用事业</a></li></ul>',
    ),
    "/xxgk/ggqsy/jy/": list_page("教育", [("测试县第一中学招生简章", "/xxgk/ggqsy/jy/1.html", "2022-09-01")]),
    "/xxgk/ggqsy/jy/1.html": article("测试县第一中学招生简章", "<p>简章。</p>", tags=ALL_TAGS),
    "/xxgk/ggqsy/wsjk/": page("卫生健康", '<div class="no-data">暂无信息</div>'),
    "/xxgk/ggqsy/rq/": page("燃气", '<div class="no-data">暂无信息</div>'),
    "/xxgk/ggqsy/gysy/": list_page(
        "公用事业",
        [
            ("测试县供电公司停电检修公告", "/xxgk/ggqsy/gysy/1.html", "2022-09-10"),
            ("测试县自来水公司水质公告", "/xxgk/ggqsy/gysy/2.html", "2022-09-11"),
        ],
    ),
    "/xxgk/ggqsy/gysy/1.html": article(
        "测试县供电公司停电检修公告", "<p>公告。</p>", published="2022-09-10", tags=ALL_TAGS
    ),
    "/xxgk/ggqsy/gysy/2.html": article(
        "测试县自来水公司水质公告", "<p>公告。</p>", published="2022-09-11", tags=ALL_TAGS
    ),
}

# The same portal under user settings of every content rule.
CONTENT_CONFIG = """
rules:
  normative.metadata_missing:
    validity_values: [现行有效]
  normative.no_download:
    extensions: [pdf, ofd, doc, docx, wps, xlsx]
  interpretation.missing:
    max_related: 5
  interpretation.unlinked:
    max_related: 5
  text.wrong_expression:
    extra:
      - {wrong: 县文体局, right: 县文化和旅游局, since: '2019-04-01', kind: 机构名称}
    ignore: [再接再励]
  catalog.blank_node:
    note_phrases: []
  entity.sector_missing:
    sectors: [教育, 殡葬]
  page.meta_missing:
    required: [SiteName]
  column.due_soon:
    warn_days: 5
"""


def write_content_files(root: Path) -> Path:
    """The attachments as real files; /xxgk/gfxwj/files/missing.docx is left out (a broken link)."""
    files = {
        "xxgk/gfxwj/files/g1.pdf": pdf_bytes(["测试县甲办法"]),
        "xxgk/gfxwj/files/g1.OFD": pdf_bytes(["测试县甲办法"]),
        "xxgk/gfxwj/files/g9.pdf": pdf_bytes(["测试县辛办法"]),
        "xxgk/gfxwj/files/g9.OFD": pdf_bytes(["测试县辛办法"]),
        "xxgk/gfxwj/files/g2.docx": docx_bytes(["测试县乙办法"]),
        "xxgk/gfxwj/files/g7.pdf": pdf_bytes(["测试县庚办法"]),
        "module/download/downfile.jsp": pdf_bytes(["测试县丙办法"]),
        "xxgk/gfxwj/files/g4.xlsx": xlsx_bytes([("项目", "金额"), ("道路", 100)]),
        "xxgk/gfxwj/files/g4.csv": "项目,金额\r\n道路,100\r\n".encode("utf-8"),
        "xxgk/gfxwj/files/g4.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9",
    }
    for path, body in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
    return root
