"""Portals for the column model: a 规章和规范性文件 column whose left navigation lists its sibling
columns (其他文件, 政府信息公开制度) or its children, in TRS-like and Hanweb-like markup.

Every document, in the column or beside it, has the same gaps (no 有效性, no download, no 解读), so
each page that the crawl wrongly takes into the column shows up as false normative.* and
interpretation.missing findings. NORMATIVE_* name the pages truly in the column.
"""

from __future__ import annotations

from html import escape

LABEL = "<p>（此件公开发布）</p>"


def _document(title: str, number: str, published: str, trail: str) -> str:
    """An official document as both portals publish it: metadata, body, label; no 有效性, no file, no 解读."""
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(title)}</title></head><body>'
        f'<div class="nav"><a href="/">首页</a></div>{trail}'
        f'<table class="meta"><tr><th>索引号：</th><td>11532625MB0000000X/2022-00001</td>'
        f"<th>发布机构：</th><td>清河县人民政府办公室</td></tr><tr><th>文号：</th><td>{number}</td></tr>"
        f"<tr><th>成文日期：</th><td>{published}</td></tr><tr><th>发布日期：</th><td>{published}</td></tr></table>"
        f'<h1>{escape(title)}</h1><div class="content"><p>各乡（镇）人民政府，县直各部门：现将有关事项通知如下，'
        f'请认真贯彻执行。</p>{LABEL}</div><div class="footer">主办：清河县人民政府办公室</div></body></html>'
    )


def _shell(title: str, trail: str, side: str, main: str, scripts: str = "") -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(title)}_清河县人民政府</title></head>'
        f'<body><div class="nav"><a href="/">首页</a><a href="/xxgk/">政府信息公开</a><a href="/zcwj/">政策文件</a>'
        f'</div>{trail}<div class="wrap">{side}<div class="con">{main}</div></div>{scripts}'
        '<div class="footer"><a href="/wzdt.html">网站地图</a> 主办：清河县人民政府办公室</div></body></html>'
    )


def _rows(docs: list[tuple[str, str, str, str]]) -> str:
    return "".join(
        f'<li><a href="{href}" title="{escape(title)}">{escape(title)}</a><span>{day}</span></li>'
        for href, title, _, day in docs
    )


def _trs_docs(folder: str, first: int, count: int, issuer: str) -> list[tuple[str, str, str, str]]:
    docs = []
    for n in range(first, first + count):
        day = f"2022-{(n % 9) + 1:02d}-{(n % 27) + 1:02d}"
        title = f"清河县人民政府关于印发清河县第{n}号{issuer}管理办法的通知"
        docs.append(
            (f"{folder}2022{day[5:7]}/t2022{day[5:7]}{day[8:]}_{n}.html", title, f"清政{issuer[:1]}〔2022〕{n}号", day)
        )
    return docs


# -- TRS-like: /zcwj/ 政策文件 › 规章和规范性文件 | 其他文件 | 政府信息公开制度 ------------------------------

TRS_GFXWJ = _trs_docs("/zcwj/gfxwj/", 101, 3, "规")  # the column's own list, page 1
TRS_GFXWJ_PAGE2 = _trs_docs("/zcwj/gfxwj/", 104, 2, "规")  # its page 2 (index_1.html)
TRS_XZF = _trs_docs("/zcwj/gfxwj/xzf/", 201, 2, "规")  # a sub-column listed as a tab in its content
TRS_FZWJ = _trs_docs("/zcwj/gfxwj/fzwj/", 301, 1, "规")  # a child listed only in the navigation: URL under the column
TRS_QTWJ = _trs_docs("/zcwj/qtwj/", 401, 4, "办")  # sibling 其他文件
TRS_ZD = _trs_docs("/zcwj/zd/", 501, 2, "制")  # sibling 政府信息公开制度


def _trs_trail(*steps: tuple[str, str | None]) -> str:
    parts = " &gt; ".join(f'<a href="{href}">{name}</a>' if href else name for name, href in steps)
    return f'<div class="location">您现在的位置：<a href="/">首页</a> &gt; {parts}</div>'


def _trs_nav(current: str, children: str = "") -> str:
    """The 政策文件 box every page of the section shows: the section's columns, the current one
    marked, with its children under it (a box without telling class names: the link to the page
    itself marks it as navigation)."""
    rows = []
    for href, name in (
        ("/zcwj/gfxwj/", "规章和规范性文件"),
        ("/zcwj/qtwj/", "其他文件"),
        ("/zcwj/zd/", "政府信息公开制度"),
    ):
        mark = ' class="on"' if href == current else ""
        rows.append(f'<li{mark}><a href="{href}">{name}</a>{children if href == current else ""}</li>')
    return f'<div class="lm-box"><div class="lm-title">政策文件</div><ul>{"".join(rows)}</ul></div>'


