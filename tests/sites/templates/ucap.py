"""东岸县: a portal in the shape of 开普云 (UCAP) county sites on a provincial 集约化 platform.

Markup traits (see README.md): a left side column of 最新信息/热点信息 boxes in the very row markup
of the column's own list; articles carrying <meta name="ContentSource"> and a 发布时间/来源 line;
a 规范性文件 list whose pager exists only as script variables (var pageCount/pageIndex and a
goPage(n) that builds index_N.html; the page count is computed from var totalCount and
var pageSize), with its newest document on page 2.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

from .common import (SECTORS, Template, article_meta, attachment_pdf, leak_table, masked_table, write)

SITE = "东岸县人民政府"
OFFICE = "东岸县人民政府办公室"
CIVIL = "东岸县民政局"


def _shell(title: str, body: str, meta: str = "") -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(title)}-{SITE}</title>{meta}'
            f'<link rel="stylesheet" href="/ucap/css/style.css"></head><body>'
            f'<div class="ucap-header"><div class="logo">{SITE}</div><ul class="ucap-nav">'
            f'<li><a href="/index.html">首页</a></li><li><a href="/zwgk/jbml/index.html">政务公开</a></li>'
            f'<li><a href="/zwfw/xzxk/index.html">政务服务</a></li></ul></div>{body}'
            f'<div class="ucap-footer">主办：{OFFICE} 网站标识码：4415230001</div></body></html>')


def _rows(items) -> str:
    return "".join(f'<li><a href="{href}" target="_blank" title="{escape(text)}">{escape(text)}</a>'
                   f'<span class="date">{shown}</span></li>' for text, href, shown in items)


NEWS = [("东岸县召开2022年第三季度经济运行分析会", "/news/2022-10/10/content_9001.htm", "2022-10-10"),
        ("东岸县开展秋季森林防火专项检查", "/news/2022-10/08/content_9002.htm", "2022-10-08")]


def _side(title: str) -> str:
    return (f'<div class="left-side"><div class="side-box"><div class="box-title"><span>{title}</span></div>'
            f'<ul class="news-list">{_rows(NEWS)}</ul></div></div>')


def _column(crumb: str, title: str, main: str, *, side: str = "", script: str = "") -> str:
    return _shell(title, f'<div class="wrapper">{side}<div class="right-main"><div class="position">当前位置：'
                         f'<a href="/index.html">首页</a> &gt; {crumb} &gt; {title}</div>'
                         f'<div class="list-title"><h3>{title}</h3></div>{main}</div></div>{script}')


def _article(column: str, title: str, published: str, body: str, *, source: str = OFFICE, table: str = "") -> str:
    info = (f'<div class="article-info"><span>发布时间：{published} 09:30</span>'
            f'<span>来源：{source}</span><span>浏览次数：<i id="hits"></i></span></div>')
    return _shell(title, f'<div class="article"><h1 class="article-title">{escape(title)}</h1>{info}{table}'
                         f'<div class="article-content">{body}</div></div>',
                  article_meta(SITE, column, title, published, source))


def _doc_table(number: str, written: str, published: str, validity: str | None = None) -> str:
    validity_row = f"<td>有效性：</td><td>{validity}</td>" if validity else ""
    return (f'<table class="xxgk-info"><tr><td>索引号：</td><td>11441523MB2C91234X/2022-{number[-4:-1]}</td>'
            f'<td>发布机构：</td><td>{OFFICE}</td></tr><tr><td>文号：</td><td>{number}</td>'
            f'<td>成文日期：</td><td>{written}</td></tr><tr><td>发布日期：</td><td>{published}</td>{validity_row}</tr></table>')


GOPAGE = """<div id="page_bar"></div><script type="text/javascript">
var totalCount = 5;
var pageSize = 3;
var pageCount = Math.ceil(totalCount / pageSize);
var pageIndex = {index};
function goPage(n) {{
  if (n < 1 || n > pageCount) return;
  window.location.href = (n == 1) ? "index.html" : "index_" + n + ".html";
}}
var bar = "";
for (var i = 1; i <= pageCount; i++) {{ bar += "<a href='javascript:goPage(" + i + ")'>" + i + "</a> "; }}
document.getElementById("page_bar").innerHTML = bar + "共" + pageCount + "页";
</script>"""

# 规范性文件: sorted by 文号, so the newest (2022-09-20) is on page 2; 0102 carries no label.
GFXWJ = [  # (id, title, 文号, date, label)
    ("0101", "东岸县人民政府关于印发东岸县城区道路挖掘管理办法的通知", "东府规〔2022〕1号", "2022-03-10", "（此件公开发布）"),
    ("0102", "东岸县人民政府关于印发东岸县农村公路养护管理办法的通知", "东府规〔2022〕2号", "2022-02-20", ""),
    ("0103", "东岸县人民政府关于印发东岸县城乡供水管理办法的通知", "东府规〔2021〕7号", "2021-12-01", "（此件公开发布）"),
    ("0104", "东岸县人民政府关于印发东岸县临时救助实施办法的通知", "东府规〔2022〕5号", "2022-09-20", "（此件公开发布）"),
    ("0105", "东岸县人民政府关于印发东岸县公共租赁住房管理办法的通知", "东府规〔2021〕6号", "2021-11-05", "（此件公开发布）"),
]


def _gfxwj_path(doc_id: str, shown: str) -> str:
    return f"/zwgk/gfxwj/{shown[:7]}/{shown[8:]}/content_{doc_id}.htm"


def build(root: Path) -> Template:
    files: dict[str, str | bytes] = {"/ucap/css/style.css": ".left-side{float:left;width:260px}"}
    seeded: set[tuple[str, str]] = set()
    files["/index.html"] = _shell("首页", (
        '<div class="ucap-channels"><a href="/zt/lqhm/index.html">利企惠民政策专区</a>'
        '<a href="/zwgk/jbml/index.html">政府信息公开基本目录</a><a href="/zwgk/gfxwj/index.html">规范性文件</a>'
        '<a href="/zwgk/ggqsy/index.html">公共企事业单位信息公开</a><a href="/zwfw/xzxk/index.html">行政许可事项清单</a></div>'
        f'<div class="home-news"><div class="box-title">东岸要闻</div><ul class="news-list">{_rows(NEWS)}</ul></div>'))
    for text, href, shown in NEWS:
        files[href] = _article("东岸要闻", text, shown, "<p>会议听取了有关情况汇报。</p>")

    # 利企惠民政策专区: its one list is titled 最新动态 — the column's own list, not a side box (trap).
    lqhm = [("东岸县支持中小微企业纾困发展十条措施", "/zt/lqhm/2022-09/26/content_3001.htm", "2022-09-26"),
            ("东岸县2022年稳岗返还政策问答", "/zt/lqhm/2022-09/02/content_3002.htm", "2022-09-02"),
            ("东岸县个体工商户房租减免操作指引", "/zt/lqhm/2022-08/15/content_3003.htm", "2022-08-15")]
    files["/zt/lqhm/index.html"] = _column("专题专栏", "利企惠民政策专区", (
        f'<div class="zt-box"><div class="box-title"><span>最新动态</span></div><ul class="news-list">{_rows(lqhm)}</ul></div>'))
    for text, href, shown in lqhm:
        files[href] = _article("利企惠民政策专区", text, shown, "<p>现将有关政策措施公布如下。</p>")

    # 政府信息公开基本目录: the 低保 ID leak (来源 东岸县民政局), a 此件不公开 document, a label
    # conflict on one date line; traps: masked IDs and a failing-checksum 项目编号, 依申请公开 in prose.
    jbml = [("东岸县2022年9月城乡低保新增对象公示", "/zwgk/jbml/2022-09/30/content_7001.htm", "2022-09-30"),
            ("东岸县2022年第三季度临时救助对象公示", "/zwgk/jbml/2022-09/28/content_7002.htm", "2022-09-28"),
            ("东岸县人民政府办公室关于调整县级议事协调机构的通知", "/zwgk/jbml/2022-09/21/content_7003.htm", "2022-09-21"),
            ("东岸县人民政府办公室关于印发东岸县政务服务事项清单的通知", "/zwgk/jbml/2022-08/21/content_7004.htm", "2022-08-21"),
            ("东岸县人民政府办公室关于做好政府信息公开申请办理工作的通知", "/zwgk/jbml/2022-08/12/content_7005.htm", "2022-08-12")]
    files["/zwgk/jbml/index.html"] = _column("政务公开", "政府信息公开基本目录",
                                             f'<ul class="news-list">{_rows(jbml)}</ul>', side=_side("最新信息"))
    files[jbml[0][1]] = _article("政府信息公开基本目录", jbml[0][0], jbml[0][2],
                                 f"<p>经审核，现将新增低保对象予以公示。</p>{leak_table()}", source=CIVIL)
    files[jbml[1][1]] = _article("政府信息公开基本目录", jbml[1][0], jbml[1][2],
                                 f"<p>现将临时救助对象予以公示。</p>{masked_table()}", source=CIVIL)
    files[jbml[2][1]] = _article("政府信息公开基本目录", jbml[2][0], jbml[2][2], "<p>各乡镇人民政府，县直各部门：现将调整事项通知如下。</p>"
                                 "<p>（此件不公开）</p>", table=_doc_table("东政办发〔2022〕21号", "2022-09-20", "2022-09-21"))
    files[jbml[3][1]] = _article("政府信息公开基本目录", jbml[3][0], jbml[3][2], "<p>现将清单印发给你们，请认真贯彻执行。</p>"
                                 "<p>东岸县人民政府办公室</p><p>2022年8月21日（此件删减后公开）（此件公开发布）</p>",
                                 table=_doc_table("东政办发〔2022〕22号", "2022-08-21", "2022-08-21"))
    files[jbml[4][1]] = _article("政府信息公开基本目录", jbml[4][0], jbml[4][2], "<p>对依申请公开的政府信息，各单位应当按照"
                                 "《中华人民共和国政府信息公开条例》规定的期限答复申请人。</p><p>（此件公开发布）</p>",
                                 table=_doc_table("东政办函〔2022〕23号", "2022-08-11", "2022-08-12"))
    seeded |= {("privacy.id_number", jbml[0][1]), ("label.not_public", jbml[2][1]), ("label.conflict", jbml[3][1])}

    # 规范性文件: the script pager's page 2 holds the newest document (trap: the column is fresh).
    pages = [GFXWJ[:3], GFXWJ[3:]]
    for number, docs in enumerate(pages, 1):
        rows = [(title, _gfxwj_path(doc_id, shown), shown) for doc_id, title, _, shown, _ in docs]
        name = "index.html" if number == 1 else f"index_{number}.html"
        files[f"/zwgk/gfxwj/{name}"] = _column("政务公开", "规范性文件", f'<ul class="news-list">{_rows(rows)}</ul>',
                                               side=_side("最新文件"), script=GOPAGE.format(index=number))
    for doc_id, title, number, shown, label in GFXWJ:
        path = _gfxwj_path(doc_id, shown)
        reading = f"/zwgk/zcjd/{shown[:7]}/content_{doc_id}9.htm"
        pdf = f"/zwgk/gfxwj/files/{doc_id}.pdf"
        files[pdf] = attachment_pdf(title)
        label_line = f"<p>{label}</p>" if label else ""
        files[path] = _article("规范性文件", title, shown, (
            f"<p>各乡镇人民政府，县直各部门：现将办法印发给你们，请认真贯彻执行。</p>{label_line}"
            f'<p>附件：<a href="{pdf}">{escape(title)}.pdf</a></p>'
            f'<p>相关解读：<a href="{reading}">《{escape(title[10:-3])}》政策解读</a></p>'),
            table=_doc_table(number, shown, shown, "现行有效"))
        files[reading] = _article("政策解读", f"《{title[10:-3]}》政策解读", shown,
                                  f'<p>原文链接：<a href="{path}">{escape(title)}</a></p><p>一、制定背景。</p>')
    seeded.add(("label.missing", _gfxwj_path("0102", "2022-02-20")))

    # 公共企事业单位信息公开: every sector listed, the newest item 2021-09-16 (stale) beside a fresh 热点信息 box.
    ggqsy = [(f"东岸县{sector}领域{'公共企事业单位信息公开'}目录（2021年）", f"/zwgk/ggqsy/2021-0{3 + k}/16/content_50{k}.htm",
              f"2021-0{3 + k}-16") for k, sector in enumerate(SECTORS)]
    ggqsy.reverse()
    files["/zwgk/ggqsy/index.html"] = _column("政务公开", "公共企事业单位信息公开", f'<ul class="news-list">{_rows(ggqsy)}</ul>',
                                              side=_side("热点信息"))
    for text, href, shown in ggqsy:
        files[href] = _article("公共企事业单位信息公开", text, shown, "<p>现将信息公开目录公布如下。</p>")
    seeded.add(("column.stale", "/zwgk/ggqsy/index.html"))

    # 行政许可事项清单: 暂无信息 under the column's own heading beside a fresh 最新信息 box — a blank
    # column. Here the box sits in a block whose class says nothing of a side column (zx-box).
    zx_box = _side("最新信息").replace('class="left-side"', 'class="zx-box"').replace('class="side-box"', 'class="box"')
    files["/zwfw/xzxk/index.html"] = _column("政务服务", "行政许可事项清单", '<ul class="news-list"><li class="no-data">暂无信息</li></ul>',
                                             side=zx_box)
    seeded.add(("column.empty", "/zwfw/xzxk/index.html"))

    return Template(write(root, files), seeded=seeded, leak=(jbml[0][1], CIVIL),
                    lists={"gfxwj": "/zwgk/gfxwj/index.html", "lqhm": "/zt/lqhm/index.html",
                           "jbml": "/zwgk/jbml/index.html", "ggqsy": "/zwgk/ggqsy/index.html"})
