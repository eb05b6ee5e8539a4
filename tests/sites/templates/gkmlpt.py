"""东山县: a county portal on the Guangdong 政府信息公开平台 (gkmlpt) and the province's 集约化 site.

Markup traits (see README.md): portal columns at /zwgk/<column>/index.html with articles at
<column>/content/post_<id>.html; 政府信息公开 columns served by gkmlpt, whose page holds an empty
list box and a script asking /gkmlpt/api/all/<classify>?page=N&sid=<SID> for JSON rows (epoch
first_publish_time), with documents at /gkmlpt/content/<id//10**6>/<id//1000>/post_<id>.html
carrying the 索引号/分类/发布机构/成文日期/名称/文号/发布日期/主题词 table; side boxes on the right.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from html import escape
from pathlib import Path
from urllib.parse import parse_qs

from audit.cli.demo.server import PortalResponse

from .common import SECTORS, Template, article_meta, attachment_pdf, leak_table, masked_table, write

SITE = "东山县人民政府"
OFFICE = "东山县人民政府办公室"
CIVIL = "东山县民政局"
SID = "4415"
PAGE_SIZE = 3
_BEIJING = timezone(timedelta(hours=8))


def _shell(title: str, body: str, meta: str = "") -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(title)} - {SITE}</title>{meta}</head>'
            f'<body><div class="gd-header"><h1>{SITE}</h1><div class="nav"><a href="/index.html">首页</a>'
            f'<a href="/gkmlpt/jbml">政府信息公开</a><a href="/zwgk/xzxk/index.html">政务服务</a></div></div>'
            f'<div class="gd-body">{body}</div><div class="gd-footer">主办：{OFFICE} 网站标识码：4415240001 '
            f'粤ICP备00000000号</div></body></html>')


def _rows(items) -> str:
    return "".join(f'<li><span class="time">{shown}</span><a href="{href}" title="{escape(text)}">{escape(text)}</a></li>'
                   for text, href, shown in items)


NEWS = [("东山县召开全县安全生产工作会议", "/zwgk/dsyw/content/post_9101.html", "2022-10-11"),
        ("东山县开展秋冬季疫情防控督导检查", "/zwgk/dsyw/content/post_9102.html", "2022-10-09")]


def _right(title: str) -> str:
    return (f'<div class="right-con"><div class="hot-box"><div class="hd"><h4>{title}</h4></div>'
            f'<ul class="list">{_rows(NEWS)}</ul></div></div>')


def _column(title: str, main: str, *, side: str = "") -> str:
    return _shell(title, f'<div class="left-con"><div class="crumb">您当前的位置：<a href="/index.html">首页</a> &gt; {title}</div>'
                         f'<div class="list-hd"><h3>{title}</h3></div>{main}</div>{side}')


def _article(column: str, title: str, published: str, body: str, *, source: str = OFFICE) -> str:
    return _shell(title, f'<div class="article"><h2 class="title">{escape(title)}</h2><div class="info">'
                         f'<span>发布时间：{published} 10:12:36</span><span>来源：{source}</span></div>'
                         f'<div class="article-content">{body}</div></div>',
                  article_meta(SITE, column, title, published, source))


def post_path(post_id: int) -> str:
    return f"/gkmlpt/content/{post_id // 10**6}/{post_id // 1000}/post_{post_id}.html"


def _gkml_doc(post_id: int, title: str, *, classify: str, publisher: str, number: str, written: str, published: str,
              body: str, validity: str | None = None, source: str | None = None) -> str:
    """A gkmlpt document: the classify table above the title, then the body."""
    validity_cells = f"<td class='td-name'>有效性：</td><td>{validity}</td>" if validity else ""
    table = (f'<div class="classify"><table><tr><td class="td-name">索引号：</td><td>11441524MB2D10000Y/2022-{post_id % 1000:05d}</td>'
             f'<td class="td-name">分类：</td><td>{classify}</td></tr>'
             f'<tr><td class="td-name">发布机构：</td><td>{publisher}</td><td class="td-name">成文日期：</td><td>{written}</td></tr>'
             f'<tr><td class="td-name">名称：</td><td colspan="3">{escape(title)}</td></tr>'
             f'<tr><td class="td-name">文号：</td><td>{number}</td><td class="td-name">发布日期：</td><td>{published}</td></tr>'
             f'<tr><td class="td-name">主题词：</td><td></td>{validity_cells}</tr></table></div>')
    line = f'<div class="info"><span>来源：{source}</span></div>' if source else ""
    return _shell(title, f'{table}<div class="article"><h2 class="title">{escape(title)}</h2>{line}'
                         f'<div class="article-content">{body}</div></div>',
                  article_meta(SITE, classify, title, published, source or publisher))


def _gkml_column(title: str, classify_id: int) -> str:
    """The gkmlpt column page: an empty list box the script fills from the list API."""
    script = (f'<script src="/gkmlpt/static/js/jquery.min.js"></script><script>var SID = "{SID}";\n'
              f'function loadList(page) {{\n  $.ajax({{url: "/gkmlpt/api/all/{classify_id}", type: "GET", dataType: "json",\n'
              f'    data: {{page: page, sid: SID}}, success: function (res) {{ render(res.articles, res.total); }} }});\n}}\n'
              f'loadList(1);</script>')
    return _column(title, '<div class="gkml-list"><ul class="list" id="gkml-list"></ul><div class="page" id="page"></div></div>'
                          + script)


def _api(rows: list[tuple[int, str, str]]):
    def answer(request):
        query = parse_qs(request.query)
        if query.get("sid") != [SID]:
            return PortalResponse(400, {"Content-Type": "application/json"}, b'{"error":"sid"}')
        page = int(query.get("page", ["1"])[0])
        chosen = rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
        body = {"classify": {}, "total": len(rows), "page": page, "page_size": PAGE_SIZE, "articles": [
            {"id": post_id, "title": title, "url": post_path(post_id),
             "first_publish_time": int(datetime.fromisoformat(shown + "T09:00:00").replace(tzinfo=_BEIJING).timestamp())}
            for post_id, title, shown in chosen]}
        return PortalResponse(200, {"Content-Type": "application/json;charset=UTF-8"},
                              json.dumps(body, ensure_ascii=False).encode())
    return answer


GFXWJ = [  # (post id, title, 文号, date, label): sorted by 文号, so the newest (2022-09-26) is on page 2
    (710001, "东山县人民政府关于印发东山县城市绿地管理办法的通知", "东府规〔2022〕1号", "2022-03-18", "（此件公开发布）"),
    (710002, "东山县人民政府关于印发东山县农村宅基地管理办法的通知", "东府规〔2022〕2号", "2022-02-11", "（此件公开发布）"),
    (710003, "东山县人民政府关于印发东山县政府投资项目管理办法的通知", "东府规〔2021〕9号", "2021-12-06", "（此件公开发布）"),
    (710004, "东山县人民政府关于印发东山县耕地保护补偿办法的通知", "东府规〔2022〕4号", "2022-09-26", ""),
    (710005, "东山县人民政府关于印发东山县殡葬管理办法的通知", "东府规〔2021〕8号", "2021-11-19", "（此件公开发布）"),
]


def build(root: Path) -> Template:
    files: dict[str, str | bytes] = {"/gkmlpt/static/js/jquery.min.js": "/* jQuery stub */"}
    seeded: set[tuple[str, str]] = set()
    routes: dict[tuple[str, str], object] = {}
    files["/index.html"] = _shell("首页", (
        '<div class="zt"><a href="/zwgk/lqhm/index.html">利企惠民政策专区</a></div><div class="xxgk-links">'
        '<a href="/gkmlpt/jbml">政府信息公开基本目录</a><a href="/gkmlpt/gfxwj">规范性文件</a>'
        '<a href="/zwgk/ggqsy/index.html">公共企事业单位信息公开</a><a href="/zwgk/xzxk/index.html">行政许可事项清单</a></div>'
        f'<div class="dsyw"><div class="hd"><h4>东山要闻</h4></div><ul class="list">{_rows(NEWS)}</ul></div>'))
    for text, href, shown in NEWS:
        files[href] = _article("东山要闻", text, shown, "<p>会议对有关工作作出部署。</p>")

    # 利企惠民政策专区: its one box is titled 最新动态 (trap: the column's own list).
    lqhm = [("东山县促进民营经济高质量发展若干措施", "/zwgk/lqhm/content/post_3101.html", "2022-09-29"),
            ("东山县2022年企业用电补贴申报指南", "/zwgk/lqhm/content/post_3102.html", "2022-09-07")]
    files["/zwgk/lqhm/index.html"] = _column("利企惠民政策专区", f'<div class="zxdt"><div class="hd"><h4>最新动态</h4></div>'
                                                               f'<ul class="list">{_rows(lqhm)}</ul></div>')
    for text, href, shown in lqhm:
        files[href] = _article("利企惠民政策专区", text, shown, "<p>现将政策措施公布如下。</p>")

    # 基本目录 (gkmlpt, script-loaded): the ID leak, 此件不公开, two labels on one line; traps beside them.
    jbml = [(700101, "东山县2022年9月城乡低保新增对象公示", "2022-09-30"),
            (700102, "东山县2022年第三季度特困供养对象公示", "2022-09-27"),
            (700103, "东山县人民政府办公室关于调整县防汛抗旱指挥部成员的通知", "2022-09-19"),
            (700104, "东山县人民政府办公室关于印发东山县政务服务事项清单的通知", "2022-08-21"),
            (700105, "东山县人民政府办公室关于做好政府信息公开申请办理工作的通知", "2022-08-10")]
    files["/gkmlpt/jbml"] = _gkml_column("政府信息公开基本目录", 2651)
    routes[("GET", "/gkmlpt/api/all/2651")] = _api(jbml)
    documents = {
        700101: dict(classify="社会救助", publisher=CIVIL, number="", source=CIVIL,
                     body=f"<p>经乡镇审核、县民政局审批，现将新增低保对象予以公示。</p>{leak_table()}"),
        700102: dict(classify="社会救助", publisher=CIVIL, number="", source=CIVIL,
                     body=f"<p>现将特困供养对象予以公示。</p>{masked_table()}"),
        700103: dict(classify="综合政务", publisher=OFFICE, number="东府办〔2022〕31号",
                     body="<p>各镇人民政府，县直各单位：现将调整事项通知如下。</p><p>（此件不公开）</p>"),
        700104: dict(classify="综合政务", publisher=OFFICE, number="东府办〔2022〕32号",
                     body="<p>现将清单印发给你们，请认真组织实施。</p><p>东山县人民政府办公室</p>"
                          "<p>2022年8月21日（此件删减后公开）（此件公开发布）</p>"),
        700105: dict(classify="综合政务", publisher=OFFICE, number="东府办函〔2022〕33号",
                     body="<p>对依申请公开的政府信息，应当按照条例规定的期限答复申请人。</p><p>（此件公开发布）</p>"),
    }
    for post_id, title, shown in jbml:
        fields = documents[post_id]
        files[post_path(post_id)] = _gkml_doc(post_id, title, written=shown, published=shown, **fields)
    seeded |= {("privacy.id_number", post_path(700101)), ("label.not_public", post_path(700103)),
               ("label.conflict", post_path(700104))}

    # 规范性文件 (gkmlpt, two API pages): the newest document is on page 2; 710004 carries no label.
    files["/gkmlpt/gfxwj"] = _gkml_column("规范性文件", 2652)
    routes[("GET", "/gkmlpt/api/all/2652")] = _api([(post_id, title, shown) for post_id, title, _, shown, _ in GFXWJ])
    for post_id, title, number, shown, label in GFXWJ:
        pdf = f"/attachment/0/{post_id // 1000}/{post_id}.pdf"
        files[pdf] = attachment_pdf(title)
        reading = f"/zwgk/zcjd/content/post_{post_id + 90000}.html"
        label_line = f"<p>{label}</p>" if label else ""
        files[post_path(post_id)] = _gkml_doc(
            post_id, title, classify="规范性文件", publisher=OFFICE, number=number, written=shown, published=shown,
            validity="有效", body=(f"<p>各镇人民政府，县直各单位：现将办法印发给你们，请遵照执行。</p>{label_line}"
                                 f'<p>附件：<a href="{pdf}">{escape(title)}.pdf</a></p>'
                                 f'<p>政策解读：<a href="{reading}">《{escape(title[10:-3])}》解读</a></p>'))
        files[reading] = _article("政策解读", f"《{title[10:-3]}》解读", shown,
                                  f'<p>文件原文：<a href="{post_path(post_id)}">{escape(title)}</a></p><p>一、出台背景。</p>')
    seeded.add(("label.missing", post_path(710004)))

    # 公共企事业单位信息公开: every sector, newest 2021-09-08 (stale), beside a fresh 热点信息 box.
    ggqsy = [(f"东山县{sector}领域公共企事业单位信息公开事项（2021年）", f"/zwgk/ggqsy/content/post_{5200 + k}.html",
              f"2021-0{3 + k}-08") for k, sector in enumerate(SECTORS)][::-1]
    files["/zwgk/ggqsy/index.html"] = _column("公共企事业单位信息公开", f'<ul class="list">{_rows(ggqsy)}</ul>',
                                              side=_right("热点信息"))
    for text, href, shown in ggqsy:
        files[href] = _article("公共企事业单位信息公开", text, shown, "<p>现将公开事项公布如下。</p>")
    seeded.add(("column.stale", "/zwgk/ggqsy/index.html"))

    # 行政许可事项清单: 暂无信息 beside a fresh 最新信息 box.
    files["/zwgk/xzxk/index.html"] = _column("行政许可事项清单", '<ul class="list"></ul><div class="nodata">暂无信息</div>',
                                             side=_right("最新信息"))
    seeded.add(("column.empty", "/zwgk/xzxk/index.html"))

    return Template(write(root, files), routes=routes, seeded=seeded, leak=(post_path(700101), CIVIL),
                    lists={"gfxwj": "/gkmlpt/gfxwj", "jbml": "/gkmlpt/jbml", "lqhm": "/zwgk/lqhm/index.html",
                           "ggqsy": "/zwgk/ggqsy/index.html"})
