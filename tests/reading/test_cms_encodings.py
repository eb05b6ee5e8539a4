"""Every charset county portals serve, declared in the header, in <meta>, nowhere, or wrongly."""

import pytest

from crawler.reading import read_page

TITLE = "青岚县人民政府关于做好秋冬季森林防火工作的通知"
ROW = "青岚县2022年国庆节假期值班安排"
URL = "http://www.qinglan.example/zwgk/tzgg/index.html"


def page(meta: str = "") -> str:
    rows = "".join(
        f'<li><a href="./202210/t2022100{n}_{n}.html">{ROW}（第{n}期）</a><span>2022-10-0{n}</span></li>'
        for n in range(1, 4)
    )
    return f"<html><head>{meta}<title>{TITLE}</title></head><body><h1>{TITLE}</h1><ul>{rows}</ul></body></html>"


def _read(body: bytes, content_type: str | None = None):
    return read_page(body, URL, content_type=content_type)


@pytest.mark.parametrize("codec", ["gbk", "gb2312", "gb18030", "utf-8"])
@pytest.mark.parametrize("declared", ["header", "meta", "http-equiv", "nowhere"])
def test_each_charset_wherever_it_is_declared(codec, declared):
    meta = {
        "meta": f'<meta charset="{codec}">',
        "http-equiv": f'<meta http-equiv="Content-Type" content="text/html; charset={codec}">',
    }.get(declared, "")
    content_type = f"text/html; charset={codec}" if declared == "header" else None
    r = _read(page(meta).encode(codec), content_type)
    assert r.encoding == ("utf-8" if codec == "utf-8" else "gb18030")
    assert r.title == TITLE and r.list_items[0].title == f"{ROW}（第1期）"


@pytest.mark.parametrize(
    "meta, content_type, codec",
    [
        ('<meta charset="utf-8">', None, "gbk"),  # <meta> lies
        ('<meta charset="gb2312">', "text/html; charset=utf-8", "gbk"),  # header lies, <meta> right
        ('<meta charset="gbk">', "text/html; charset=gbk", "utf-8"),  # both lie
        ("", "text/html; charset=ISO-8859-1", "gb18030"),  # header names a single-byte charset
        ('<meta charset="utf-8">', "text/html; charset=utf-8", "gb18030"),
    ],
)
def test_lying_declarations_do_not_garble_the_text(meta, content_type, codec):
    r = _read(page(meta).encode(codec), content_type)
    assert r.title == TITLE and r.list_items[-1].title == f"{ROW}（第3期）"
