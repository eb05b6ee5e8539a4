"""东川县: a county portal in the shape of 动易 SiteFactory (ASP.NET) sites.

Markup traits (see README.md): columns at /Category_<id>/Index.aspx, articles at /Item/<id>.aspx;
list rows in a table (title cell, date cell written 2022-9-20), side boxes in the left column;
a 发布时间/来源/作者/点击数 line under the title (no ContentSource tag); the pager a script:
var pageCount and goPage(pageIndex) setting window.location to Index.aspx?page=N, with
javascript:goPage(n) links; a hit counter script asking /Common/GetHits.aspx.
"""
from __future__ import annotations

from html import escape
from pathlib import Path
from urllib.parse import parse_qs

from audit.cli.demo.server import PortalResponse

from .common import SECTORS, Template, article_meta, attachment_pdf, leak_table, masked_table, write

SITE = "东川县人民政府"
OFFICE = "东川县人民政府办公室"
CIVIL = "东川县民政局"
_HTML = {"Content-Type": "text/html; charset=utf-8"}


def _shell(title: str, body: str, meta: str = "") -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(title)}_{SITE}</title>{meta}</head>'
            f'<body><div id="header"><div class="logo">{SITE}</div><div id="menu"><a href="/index.html">网站首页</a>'
            f'<a href="/Category_20/Index.aspx">政务公开</a><a href="/Category_50/Index.aspx">办事服务</a></div></div>'
            f'<div id="main">{body}</div><div id="footer">主办：{OFFICE}　网站标识码：5301280001</div></body></html>')


def _list_date(shown: str) -> str:
    year, month, day = shown.split("-")
    return f"{year}-{int(month)}-{int(day)}"


def _table(items) -> str:
    rows = "".join(f'<tr><td class="listtitle"><a href="{href}" target="_blank" title="{escape(text)}">{escape(text)}</a></td>'
                   f'<td class="listdate">{_list_date(shown)}</td></tr>' for text, href, shown in items)
    return f'<table class="list_table" width="100%">{rows}</table>'


NEWS = [("东川县召开2022年秋季学期开学工作会议", "/Item/9301.aspx", "2022-10-12"),
        ("东川县开展重点行业领域安全生产大检查", "/Item/9302.aspx", "2022-10-06")]


def _left(title: str) -> str:
    rows = "".join(f'<li><a href="{href}" title="{escape(text)}">{escape(text)}</a><span>{_list_date(shown)}</span></li>'
                   for text, href, shown in NEWS)
    return f'<div class="left"><div class="left_box"><div class="left_title">{title}</div><ul>{rows}</ul></div></div>'


def _column(title: str, main: str, *, side: str = "", pager: str = "") -> str:
    return _shell(title, f'{side}<div class="main_right"><div class="location">您现在的位置：<a href="/index.html">'
                         f'{SITE}</a> &gt;&gt; {title}</div><div class="main_title">{title}</div>{main}{pager}</div>')


def _article(column: str, title: str, published: str, body: str, *, source: str = OFFICE, table: str = "") -> str:
    info = (f'<div class="article_info">发布时间：{published} 15:20:11　来源：{source}　作者：admin　'
            f'点击数：<span id="hits"></span></div><script src="/Common/GetHits.aspx?ItemID=1"></script>')
    return _shell(title, f'<div class="article"><div class="article_title">{escape(title)}</div>{info}{table}'
                         f'<div class="article_content">{body}</div></div>', article_meta(SITE, column, title, published))


def _doc_table(number: str, written: str, validity: str | None = None) -> str:
    validity_cells = f"<td>有效性</td><td>{validity}</td>" if validity else ""
    return (f'<table class="doc_info"><tr><td>文　　号</td><td>{number}</td><td>成文日期</td><td>{written}</td></tr>'
            f"<tr><td>发布机构</td><td>{OFFICE}</td>{validity_cells}</tr></table>")


PAGER = """<div class="showpage"><a href="javascript:goPage(1)">首页</a> <a href="javascript:goPage(2)">2</a>
<a href="javascript:goPage(2)">尾页</a></div><script type="text/javascript">
var pageCount = 2;
function goPage(pageIndex) {
  window.location = "/Category_23/Index.aspx?page=" + pageIndex;
}
</script>"""

