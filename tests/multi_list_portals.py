"""Portals whose 利企惠民政策专区 page carries two lists (惠企政策 / 惠民政策), in the forms real
portals use: tabs whose second panel is display:none, side-by-side boxes each with 更多 leading to
its own paginated list, TRS (a createPageHTML pager per list), Hanweb (a <datastore> and a jpage
call per list) and generic tables; and the traps beside them (a 最新动态 sidebar box, a site-wide
通知公告 box in the header) that are not lists of the column.

Each portal is a dict path → HTML (Hanweb: also the _jpage/<columnid>.xml record files its
dataproxy answers from). `fresh` and `old` give the 惠企 and 惠民 lists their dates.
"""

from __future__ import annotations

from html import escape

FRESH = "2022-09"  # within 183 days of the tests' as-of 2022-10-15
OLD = "2021-06"  # 16 months before it
ARCHIVE = "2020-12"  # a list's further pages: older than its first
TRAP = '<div class="header"><a href="/">首页</a><div class="tzgg"><b>通知公告</b><ul>{rows}</ul></div></div>'


def _doc(title: str, day: str) -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(title)}_测试县人民政府</title></head>'
        f'<body><table class="meta"><tr><th>索引号：</th><td>11532625MB0000000X/2022-00001</td>'
        f"<th>发布机构：</th><td>测试县人民政府办公室</td></tr><tr><th>发布日期：</th><td>{day}</td></tr></table>"
        f'<h1>{escape(title)}</h1><div class="content"><p>现将有关事项通知如下。</p><p>（此件公开发布）</p></div>'
        "</body></html>"
    )


def docs(
    kind: str, month: str, first: int, count: int, href: str = "/lqhm/{kind}/{n}.html"
) -> list[tuple[str, str, str]]:
    """(href, title, date) of `count` items of list `kind` (hq 惠企, hm 惠民), newest first."""
    name = {"hq": "惠企", "hm": "惠民", "zx": "动态", "gg": "公告"}[kind]
    return [
        (
            href.format(kind=kind, n=n, day=f"{month.replace('-', '')}{28 - n:02d}"),
            f"测试县{name}政策第{n}号实施办法的通知",
            f"{month}-{28 - n:02d}",
        )
        for n in range(first, first + count)
    ]


def _li(rows) -> str:
    return "".join(
        f'<li><a href="{href}" title="{escape(title)}">{escape(title)}</a><span>{day}</span></li>'
        for href, title, day in rows
    )


def _tr(rows) -> str:
    return "".join(f'<tr><td><a href="{href}">{escape(title)}</a></td><td>{day}</td></tr>' for href, title, day in rows)


def _shell(title: str, main: str, *, header_rows=(), scripts: str = "") -> str:
    header = TRAP.format(rows=_li(header_rows)) if header_rows else '<div class="header"><a href="/">首页</a></div>'
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(title)}_测试县人民政府</title></head>'
        f'<body>{header}<div class="location">当前位置：<a href="/">首页</a> &gt; {escape(title)}</div>'
        f'<div class="main">{main}</div>{scripts}<div class="footer">主办：测试县人民政府办公室</div></body></html>'
    )


def _home() -> str:
    return _shell(
        "首页",
        '<div class="kjrk"><a href="/lqhm/">利企惠民政策专区</a></div>'
        '<ul class="news"><li><a href="/news/1.html">测试县召开全县经济工作会议</a><span>2022-10-10</span></li></ul>',
    )


def _portal(
    column_page: str, lists: dict[str, list[tuple[str, str, str]]], extra: dict[str, str] | None = None
) -> dict[str, str]:
    pages = {
        "/index.html": _home(),
        "/news/1.html": _doc("测试县召开全县经济工作会议", "2022-10-10"),
        "/lqhm/index.html": column_page,
        **(extra or {}),
    }
    for rows in lists.values():
        for href, title, day in rows:
            pages.setdefault(href, _doc(title, day))
    return pages


def _pager(next_href: str | None, pages: int) -> str:
    link = f'<a href="{next_href}">下一页</a>' if next_href else ""
    return f'<div class="page">共{pages}页 {link}</div>'


