"""Pages of no known CMS: counters, ?page=N pagers, iframe lists, banner links, redirects."""

from datetime import date

import pytest

from crawler.reading import read_page

URL = "http://www.test.gov.cn/zwgk/zcwj/"


def test_record_counter_and_page_parameter_links():
    rows = "".join(
        f"<tr><td><a href='/zwgk/show.aspx?id={n}'>测试县人民政府关于第{n}项工作的通知</a></td><td>2022-08-{n:02d}</td></tr>"
        for n in range(1, 21)
    )
    pager = "<div class='pager'>共595条记录 1/30页 <a href='?page=2'>下一页</a> <a href='?page=30'>尾页</a></div>"
    r = read_page(f"<html><body><table>{rows}</table>{pager}</body></html>".encode(), URL)
    assert r.cms == "generic" and r.total_pages == 30 and len(r.list_items) == 20
    assert r.next_pages == [URL + "?page=2", URL + "?page=30"]


def test_list_inside_an_iframe_is_exposed_as_a_link(read):
    r = read("generic_iframe_list.html", "http://www.test.gov.cn/zwgk/zcwj/index.html")
    assert ("iframe", "http://www.test.gov.cn/zwgk/zcwj/list.jsp?cat=12") in [(link.tag, link.url) for link in r.links]


def test_image_banner_and_title_only_links_are_named(read):
    named = {
        (link.tag, link.url): link.text
        for link in read("generic_iframe_list.html", "http://www.test.gov.cn/zwgk/zcwj/index.html").links
    }
    assert named[("a", "http://www.test.gov.cn/ztzl/lqhm/")] == "利企惠民政策专区"
    assert named[("a", "http://www.test.gov.cn/ztzl/gfxwj/")] == "规范性文件"


def test_visible_text_wins_over_title():
    r = read_page('<a href="/a/" title="旧名称">利企惠民</a>'.encode(), URL)
    assert [link.text for link in r.links] == ["利企惠民"]


@pytest.mark.parametrize(
    "html, target",
    [
        ('<meta http-equiv="refresh" content="0;url=/zwgk/index.html">', "http://www.test.gov.cn/zwgk/index.html"),
        (
            "<script>window.location.href='portal/index.shtml';</script>",
            "http://www.test.gov.cn/zwgk/zcwj/portal/index.shtml",
        ),
    ],
)
def test_home_pages_that_redirect(html, target):
    r = read_page(f"<html><head>{html}</head><body></body></html>".encode(), URL)
    assert r.redirect_to == target and r.publish_date is None


@pytest.mark.parametrize(
    "shown, expected",
    [
        ("2022-08-15", date(2022, 8, 15)),
        ("2022/8/15", date(2022, 8, 15)),
        ("2022.08.15", date(2022, 8, 15)),
        ("2022年8月15日", date(2022, 8, 15)),
        ("[2022-08-15]", date(2022, 8, 15)),
        ("(08-15)", date(2022, 8, 15)),
        ("(10-15)", date(2021, 10, 15)),  # no year: never after the reference date
    ],
)
def test_list_date_forms(shown, expected):
    rows = "".join(
        f"<li><a href='/news/show-{n}.html'>测试县人民政府第{n}号工作通知</a><span>{shown}</span></li>"
        for n in range(4)
    )
    r = read_page(f"<html><body><ul>{rows}</ul></body></html>".encode(), URL, reference_date=date(2022, 9, 30))
    assert {(i.date, i.date_source) for i in r.list_items} == {(expected, "list")}
