"""南岭县: a county portal on a provincial 集约化 platform whose list pages are drawn by the
platform's bundled list script, not by the served HTML.

Markup traits (see README.md): a list page holds `<ul class="list" data-cid="N"></ul>` and loads
`/static/js/list.min.js`; the script builds the list address from pieces (`["/api", "lm", cid]`
joined, so no URL stands in the page or the script for a reader to follow), asks it for JSON and
writes the rows — or 暂无信息 when there are none — into the box. A browser user sees the rows;
the served HTML holds none. The script also reports the visit to a counter on another port (a
request the auditor's browser must never make). Documents are ordinary pages with a 发布时间/来源
line; side boxes on the right.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from audit.cli.demo.server import PortalResponse

from .common import SECTORS, Template, article_meta, attachment_pdf, leak_table, masked_table, write

SITE = "南岭县人民政府"
OFFICE = "南岭县人民政府办公室"
CIVIL = "南岭县民政局"


def list_script(counter_port: int) -> str:
    """The platform's list script: the address assembled from parts, the rows written by script."""
    return (
        "(function(){var box=document.querySelector('ul.list[data-cid]');if(!box)return;"
        "var p=['', 'api', 'lm', box.getAttribute('data-cid')].join('/')+'.json';"
        "var x=new XMLHttpRequest();x.open('GET',p);x.onload=function(){var d=JSON.parse(x.responseText);"
        "if(!d.rows.length){box.insertAdjacentHTML('afterend','<div class=\"nodata\">暂无信息</div>');return;}"
        "box.innerHTML=d.rows.map(function(r){return '<li><a href=\"'+r.href+'\">'+r.text+'</a><span class=\"date\">'"
        "+r.day+'</span></li>';}).join('');};x.send();"
        f"var i=new Image();i.src='http://127.0.0.1:{counter_port}/collect?u='+encodeURIComponent(location.href);"
        f"fetch('http://localhost:{counter_port}/beacon').catch(function(){{}});}})();"
    )


def _shell(title: str, body: str, meta: str = "") -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(title)} - {SITE}</title>{meta}</head>'
        f'<body><div class="top"><h1>{SITE}</h1><div class="menu"><a href="/index.html">首页</a>'
        f'<a href="/xxgk/jbml/index.html">政府信息公开</a><a href="/zwfw/xzxk/index.html">政务服务</a></div></div>'
        f'<div class="main">{body}</div><div class="foot">主办：{OFFICE} 网站标识码：4510000001</div>'
        "</body></html>"
    )


def _rows(items) -> str:
    return "".join(f'<li><a href="{href}">{escape(text)}</a><span class="date">{day}</span></li>' for text, href, day in items)


NEWS = [
    ("南岭县召开秋季森林防火工作会议", "/xwzx/2022/10/content_8101.html", "2022-10-12"),
    ("南岭县开展粮食安全生产督导检查", "/xwzx/2022/10/content_8102.html", "2022-10-08"),
]


def _column(title: str, main: str, *, side: bool = False) -> str:
    aside = (
        f'<div class="side"><div class="box"><h4>热点信息</h4><ul class="hot">{_rows(NEWS)}</ul></div></div>'
        if side
        else ""
    )
    crumb = f'<div class="crumb">当前位置：<a href="/index.html">首页</a> &gt; {title}</div>'
    return _shell(title, f'<div class="content">{crumb}<h3>{title}</h3>{main}</div>{aside}')


def _scripted(title: str, cid: int, *, side: bool = False) -> str:
    """A list page as served: the empty box and the platform's script."""
    return _column(title, f'<ul class="list" data-cid="{cid}"></ul><script src="/static/js/list.min.js"></script>',
                   side=side)


def _article(column: str, title: str, day: str, body: str, *, source: str = OFFICE) -> str:
    return _shell(
        title,
        f'<div class="article"><h2>{escape(title)}</h2><div class="info">发布时间：{day} 09:30 来源：{source}</div>'
        f'<div class="text">{body}</div></div>',
        article_meta(SITE, column, title, day, source),
    )