def tabs_portal(hq: str, hm: str, *, sidebar: str | None = None, header: str | None = None) -> dict[str, str]:
    """Tabs: 惠企政策 visible, 惠民政策 display:none, each a list of 6 with its own pager (2 pages).
    `sidebar`: a 最新动态 box beside the tabs with rows of that month; `header`: a 通知公告 box."""
    lists = {
        "hq": docs("hq", hq, 1, 6),
        "hq2": docs("hq", ARCHIVE, 7, 3),
        "hm": docs("hm", hm, 1, 6),
        "hm2": docs("hm", ARCHIVE, 7, 2),
    }
    side = docs("zx", sidebar, 1, 5, "/news/zx{n}.html") if sidebar else []
    top = docs("gg", header, 1, 4, "/news/gg{n}.html") if header else []
    lists.update(side=side, top=top)
    aside = f'<div class="r-box"><div class="r-tit">最新动态</div><ul>{_li(side)}</ul></div>' if side else ""
    main = (
        '<div class="con"><div class="tab-tit"><span class="on">惠企政策</span><span>惠民政策</span></div>'
        f'<div class="tab-con" id="con1"><ul class="list">{_li(lists["hq"])}</ul>{_pager("/lqhm/hq_2.html", 2)}</div>'
        f'<div class="tab-con" id="con2" style="display:none"><ul class="list">{_li(lists["hm"])}</ul>'
        f"{_pager('/lqhm/hm_2.html', 2)}</div></div>{aside}"
    )
    extra = {
        "/lqhm/hq_2.html": _shell("惠企政策", f'<ul class="list">{_li(lists["hq2"])}</ul>{_pager(None, 2)}'),
        "/lqhm/hm_2.html": _shell("惠民政策", f'<ul class="list">{_li(lists["hm2"])}</ul>{_pager(None, 2)}'),
    }
    return _portal(_shell("利企惠民政策专区", main, header_rows=top), lists, extra)


def boxes_portal(hq: str, hm: str) -> dict[str, str]:
    """Two boxes side by side showing 5 items each, each with 更多 to its own list of 2 pages."""
    lists = {kind: docs(kind, month, 1, 5) + docs(kind, ARCHIVE, 6, 3) for kind, month in (("hq", hq), ("hm", hm))}
    boxes = "".join(
        f'<div class="box {side}"><div class="box-tit"><h3>{name}</h3><a href="/lqhm/{kind}zc/">更多&gt;&gt;</a></div>'
        f"<ul>{_li(lists[kind][:5])}</ul></div>"
        for kind, name, side in (("hq", "惠企政策", "fl"), ("hm", "惠民政策", "fr"))
    )
    extra = {}
    for kind, name in (("hq", "惠企政策"), ("hm", "惠民政策")):
        extra[f"/lqhm/{kind}zc/index.html"] = _shell(
            name, f'<ul class="list">{_li(lists[kind][:5])}</ul>{_pager(f"/lqhm/{kind}zc/index_1.html", 2)}'
        )
        extra[f"/lqhm/{kind}zc/index_1.html"] = _shell(
            name, f'<ul class="list">{_li(lists[kind][5:])}</ul>{_pager(None, 2)}'
        )
    return _portal(_shell("利企惠民政策专区", boxes), lists, extra)


def trs_portal(hq: str, hm: str) -> dict[str, str]:
    """TRS: one page, two tab panels, each list paged by its own createPageHTML call (hq 3 pages, hm 2)."""
    trs = "/lqhm/{kind}/{day}/t{day}_{n}.html"
    lists = {
        kind: docs(kind, month, 1, per, trs) + docs(kind, ARCHIVE, per + 1, count - per, trs)
        for kind, month, count, per in (("hq", hq, 12, 4), ("hm", hm, 6, 3))
    }
    panels = []
    for number, (kind, pages, per) in enumerate((("hq", 3, 4), ("hm", 2, 3)), 1):
        hidden = ' style="display:none"' if number == 2 else ""
        panels.append(
            f'<div class="tab-con"{hidden}><ul class="list">{_li(lists[kind][:per])}</ul>'
            f'<div id="page_div{number}"><script>createPageHTML("page_div{number}", {pages}, 0, '
            f'"{kind}", "html", {len(lists[kind])});</script></div></div>'
        )
    extra = {}
    for kind, pages, per in (("hq", 3, 4), ("hm", 2, 3)):
        for page in range(1, pages):
            rows = lists[kind][page * per : (page + 1) * per]
            extra[f"/lqhm/{kind}_{page}.html"] = _shell(
                "利企惠民政策专区",
                f'<ul class="list">{_li(rows)}</ul>'
                f'<script>createPageHTML("page_div", {pages}, {page}, "{kind}", "html", {len(lists[kind])});</script>',
            )
    main = '<div class="tab-tit"><span>惠企政策</span><span>惠民政策</span></div>' + "".join(panels)
    return _portal(_shell("利企惠民政策专区", main), lists, extra)


