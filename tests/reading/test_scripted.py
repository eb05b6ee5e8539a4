"""Lists a script loads: which endpoints are taken from a page's scripts, and how a JSON answer reads."""

import json
from datetime import date

import pytest

from crawler.reading import read_page

PAGE = "http://www.x.gov.cn/xxgk/gfxwj/"


def _column(script: str, body: str = '<ul id="list"></ul>') -> bytes:
    return f"<html><body><h2>规范性文件</h2>{body}<script>{script}</script></body></html>".encode()


@pytest.mark.parametrize(
    "script, source",
    [
        (
            '$.ajax({url: "/gkmlpt/api/all/7", data: {page: pageNo, sid: "755"}})',
            "http://www.x.gov.cn/gkmlpt/api/all/7?page=1&sid=755",
        ),
        (
            'fetch("/api/list?channelId=12&pageNo=1").then(r => r.json())',
            "http://www.x.gov.cn/api/list?channelId=12&pageNo=1",
        ),
        ("$.getJSON('data/list.json')", "http://www.x.gov.cn/xxgk/gfxwj/data/list.json"),
    ],
)
def test_the_list_endpoint_is_the_first_page(script, source):
    reading = read_page(_column(script), PAGE)
    assert reading.next_pages == [source] and reading.empty_notice is False


@pytest.mark.parametrize(
    "script",
    [
        '$.ajax({url: "/count/visit.do?id=7"})',  # a visit counter
        '$.get("/weather/today.json")',  # a weather box
        '$.ajax({url: "http://other.example.com/api/list"})',  # another host
        '$.ajax({url: "/js/list.js"})',  # a script file
        '$.ajax({url: "/api/comment/list?id=5"})',  # comments
    ],
)
def test_scripts_that_load_no_list_are_not_followed(script):
    assert read_page(_column(script), PAGE).next_pages == []


def test_a_page_with_its_own_list_or_an_article_asks_nothing():
    rows = "".join(
        f'<li><a href="/xxgk/gfxwj/{i}.html">测试县第{i}号规范性文件管理办法</a><span>2022-09-0{i}</span></li>'
        for i in range(1, 4)
    )
    script = '$.ajax({url: "/api/list?channelId=12&page=1"})'
    assert read_page(_column(script, f'<ul class="list">{rows}</ul>'), PAGE).next_pages == []
    article = "<h1>测试县关于做好秋冬种工作的通知</h1><p>各乡（镇）人民政府，县直各部门：现将有关事项通知如下。</p>"
    assert read_page(_column(script, article), PAGE + "1.html").next_pages == []
    # Without an empty box for rows to go into, a script's list is something else (相关阅读, 排行).
    assert read_page(_column(script, "<div class='main'><p>栏目说明</p></div>"), PAGE).next_pages == []


def test_a_json_answer_reads_as_a_list_page():
    answer = {
        "code": 0,
        "data": {
            "total": 45,
            "pageSize": 20,
            "list": [
                {
                    "docTitle": "测试县关于印发甲办法的通知",
                    "docUrl": "/xxgk/gfxwj/202209/t20220901_1.html",
                    "pubDate": 1662000000000,
                },
                {
                    "docTitle": "测试县关于印发乙办法的通知",
                    "docUrl": "http://www.x.gov.cn/xxgk/gfxwj/2.html",
                    "pubDate": "2022-08-15",
                },
                {"docTitle": "测试县关于印发丙办法的通知", "docUrl": "3.html", "pubDate": ""},
            ],
        },
    }
    reading = read_page(
        json.dumps(answer, ensure_ascii=False).encode(),
        "http://www.x.gov.cn/api/list?channelId=12&page=1",
        content_type="application/json",
    )
    assert [(e.title, e.url, e.date) for e in reading.list_items] == [
        ("测试县关于印发甲办法的通知", "http://www.x.gov.cn/xxgk/gfxwj/202209/t20220901_1.html", date(2022, 9, 1)),
        ("测试县关于印发乙办法的通知", "http://www.x.gov.cn/xxgk/gfxwj/2.html", date(2022, 8, 15)),
        ("测试县关于印发丙办法的通知", "http://www.x.gov.cn/api/3.html", None),
    ]
    assert (reading.total_records, reading.total_pages) == (45, 3)
    assert reading.next_pages == [
        "http://www.x.gov.cn/api/list?channelId=12&page=2",
        "http://www.x.gov.cn/api/list?channelId=12&page=3",
    ]


def test_jsonp_and_json_served_as_text_are_read():
    answer = 'jQuery1124({"rows": [{"title": "通知一", "url": "/a/1.html", "date": "2022-09-01"}], "total": 1});'
    reading = read_page(answer.encode(), "http://www.x.gov.cn/api/list?page=1", content_type="text/javascript")
    assert [e.url for e in reading.list_items] == ["http://www.x.gov.cn/a/1.html"] and reading.next_pages == []


@pytest.mark.parametrize(
    "body",
    [
        b'{"code": 0, "msg": "ok"}',  # no rows
        b'{"items": [{"id": 1}, {"id": 2}]}',  # rows without titles and links
        b'{"broken": ',  # not JSON at all
    ],
)
def test_json_without_a_list_reads_no_rows_and_never_raises(body):
    reading = read_page(body, "http://www.x.gov.cn/api/list?page=1", content_type="application/json")
    assert reading.list_items == [] and reading.next_pages == []