def _api(rows) -> object:
    body = json.dumps({"rows": [{"text": t, "href": h, "day": d} for t, h, d in rows]}, ensure_ascii=False).encode()

    def answer(_request):
        return PortalResponse(200, {"Content-Type": "application/json;charset=UTF-8"}, body)

    return answer


def build(root: Path, counter_port: int) -> Template:
    files: dict[str, str | bytes] = {"/static/js/list.min.js": list_script(counter_port)}
    routes: dict[tuple[str, str], object] = {}
    seeded: set[tuple[str, str]] = set()
    files["/index.html"] = _shell(
        "首页",
        '<div class="zt"><a href="/zt/lqhm/index.html">利企惠民政策专区</a></div><div class="gk">'
        '<a href="/xxgk/jbml/index.html">政府信息公开基本目录</a><a href="/xxgk/gfxwj/index.html">规范性文件</a>'
        '<a href="/xxgk/ggqsy/index.html">公共企事业单位信息公开</a><a href="/zwfw/xzxk/index.html">行政许可事项清单</a>'
        f'</div><div class="yw"><h4>南岭要闻</h4><ul class="news">{_rows(NEWS)}</ul></div>',
    )
    for text, href, day in NEWS:
        files[href] = _article("南岭要闻", text, day, "<p>会议对有关工作作出部署。</p>")

    # 利企惠民政策专区 (served list): its one box is titled 最新动态 (trap: the column's own list).
    lqhm = [
        ("南岭县支持中小微企业纾困发展若干措施", "/zt/lqhm/content_3101.html", "2022-09-28"),
        ("南岭县2022年农业保险保费补贴申报指南", "/zt/lqhm/content_3102.html", "2022-09-06"),
    ]
    files["/zt/lqhm/index.html"] = _column("利企惠民政策专区", f'<h4>最新动态</h4><ul class="news">{_rows(lqhm)}</ul>')
    for text, href, day in lqhm:
        files[href] = _article("利企惠民政策专区", text, day, "<p>现将政策措施公布如下。</p>")

    # 基本目录 (drawn by the script): the ID leak, 此件不公开, two labels on one line; traps beside them.
    jbml = [
        ("南岭县2022年9月城乡低保新增对象公示", "/xxgk/jbml/content_7101.html", "2022-09-30"),
        ("南岭县2022年第三季度特困供养对象公示", "/xxgk/jbml/content_7102.html", "2022-09-26"),
        ("南岭县人民政府办公室关于调整县森林防火指挥部成员的通知", "/xxgk/jbml/content_7103.html", "2022-09-16"),
        ("南岭县人民政府办公室关于印发南岭县政务服务事项清单的通知", "/xxgk/jbml/content_7104.html", "2022-08-22"),
        ("南岭县人民政府办公室关于做好政府信息公开申请办理工作的通知", "/xxgk/jbml/content_7105.html", "2022-08-09"),
    ]
    files["/xxgk/jbml/index.html"] = _scripted("政府信息公开基本目录", 101)
    routes[("GET", "/api/lm/101.json")] = _api(jbml)
    bodies = [
        (f"<p>经乡镇审核、县民政局审批，现将新增低保对象予以公示。</p>{leak_table()}", CIVIL),
        (f"<p>现将特困供养对象予以公示。</p>{masked_table()}", CIVIL),
        ('<table class="meta"><tr><td>文号：</td><td>南府办〔2022〕31号</td><td>发布机构：</td><td>南岭县人民政府办公室</td></tr></table>'
         "<p>各乡镇人民政府，县直各单位：现将调整事项通知如下。</p><p>（此件不公开）</p>", OFFICE),
        ('<table class="meta"><tr><td>文号：</td><td>南府办〔2022〕32号</td><td>发布机构：</td><td>南岭县人民政府办公室</td></tr></table>'
         "<p>现将清单印发给你们，请认真组织实施。</p><p>南岭县人民政府办公室</p>"
         "<p>2022年8月22日（此件删减后公开）（此件公开发布）</p>", OFFICE),
        ('<table class="meta"><tr><td>文号：</td><td>南府办〔2022〕33号</td><td>发布机构：</td><td>南岭县人民政府办公室</td></tr></table>'
         "<p>对依申请公开的政府信息，应当按照条例规定的期限答复申请人。</p><p>（此件公开发布）</p>", OFFICE),
    ]
    for (text, href, day), (body, source) in zip(jbml, bodies):
        files[href] = _article("政府信息公开基本目录", text, day, body, source=source)
    seeded |= {
        ("privacy.id_number", jbml[0][1]),
        ("label.not_public", jbml[2][1]),
        ("label.conflict", jbml[3][1]),
    }

    # 规范性文件 (served list): the newest carries no label.
    gfxwj = [
        ("南岭县人民政府关于印发南岭县耕地保护补偿办法的通知", "/xxgk/gfxwj/content_7204.html", "2022-09-23", "南府规〔2022〕4号", ""),
        ("南岭县人民政府关于印发南岭县城市绿地管理办法的通知", "/xxgk/gfxwj/content_7201.html", "2022-03-15", "南府规〔2022〕1号",
         "（此件公开发布）"),
    ]
    files["/xxgk/gfxwj/index.html"] = _column("规范性文件", f'<ul class="news">{_rows(g[:3] for g in gfxwj)}</ul>')
    for text, href, day, number, label in gfxwj:
        pdf = href.replace(".html", ".pdf")
        files[pdf] = attachment_pdf(text)
        reading = href.replace("/xxgk/gfxwj/", "/xxgk/zcjd/")
        label_line = f"<p>{label}</p>" if label else ""
        files[href] = _article(
            "规范性文件", text, day, f'<table class="meta"><tr><td>文号：</td><td>{number}</td><td>有效性：</td><td>有效</td>'
            f"</tr></table><p>现将办法印发给你们，请遵照执行。</p>{label_line}"
            f'<p>附件：<a href="{pdf}">{escape(text)}.pdf</a></p>'
            f'<p>政策解读：<a href="{reading}">《{escape(text[10:-3])}》解读</a></p>'
        )
        files[reading] = _article("政策解读", f"《{text[10:-3]}》解读", day,
                                  f'<p>文件原文：<a href="{href}">{escape(text)}</a></p><p>一、出台背景。</p>')
    seeded.add(("label.missing", gfxwj[0][1]))

    # 公共企事业单位信息公开 (drawn by the script): every sector, newest 2021-09-08 (stale), beside a
    # fresh 热点信息 box.
    ggqsy = [
        (f"南岭县{sector}领域公共企事业单位信息公开事项（2021年）", f"/xxgk/ggqsy/content_{5200 + k}.html", f"2021-0{3 + k}-08")
        for k, sector in enumerate(SECTORS)
    ][::-1]
    files["/xxgk/ggqsy/index.html"] = _scripted("公共企事业单位信息公开", 102, side=True)
    routes[("GET", "/api/lm/102.json")] = _api(ggqsy)
    for text, href, day in ggqsy:
        files[href] = _article("公共企事业单位信息公开", text, day, "<p>现将公开事项公布如下。</p>")
    seeded.add(("column.stale", "/xxgk/ggqsy/index.html"))

    # 行政许可事项清单 (drawn by the script): no rows, so the script writes 暂无信息; a fresh side box.
    files["/zwfw/xzxk/index.html"] = _scripted("行政许可事项清单", 103, side=True)
    routes[("GET", "/api/lm/103.json")] = _api([])
    seeded.add(("column.empty", "/zwfw/xzxk/index.html"))

    return Template(
        write(root, files),
        routes=routes,
        seeded=seeded,
        leak=(jbml[0][1], CIVIL),
        lists={"jbml": "/xxgk/jbml/index.html", "ggqsy": "/xxgk/ggqsy/index.html", "lqhm": "/zt/lqhm/index.html"},
    )
