"""A pager that exists only as a script (var pageCount = N plus a goPage(n) that builds page n's
URL) is read to its stated count; a script that states only one of the two makes no URL up."""

from datetime import date

from crawler.reading import read_page

URL = "http://www.dongan.gov.cn/zwgk/gfxwj/index.html"
ROWS = "".join(
    f'<li><a href="/zwgk/gfxwj/2022-09/0{n}/content_{n}.htm">东岸县第{n}号规范性文件</a><span>2022-09-0{n}</span></li>'
    for n in range(1, 5)
)


def _read(script: str, url: str = URL):
    html = (
        f'<html><head><meta charset="utf-8"><title>规范性文件</title></head><body><h3>规范性文件</h3>'
        f'<ul class="news-list">{ROWS}</ul><div id="page_bar"></div><script>{script}</script></body></html>'
    )
    return read_page(html.encode(), url, reference_date=date(2022, 10, 15))


def test_go_page_building_index_n_html_is_read_to_the_stated_count():
    reading = _read(
        "var pageCount = 3; var pageIndex = 1;\nfunction goPage(n) {\n if (n < 1 || n > pageCount) return;\n"
        ' window.location.href = (n == 1) ? "index.html" : "index_" + n + ".html";\n}'
    )
    assert reading.next_pages == [
        "http://www.dongan.gov.cn/zwgk/gfxwj/index_2.html",
        "http://www.dongan.gov.cn/zwgk/gfxwj/index_3.html",
    ]
    assert reading.total_pages == 3


def test_go_page_with_a_page_index_query_and_the_current_page_left_out():
    reading = _read(
        "var totalPage = 3;\nfunction goPage(p){ location.href = '?pageIndex=' + p; }", url=URL + "?pageIndex=2"
    )
    assert reading.next_pages == [URL + "?pageIndex=3"]


def test_a_count_without_a_url_pattern_guesses_nothing():
    # goPage posts a form (no URL in the script), or no goPage at all: no page URL is made up.
    assert (
        _read(
            "var pageCount = 3;\nfunction goPage(n){ document.forms[0].page.value = n; document.forms[0].submit(); }"
        ).next_pages
        == []
    )
    assert _read("var pageCount = 3; var visits = 120;").next_pages == []


def test_a_url_pattern_without_a_count_guesses_nothing():
    assert _read('function goPage(n){ window.location.href = "index_" + n + ".html"; }').next_pages == []


def test_a_function_named_otherwise_or_a_javascript_url_is_not_a_pager():
    assert (
        _read('var pageCount = 4;\nfunction openWin(n){ window.location.href = "detail_" + n + ".html"; }').next_pages
        == []
    )
    assert _read('var pageCount = 4;\nfunction goPage(n){ location.href = "javascript:" + n; }').next_pages == []


def test_a_page_number_shifted_in_brackets_names_the_right_files():
    # TRS-style numbering built by script: page 2 is index_1.html, page 3 index_2.html.
    reading = _read(
        'var pageCount = 3;\nfunction goPage(n) {\n window.location.href = n == 1 ? "index.html" : '
        '"index_" + (n - 1) + ".html";\n}'
    )
    assert reading.next_pages == [
        "http://www.dongan.gov.cn/zwgk/gfxwj/index_1.html",
        "http://www.dongan.gov.cn/zwgk/gfxwj/index_2.html",
    ]


def test_other_arithmetic_on_the_page_number_guesses_nothing():
    # "index_" + n - 1 is not a URL a reader can trust (string arithmetic); n * 10 is a record offset.
    assert (
        _read('var pageCount = 3;\nfunction goPage(n){ location.href = "index_" + n - 1 + ".html"; }').next_pages == []
    )
    assert (
        _read('var pageCount = 3;\nfunction goPage(n){ location.href = "list.jsp?start=" + n * 10; }').next_pages == []
    )


def test_a_record_count_and_page_size_state_the_page_count():
    reading = _read(
        "var totalCount = 23;\nvar pageSize = 10;\nvar pageIndex = 1;\n"
        'function goPage(n) { window.location.href = "index_" + n + ".html"; }'
    )
    assert reading.next_pages == [
        "http://www.dongan.gov.cn/zwgk/gfxwj/index_2.html",
        "http://www.dongan.gov.cn/zwgk/gfxwj/index_3.html",
    ]
    assert reading.total_records == 23


def test_a_record_count_without_a_page_size_guesses_nothing():
    # How many rows a page holds is not what this page happens to show: no count, no URL.
    assert (
        _read('var totalCount = 23;\nfunction goPage(n) { window.location.href = "index_" + n + ".html"; }').next_pages
        == []
    )
    # Two page sizes (a second list's): which one this list uses is unknown.
    assert (
        _read(
            "var totalCount = 23; var pageSize = 10; var pageSize = 20;\n"
            'function goPage(n) { window.location.href = "index_" + n + ".html"; }'
        ).next_pages
        == []
    )