def _trs_list(title: str, docs, trail: str, nav: str, *, extra: str = "", pages: int = 1, current: int = 0) -> str:
    pager = f'<script>createPageHTML({pages}, {current}, "index", "html");</script>' if pages > 1 else ""
    return _shell(title, trail, nav, f'<h2>{title}</h2>{extra}<ul class="list">{_rows(docs)}</ul>{pager}')


_FZWJ_CHILD = '<ul><li><a href="/zcwj/gfxwj/fzwj/">已废止规范性文件</a></li></ul>'

TRS_SIBLING_PORTAL: dict[str, str] = {
    "/index.html": _shell(
        "首页",
        "",
        "",
        (
            '<div class="kjrk"><h3>快速入口</h3><a href="/zcwj/gfxwj/">规章和规范性文件</a>'
            '<a href="/xxgk/">政府信息公开</a></div>'
            '<ul class="news"><li><a href="/news/1.html">清河县召开全县经济工作会议</a><span>2022-10-10</span></li></ul>'
        ),
    ),
    "/news/1.html": _document("清河县召开全县经济工作会议", "", "2022-10-10", ""),
    "/xxgk/": _shell(
        "政府信息公开",
        _trs_trail(("政府信息公开", None)),
        "",
        '<ul class="grid"><li><a href="/xxgk/gkzn.html">政府信息公开指南</a></li></ul>',
    ),
    "/xxgk/gkzn.html": _document("清河县政府信息公开指南", "", "2022-01-05", ""),
    "/zcwj/": _shell(
        "政策文件",
        _trs_trail(("政策文件", None)),
        "",
        '<ul class="grid"><li><a href="/zcwj/gfxwj/">规章和规范性文件</a></li>'
        '<li><a href="/zcwj/qtwj/">其他文件</a></li><li><a href="/zcwj/zd/">政府信息公开制度</a></li></ul>',
    ),
    "/zcwj/gfxwj/": _trs_list(
        "规章和规范性文件",
        TRS_GFXWJ,
        _trs_trail(("政策文件", "/zcwj/"), ("规章和规范性文件", None)),
        _trs_nav("/zcwj/gfxwj/", _FZWJ_CHILD),
        extra='<div class="tabs"><a href="/zcwj/gfxwj/xzf/">县政府规范性文件</a></div>',
        pages=2,
    ),
    "/zcwj/gfxwj/index_1.html": _trs_list(
        "规章和规范性文件",
        TRS_GFXWJ_PAGE2,
        _trs_trail(("政策文件", "/zcwj/"), ("规章和规范性文件", None)),
        _trs_nav("/zcwj/gfxwj/", _FZWJ_CHILD),
        pages=2,
        current=1,
    ),
    "/zcwj/gfxwj/xzf/": _trs_list(
        "县政府规范性文件",
        TRS_XZF,
        _trs_trail(("政策文件", "/zcwj/"), ("规章和规范性文件", "/zcwj/gfxwj/"), ("县政府规范性文件", None)),
        _trs_nav("/zcwj/gfxwj/", _FZWJ_CHILD),
    ),
    # No breadcrumb at all: only its URL puts it under the column.
    "/zcwj/gfxwj/fzwj/": _trs_list("已废止规范性文件", TRS_FZWJ, "", _trs_nav("/zcwj/gfxwj/", _FZWJ_CHILD)),
    "/zcwj/qtwj/": _trs_list(
        "其他文件", TRS_QTWJ, _trs_trail(("政策文件", "/zcwj/"), ("其他文件", None)), _trs_nav("/zcwj/qtwj/")
    ),
    "/zcwj/zd/": _trs_list(
        "政府信息公开制度",
        TRS_ZD,
        _trs_trail(("政策文件", "/zcwj/"), ("政府信息公开制度", None)),
        _trs_nav("/zcwj/zd/"),
    ),
    "/wzdt.html": _shell("网站地图", "", "", '<p><a href="/zcwj/">政策文件</a></p>'),
}
for _docs in (TRS_GFXWJ, TRS_GFXWJ_PAGE2, TRS_XZF, TRS_FZWJ, TRS_QTWJ, TRS_ZD):
    for _href, _title, _number, _day in _docs:
        TRS_SIBLING_PORTAL[_href] = _document(_title, _number, _day, "")

TRS_NORMATIVE = {href for docs in (TRS_GFXWJ, TRS_GFXWJ_PAGE2, TRS_XZF, TRS_FZWJ) for href, *_ in docs}
TRS_SIBLINGS = {href for docs in (TRS_QTWJ, TRS_ZD) for href, *_ in docs}


# -- Hanweb-like: /col/col2001/ 规范性文件 whose sub-navigation lists its children and, under
# 相关栏目, its siblings; only the breadcrumb tells them apart (/col/ URLs say nothing) ---------------


