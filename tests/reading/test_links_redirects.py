"""Links, meta tags, redirects, text, and never raising."""

import pytest

from crawler.reading import PageReading, read_page

DETAIL_URL = "http://www.maguan.gov.cn/zwgk/202208/t20220815_123456.html"


def test_links_are_absolute_and_skip_non_http(read):
    r = read("detail_table_gb2312.html", DETAIL_URL)
    pairs = [(link.tag, link.url) for link in r.links]
    assert ("link", "http://www.maguan.gov.cn/css/style.css") in pairs
    assert ("script", "http://www.maguan.gov.cn/zwgk/js/jquery.js") in pairs
    assert ("img", "http://www.maguan.gov.cn/zwgk/202208/images/seal.png") in pairs
    assert not any(u.startswith(("javascript:", "mailto:")) or u.endswith("#top") for _, u in pairs)
    pdf = next(link for link in r.links if link.url.endswith(".pdf"))
    assert pdf.text == "马关县防汛抗旱应急预案.pdf"


def test_base_href_is_honoured(read):
    r = read("list_ul.html", "http://mirror.example.org/whatever.html")
    assert r.list_items[0].url == "http://www.maguan.gov.cn/zwgk/tzgg/202201/t20220105_100.html"


def test_iframe_and_embed_links():
    html = b"<html><body><iframe src='/map.html'></iframe><embed src='v.swf'><a href='tel:123'>t</a></body></html>"
    assert [(link.tag, link.url) for link in read_page(html, "http://x.gov.cn/a/").links] == [
        ("iframe", "http://x.gov.cn/map.html"),
        ("embed", "http://x.gov.cn/a/v.swf"),
    ]


def test_meta_tags(read):
    r = read("detail_table_gb2312.html", DETAIL_URL)
    assert r.meta_tags["SiteName"] == "马关县人民政府" and r.meta_tags["ColumnName"] == "政府文件"


def test_meta_refresh_redirect(read):
    r = read("redirect_meta.html", DETAIL_URL)
    assert r.redirect_to == "http://www.maguan.gov.cn/zwgk/index.html"
    assert r.publish_date is None


def test_window_location_redirect(read):
    assert read("redirect_js.html", DETAIL_URL).redirect_to == "http://www.maguan.gov.cn/index.html"


def test_content_page_with_location_variable_is_not_a_redirect(read):
    html = (
        "<html><head><script>var W=''; if (W) { window.location.href = W; }</script></head>"
        "<body><p>" + "正文内容" * 100 + "</p><script>location.href='/x.html'</script></body></html>"
    )
    assert read_page(html.encode(), DETAIL_URL).redirect_to is None
    assert read("detail_table_gb2312.html", DETAIL_URL).redirect_to is None


def test_text_is_visible_text_only(read):
    r = read("detail_ul.html", DETAIL_URL)
    assert "对依申请公开的政府信息" in r.text
    assert "已废止" not in r.text  # comment
    assert "成文日期" not in r.text  # display:none


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"\x00\x01\x02\xff\xfe",
        b"<html><body><div><p>unclosed",
        b"<?xml version='1.0' encoding='gbk'?><a>x</a>",
        b"<" * 10000,
        "<p>表</p>".encode("utf-16"),
        b"<div>" * 5000 + b"deep",
    ],
)
def test_never_raises(body):
    r = read_page(body, "http://x.gov.cn/")
    assert isinstance(r, PageReading) and r.url == "http://x.gov.cn/"


def test_huge_page_is_read_and_text_bounded():
    row = "<p>" + "政务公开" * 50 + "</p>"
    body = ("<html><body>" + row * 12000 + "<p>（此件公开发布）</p></body></html>").encode()
    r = read_page(body, DETAIL_URL)
    assert len(r.text) <= 2_000_000
    assert r.labels == ["此件公开发布"]


@pytest.mark.parametrize(
    "refresh",
    [
        '<meta http-equiv="refresh" content="60">',  # a news home page reloading itself
        '<meta http-equiv="refresh" content="0; url=t20220815_123456.html#top">',  # itself, spelt otherwise
        '<meta http-equiv="refresh" content="8;url=/index.html">',  # "returning home in 8 s": the page is read
    ],
)
def test_refreshes_that_are_not_redirects(refresh):
    body = "<p>" + "各乡（镇）人民政府，县直各部门：现将有关事项通知如下。" * 4 + "</p><p>（此件不公开）</p>"
    html = f"<html><head>{refresh}</head><body>{body}</body></html>"
    assert read_page(html.encode(), DETAIL_URL).redirect_to is None


@pytest.mark.parametrize(
    "refresh, body",
    [
        ("3;url=/index.html", "<p>" + "正文内容" * 40 + "</p>"),  # soon: the visitor never reads the page
        ("10;url=/index.html", "<p>页面正在跳转，请稍候……</p>"),  # later, but there is nothing else to read
    ],
)
def test_refreshes_that_are_redirects(refresh, body):
    html = f'<html><head><meta http-equiv="refresh" content="{refresh}"></head><body>{body}</body></html>'
    assert read_page(html.encode(), DETAIL_URL).redirect_to == "http://www.maguan.gov.cn/index.html"
