"""TRS WCM pages: recognised from what they show, paged by their scripts, dated by their URLs."""

from datetime import date

import pytest

from crawler.reading import DatedValue, read_page

LIST_URL = "http://www.qinglan.example/xxgk/xzxk/index.shtml"
DETAIL_URL = "http://www.qinglan.example/xxgk/tzgg/202208/t20220815_123456.htm"


def test_gbk_shtml_list_without_any_charset_declaration(read):
    r = read("trs_list_shtml_gbk_undeclared.shtml", LIST_URL)
    assert (r.cms, r.encoding, r.title) == ("trs", "gb18030", "行政许可事项清单")
    assert [(i.title, i.date, i.date_source) for i in r.list_items] == [
        ("青岚县行政许可事项清单（2022年版）", date(2022, 8, 15), "list"),
        ("青岚县县级行政许可事项实施规范（第一批）", date(2022, 7, 1), "list"),
        ("青岚县行政许可事项清单调整情况说明", date(2022, 1, 5), "list"),  # "(01-05)": year from the URL
        ("青岚县行政许可事项清单（2021年版）", date(2021, 12, 28), "list"),  # "(12-28)": not 2022
    ]


def test_relative_and_parent_links_resolve_against_the_list_page(read):
    urls = [i.url for i in read("trs_list_shtml_gbk_undeclared.shtml", LIST_URL).list_items]
    assert urls[0] == "http://www.qinglan.example/xxgk/xzxk/202208/t20220815_123456.htm"
    assert urls[2] == "http://www.qinglan.example/xxgk/zcjd/202201/t20220105_123300.htm"


def test_six_argument_pager_counting_from_one_starts_at_2(read):
    r = read("trs_list_shtml_gbk_undeclared.shtml", LIST_URL)
    assert r.total_pages == 4
    assert r.next_pages == [f"http://www.qinglan.example/xxgk/xzxk/index_{n}.shtml" for n in (2, 3, 4)]


def _list_page(script: str) -> bytes:
    rows = "".join(
        f'<li><a href="./2022{m:02d}/t2022{m:02d}15_{m}.html">青岚县第{m}号工作通知的详细标题</a><span>2022-{m:02d}-15</span></li>'
        for m in range(1, 6)
    )
    return f"<html><body><ul>{rows}</ul><div class='page'><script>{script}</script></div></body></html>".encode()


@pytest.mark.parametrize(
    "page, script, expected",
    [
        ("index.html", 'createPageHTML(3, 0, "index", "html");', ["index_1.html", "index_2.html"]),
        ("index_2.htm", 'createPageHTML(3, 2, "index", "htm");', ["index_1.htm"]),
        ("list.shtml", "createPageHTML('page_div', 3, 0, 'list', 'shtml', 60);", ["list_1.shtml", "list_2.shtml"]),
        ("index.shtml", "createPageHTML('page_div', 3, 1, 'index', 'shtml', 60);", ["index_2.shtml", "index_3.shtml"]),
        ("index_3.shtml", "createPageHTML('page_div', 3, 3, 'index', 'shtml', 60);", ["index_2.shtml"]),
        (
            "index.html",
            "var currentPage = 0;//所在页从0开始\nvar countPage = 3//共多少页\n",
            ["index_1.html", "index_2.html"],
        ),
        ("index_1.html", "var currentPage = 1;\nvar countPage = 3\n", ["index_2.html"]),
    ],
)
def test_trs_pager_scripts(page, script, expected):
    r = read_page(_list_page(script), f"http://www.qinglan.example/zwgk/tzgg/{page}")
    assert r.cms == "trs" and r.total_pages == 3
    assert r.next_pages == [f"http://www.qinglan.example/zwgk/tzgg/{name}" for name in expected]


def test_pager_function_definition_alone_is_no_pager():
    script = "function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt) { return; }"
    assert read_page(_list_page(script), "http://www.qinglan.example/zwgk/index.html").next_pages == []


def test_gb18030_detail_dated_only_by_its_url(read):
    r = read("trs_detail_gb18030_url_date.htm", DETAIL_URL)
    assert (r.cms, r.encoding) == ("trs", "gb18030")
    assert r.title == "关于公布䶮山镇村级公益性岗位人员名单的公告"  # 䶮 is outside GBK: four bytes in GB18030
    assert r.publish_date == DatedValue(date(2022, 8, 15), "url")


def test_trs_detail_with_a_publish_time_line_is_dated_by_it():
    body = (
        "<html><body><h1>青岚县召开防汛工作会议</h1><div class='info'>发布时间：2022-08-12 10:30　来源：县应急局</div>"
        "<div class='TRS_Editor'><p>" + "会议强调要压实防汛责任。" * 30 + "</p></div></body></html>"
    )
    r = read_page(body.encode("gbk"), DETAIL_URL, content_type="text/html; charset=GBK")
    assert r.cms == "trs" and r.publish_date == DatedValue(date(2022, 8, 12), "body")


def test_other_pages_are_not_taken_for_trs():
    html = (
        "<html><body><ul>"
        + "".join(f"<li><a href='/news/show-{n}.html'>新闻标题第{n}条比较长</a></li>" for n in range(5))
        + "</ul></body></html>"
    )
    assert read_page(html.encode(), "http://www.wz.gov.cn/news/").cms == "generic"


def test_stated_counts_beyond_reason_are_kept_as_stated_but_list_few_pages():
    script_pager = b"<html><body><script>var maxPageNum = 99999999999; var purl = 'list';</script></body></html>"
    r = read_page(script_pager, "http://www.example.gov.cn/xxgk/index.html")
    assert r.total_pages == 99999999999 and len(r.next_pages) <= 10_000
    huge = b"<html><body><script>createPageHTML(" + b"9" * 5000 + b", 0, 'index', 'html');</script></body></html>"
    r = read_page(huge, "http://www.example.gov.cn/xxgk/index.html")
    assert r.cms == "trs" and r.total_pages == 999_999_999_999 and len(r.next_pages) <= 10_000


def test_pager_links_name_the_pages_when_the_file_name_would_guess_otherwise():
    """countPage/currentPage name the pages after the page's own file (list_1.html); its pager
    links say index_1.shtml: the links win, and the script's count still lists every page."""
    body = (
        '<html><body><ul><li><a href="./202209/t20220901_1.html">通知一</a><span>2022-09-01</span></li></ul>'
        '<div class="page"><a href="index_1.shtml">2</a> <a href="index_1.shtml">下一页</a></div>'
        "<script>var countPage = 4; var currentPage = 0;</script></body></html>"
    ).encode()
    r = read_page(body, "http://www.example.gov.cn/xxgk/zcwj/list.html")
    assert r.cms == "trs" and r.total_pages == 4
    assert r.next_pages == [f"http://www.example.gov.cn/xxgk/zcwj/index_{n}.shtml" for n in (1, 2, 3)]