GFXWJ = [  # (item id, title, 文号, date, label): the newest (2022-09-23) is on page 2; 8104 has no label
    (8101, "东川县人民政府关于印发东川县城区市容环境卫生管理办法的通知", "东政规〔2022〕1号", "2022-03-25", "（此件公开发布）"),
    (8102, "东川县人民政府关于印发东川县集体林权流转管理办法的通知", "东政规〔2022〕2号", "2022-02-17", "（此件公开发布）"),
    (8103, "东川县人民政府关于印发东川县政府性债务管理办法的通知", "东政规〔2021〕6号", "2021-12-09", "（此件公开发布）"),
    (8104, "东川县人民政府关于印发东川县矿产资源开发管理办法的通知", "东政规〔2022〕3号", "2022-09-23", ""),
    (8105, "东川县人民政府关于印发东川县学前教育管理办法的通知", "东政规〔2021〕5号", "2021-11-12", "（此件公开发布）"),
]


def build(root: Path) -> Template:
    files: dict[str, str | bytes] = {}
    aspx: dict[tuple[str, int], str] = {}  # (path, page) → HTML, answered as text/html
    seeded: set[tuple[str, str]] = set()

    files["/index.html"] = _shell("首页", (
        '<div class="home_links"><a href="/Category_11/Index.aspx">利企惠民政策专区</a>'
        '<a href="/Category_22/Index.aspx">政府信息公开基本目录</a><a href="/Category_23/Index.aspx">规范性文件</a>'
        '<a href="/Category_24/Index.aspx">公共企事业单位信息公开</a><a href="/Category_51/Index.aspx">行政许可事项清单</a></div>'
        f'<div class="home_news"><div class="title">东川要闻</div>{_table(NEWS)}</div>'))
    for item_id, (text, href, shown) in zip((9301, 9302), NEWS):
        aspx[(href, 1)] = _article("东川要闻", text, shown, "<p>会议对相关工作进行了安排部署。</p>")
    aspx[("/Category_20/Index.aspx", 1)] = _column("政务公开", '<ul class="sub"><li><a href="/Category_22/Index.aspx">政府信息公开基本目录</a></li>'
                                                           '<li><a href="/Category_23/Index.aspx">规范性文件</a></li></ul>')
    aspx[("/Category_50/Index.aspx", 1)] = _column("办事服务", '<ul class="sub"><li><a href="/Category_51/Index.aspx">行政许可事项清单</a></li></ul>')

    # 利企惠民政策专区: one table titled 最新动态 (trap).
    lqhm = [("东川县支持个体工商户发展十二条措施", "/Item/3201.aspx", "2022-09-28"),
            ("东川县2022年创业担保贷款贴息申报通知", "/Item/3202.aspx", "2022-09-05")]
    aspx[("/Category_11/Index.aspx", 1)] = _column("利企惠民政策专区", f'<div class="box"><div class="box_title">最新动态</div>'
                                                                     f'{_table(lqhm)}</div>')
    for text, href, shown in lqhm:
        aspx[(href, 1)] = _article("利企惠民政策专区", text, shown, "<p>现将有关政策公布如下。</p>")

    # 政府信息公开基本目录: the ID leak (来源：东川县民政局 only), 此件不公开, two labels; traps.
    jbml = [("东川县2022年9月农村低保新增对象公示", "/Item/7301.aspx", "2022-09-29"),
            ("东川县2022年第三季度医疗救助对象公示", "/Item/7302.aspx", "2022-09-26"),
            ("东川县人民政府办公室关于调整县森林草原防灭火指挥部成员的通知", "/Item/7303.aspx", "2022-09-16"),
            ("东川县人民政府办公室关于印发东川县政务服务事项清单的通知", "/Item/7304.aspx", "2022-08-21"),
            ("东川县人民政府办公室关于做好政府信息公开申请办理工作的通知", "/Item/7305.aspx", "2022-08-09")]
    aspx[("/Category_22/Index.aspx", 1)] = _column("政府信息公开基本目录", _table(jbml), side=_left("最新信息"))
    aspx[(jbml[0][1], 1)] = _article("政府信息公开基本目录", jbml[0][0], jbml[0][2],
                                     f"<p>经审核审批，现将新增农村低保对象予以公示。</p>{leak_table()}", source=CIVIL)
    aspx[(jbml[1][1], 1)] = _article("政府信息公开基本目录", jbml[1][0], jbml[1][2],
                                     f"<p>现将医疗救助对象予以公示。</p>{masked_table()}", source=CIVIL)
    aspx[(jbml[2][1], 1)] = _article("政府信息公开基本目录", jbml[2][0], jbml[2][2], "<p>各乡镇人民政府，县直各部门：现将调整事项通知如下。</p>"
                                     "<p>（此件不公开）</p>", table=_doc_table("东政办发〔2022〕41号", "2022-09-15"))
    aspx[(jbml[3][1], 1)] = _article("政府信息公开基本目录", jbml[3][0], jbml[3][2], "<p>现将清单印发给你们，请抓好落实。</p>"
                                     "<p>东川县人民政府办公室</p><p>2022年8月21日（此件删减后公开）（此件公开发布）</p>",
                                     table=_doc_table("东政办发〔2022〕42号", "2022-08-21"))
    aspx[(jbml[4][1], 1)] = _article("政府信息公开基本目录", jbml[4][0], jbml[4][2], "<p>对依申请公开的政府信息，应当在条例规定的"
                                     "期限内答复。</p><p>（此件公开发布）</p>", table=_doc_table("东政办函〔2022〕43号", "2022-08-08"))
    seeded |= {("privacy.id_number", jbml[0][1]), ("label.not_public", jbml[2][1]), ("label.conflict", jbml[3][1])}

    # 规范性文件: pages only through goPage(pageIndex) → Index.aspx?page=N; the newest is on page 2.
    for page, docs in enumerate((GFXWJ[:3], GFXWJ[3:]), 1):
        rows = [(title, f"/Item/{item_id}.aspx", shown) for item_id, title, _, shown, _ in docs]
        aspx[("/Category_23/Index.aspx", page)] = _column("规范性文件", _table(rows), side=_left("最新文件"), pager=PAGER)
    for item_id, title, number, shown, label in GFXWJ:
        pdf = f"/UploadFiles/{shown[:4]}/{shown[5:7]}/{item_id}.pdf"
        files[pdf] = attachment_pdf(title)
        reading = f"/Item/{item_id + 1000}.aspx"
        label_line = f"<p>{label}</p>" if label else ""
        aspx[(f"/Item/{item_id}.aspx", 1)] = _article("规范性文件", title, shown, (
            f"<p>各乡镇人民政府，县直各部门：现将办法印发给你们，请认真贯彻执行。</p>{label_line}"
            f'<p>附件下载：<a href="{pdf}">{escape(title)}.pdf</a></p>'
            f'<p>相关解读：<a href="{reading}">《{escape(title[10:-3])}》政策解读</a></p>'),
            table=_doc_table(number, shown, "现行有效"))
        aspx[(reading, 1)] = _article("政策解读", f"《{title[10:-3]}》政策解读", shown,
                                      f'<p>原文：<a href="/Item/{item_id}.aspx">{escape(title)}</a></p><p>一、起草背景。</p>')
    seeded.add(("label.missing", "/Item/8104.aspx"))

    # 公共企事业单位信息公开: stale (newest 2021-09-14) beside a fresh 热点信息 box.
    ggqsy = [(f"东川县{sector}领域公共企事业单位信息公开目录（2021年）", f"/Item/{5300 + k}.aspx", f"2021-0{3 + k}-14")
             for k, sector in enumerate(SECTORS)][::-1]
    aspx[("/Category_24/Index.aspx", 1)] = _column("公共企事业单位信息公开", _table(ggqsy), side=_left("热点信息"))
    for text, href, shown in ggqsy:
        aspx[(href, 1)] = _article("公共企事业单位信息公开", text, shown, "<p>现将公开目录公布如下。</p>")
    seeded.add(("column.stale", "/Category_24/Index.aspx"))

    # 行政许可事项清单: 暂无信息 beside a fresh 最新信息 box.
    aspx[("/Category_51/Index.aspx", 1)] = _column("行政许可事项清单", '<table class="list_table"><tr><td>暂无信息</td></tr></table>',
                                                   side=_left("最新信息"))
    seeded.add(("column.empty", "/Category_51/Index.aspx"))

    def answer(request):
        page = parse_qs(request.query).get("page", ["1"])[0]
        html = aspx.get((request.path, int(page) if page.isdigit() else -1))
        if html is None:
            return PortalResponse(404, _HTML, b"<html><body>404</body></html>")
        return PortalResponse(200, dict(_HTML), html.encode())

    def hits(request):
        return PortalResponse(200, {"Content-Type": "application/javascript"}, b'document.getElementById("hits").innerHTML="37";')

    routes = {("GET", path): answer for path, _ in aspx}
    routes[("GET", "/Common/GetHits.aspx")] = hits
    return Template(write(root, files), routes=routes, seeded=seeded, leak=(jbml[0][1], CIVIL),
                    lists={"gfxwj": "/Category_23/Index.aspx", "jbml": "/Category_22/Index.aspx",
                           "lqhm": "/Category_11/Index.aspx", "ggqsy": "/Category_24/Index.aspx"})