def tables_portal(hq: str, hm: str) -> dict[str, str]:
    """Generic tables: two tab panels, each a <table> list with a 下一页 link of its own."""
    lists = {
        "hq": docs("hq", hq, 1, 5),
        "hq2": docs("hq", ARCHIVE, 6, 2),
        "hm": docs("hm", hm, 1, 5),
        "hm2": docs("hm", ARCHIVE, 6, 2),
    }
    panels = "".join(
        f'<div class="tab-panel"{hidden}><table class="tb">{_tr(lists[kind])}</table>'
        f'<p class="pages">1/2页 <a href="/lqhm/{kind}_p2.html">下一页</a></p></div>'
        for kind, hidden in (("hq", ""), ("hm", ' style="display: none;"'))
    )
    extra = {
        f"/lqhm/{kind}_p2.html": _shell(
            "利企惠民政策专区", f'<table class="tb">{_tr(lists[kind + "2"])}</table><p class="pages">2/2页</p>'
        )
        for kind in ("hq", "hm")
    }
    return _portal(_shell("利企惠民政策专区", panels), lists, extra)


HANWEB_COLUMNS = {"hq": "3001", "hm": "3002", "zx": "3003"}


def _record(href: str, title: str, day: str) -> str:
    return f'<record><![CDATA[<li><a href="{href}" title="{escape(title)}">{escape(title)}</a><span>{day}</span></li>]]></record>'


def hanweb_portal(hq: str, hm: str, *, hot: str | None = None) -> dict[str, str]:
    """Hanweb: /col/col3000/ with a <datastore> and a jpage call per list (惠企 columnid 3001 of 9
    records embedding 4, 惠民 3002 of 7 embedding 4); the dataproxy answers from _jpage/<id>.xml.
    `hot`: a third datastore box, 热点信息 (3003), with rows of that month."""
    art = "/art/{day}/art_{n}.html"
    shown = (("hq", hq, 9, "惠企政策"), ("hm", hm, 7, "惠民政策")) + ((("zx", hot, 5, "热点信息"),) if hot else ())
    lists = {
        kind: [
            (art.format(day=d.replace("-", "/"), n=int(HANWEB_COLUMNS[kind]) * 100 + n), t, d)
            for n, (_, t, d) in enumerate(docs(kind, month, 1, 4) + docs(kind, ARCHIVE, 5, count - 4), 1)
        ]
        for kind, month, count, _ in shown
    }
    units = []
    extra = {}
    for kind, _, _, name in shown:
        column, unit = HANWEB_COLUMNS[kind], str(int(HANWEB_COLUMNS[kind]) + 1000)
        records = "".join(_record(*row) for row in lists[kind])
        embedded = "".join(_record(*row) for row in lists[kind][:4])
        units.append(
            f'<div class="box"><div class="box-tit">{name}</div><div id="{unit}"><script type="text/xml"><datastore>'
            f"<recordset>{embedded}</recordset></datastore></script><script>$('#{unit}').jpage({{"
            f"proxyUrl:'/module/web/jpage/dataproxy.jsp',perPage:4,groupSize:1,totalRecord:{len(lists[kind])},"
            f"ajaxParam:{{col:1,webid:1,path:'/',columnid:{column},unitid:'{unit}',permissiontype:0}}}});</script></div></div>"
        )
        extra[f"/_jpage/{column}.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<datastore><recordset>{records}</recordset></datastore>\n'
        )
    pages = _portal(_shell("利企惠民政策专区", "".join(units)), lists, extra)
    pages["/col/col3000/index.html"] = pages.pop("/lqhm/index.html")
    pages["/index.html"] = pages["/index.html"].replace('href="/lqhm/"', 'href="/col/col3000/index.html"')
    return pages