def _hanweb_docs(column: int, first: int, count: int, issuer: str) -> list[tuple[str, str, str, str]]:
    docs = []
    for n in range(first, first + count):
        month, day = (n % 9) + 1, (n % 27) + 1
        title = f"清河县人民政府关于印发清河县第{n}号{issuer}实施细则的通知"
        docs.append(
            (
                f"/art/2022/{month}/{day}/art_{column}_{n}.html",
                title,
                f"清政{issuer[:1]}〔2022〕{n}号",
                f"2022-{month:02d}-{day:02d}",
            )
        )
    return docs


HANWEB_GFXWJ = _hanweb_docs(2001, 601, 2, "规")
HANWEB_XZF = _hanweb_docs(2010, 611, 2, "规")  # child: breadcrumb … › 规范性文件 › 县政府规范性文件
HANWEB_BM = _hanweb_docs(2011, 621, 1, "规")  # child: breadcrumb names 规范性文件 by a /col/col2001/ link
HANWEB_QTWJ = _hanweb_docs(2012, 631, 3, "办")  # sibling 其他文件
HANWEB_ZD = _hanweb_docs(2013, 641, 1, "制")  # sibling 政府信息公开制度


def _hanweb_trail(*steps: tuple[str, str | None]) -> str:
    parts = " &gt; ".join(f'<a href="{href}">{name}</a>' if href else f"<span>{name}</span>" for name, href in steps)
    return f'<div class="bt-position">当前位置：<a href="/index.html">首页</a> &gt; {parts}</div>'


_HANWEB_NAV = (
    '<div class="lm_nav"><div class="lm_tit">规范性文件</div><ul>'
    '<li><a href="/col/col2010/index.html">县政府规范性文件</a></li>'
    '<li><a href="/col/col2011/index.html">部门规范性文件</a></li></ul>'
    '<div class="lm_tit">相关栏目</div><ul><li><a href="/col/col2012/index.html">其他文件</a></li>'
    '<li><a href="/col/col2013/index.html">政府信息公开制度</a></li></ul></div>'
)


def _hanweb_column(title: str, docs, trail: str) -> str:
    records = "".join(
        f'<record><![CDATA[<li><a href="{href}" title="{escape(t)}">{escape(t)}</a><span>{day}</span></li>]]></record>'
        for href, t, _, day in docs
    )
    main = (
        f'<div class="lm_title">{title}</div><div id="2100"><script type="text/xml"><datastore><recordset>{records}'
        "</recordset></datastore></script></div>"
    )
    return _shell(title, trail, _HANWEB_NAV, main)


_XXGK = ("信息公开", "/col/col2000/index.html")
HANWEB_SIBLING_PORTAL: dict[str, str] = {
    "/index.html": _shell(
        "首页",
        "",
        "",
        (
            '<div class="rdzt"><a href="/col/col2001/index.html">规范性文件</a><a href="/col/col2000/index.html">信息公开</a></div>'
            '<ul class="news"><li><a href="/art/2022/10/9/art_1_1.html">清河县召开安全生产工作会议</a><span>2022-10-09</span></li></ul>'
        ),
    ),
    "/art/2022/10/9/art_1_1.html": _document("清河县召开安全生产工作会议", "", "2022-10-09", ""),
    "/col/col2000/index.html": _shell(
        "信息公开",
        _hanweb_trail(("信息公开", None)),
        "",
        '<ul class="grid"><li><a href="/col/col2012/index.html">其他文件</a></li></ul>',
    ),
    "/col/col2001/index.html": _hanweb_column("规范性文件", HANWEB_GFXWJ, _hanweb_trail(_XXGK, ("规范性文件", None))),
    "/col/col2010/index.html": _hanweb_column(
        "县政府规范性文件",
        HANWEB_XZF,
        _hanweb_trail(_XXGK, ("规范性文件", "/col/col2001/index.html"), ("县政府规范性文件", None)),
    ),
    "/col/col2011/index.html": _hanweb_column(
        "部门规范性文件", HANWEB_BM, _hanweb_trail(_XXGK, ("规范性文件", "/col/col2001/"), ("部门规范性文件", None))
    ),
    "/col/col2012/index.html": _hanweb_column("其他文件", HANWEB_QTWJ, _hanweb_trail(_XXGK, ("其他文件", None))),
    "/col/col2013/index.html": _hanweb_column(
        "政府信息公开制度", HANWEB_ZD, _hanweb_trail(_XXGK, ("政府信息公开制度", None))
    ),
    "/wzdt.html": _shell("网站地图", "", "", '<p><a href="/col/col2000/index.html">信息公开</a></p>'),
}
for _docs in (HANWEB_GFXWJ, HANWEB_XZF, HANWEB_BM, HANWEB_QTWJ, HANWEB_ZD):
    for _href, _title, _number, _day in _docs:
        HANWEB_SIBLING_PORTAL[_href] = _document(_title, _number, _day, "")

HANWEB_NORMATIVE = {href for docs in (HANWEB_GFXWJ, HANWEB_XZF, HANWEB_BM) for href, *_ in docs}
HANWEB_SIBLINGS = {href for docs in (HANWEB_QTWJ, HANWEB_ZD) for href, *_ in docs}
