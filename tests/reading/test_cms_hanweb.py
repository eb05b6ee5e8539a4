"""Hanweb jcms pages: datastore lists, the jpage POSTs for further groups, and their XML answers."""

from datetime import date

from crawler.reading import DatedValue, FormRequest, read_page

SITE = "http://www.yunxi.example"
COLUMN_URL = SITE + "/col/col1002/index.html"
PROXY = SITE + "/module/web/jpage/dataproxy.jsp"
FIELDS = {
    "col": "1",
    "appid": "1",
    "webid": "1",
    "path": "/",
    "columnid": "1002",
    "sourceContentType": "1",
    "unitid": "2002",
    "webname": "云溪县",
    "permissiontype": "0",
}


def test_column_page_reads_inline_records_with_their_dates(read):
    r = read("hanweb_column_jpage.html", COLUMN_URL)
    assert (r.cms, r.title) == ("hanweb", "规范性文件")
    assert [(i.title, i.url, i.date, i.date_source) for i in r.list_items] == [
        (
            "云溪县人民政府关于印发云溪县城乡居民医疗救助实施办法的通知",
            SITE + "/art/2022/8/15/art_1002_51001.html",
            date(2022, 8, 15),
            "list",
        ),
        (
            "云溪县人民政府办公室关于印发云溪县政府合同管理办法的通知",
            SITE + "/art/2022/7/18/art_1002_51002.html",
            date(2022, 7, 18),
            "list",
        ),
        (
            "云溪县人民政府关于印发云溪县城市绿化管理办法的通知",
            SITE + "/art/2022/6/6/art_1002_51003.html",
            date(2022, 6, 6),
            "url",
        ),
    ]


def test_column_page_asks_by_post_for_the_group_after_what_it_holds(read):
    r = read("hanweb_column_jpage.html", COLUMN_URL)
    assert (r.total_pages, r.total_records, r.next_pages) == (3, 8, [])
    # One group at a time: the answer to this one says where the next starts.
    assert r.more_requests == [
        FormRequest(PROXY + "?startrecord=4&endrecord=6&perpage=3&columnid=1002&unitid=2002", FIELDS)
    ]


def test_record_links_are_page_links(read):
    urls = [link.url for link in read("hanweb_column_jpage.html", COLUMN_URL).links if link.tag == "a"]
    assert SITE + "/art/2022/6/6/art_1002_51003.html" in urls


def test_form_fields_from_nextgroup_when_the_script_gives_none():
    store = (
        '<div id="38486"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?'
        'page=1&appid=1&webid=110&path=/&columnid=12377&unitid=38486&webname=%25E5%25AE%259A%25E8%25A5%25BF&permissiontype=0">'
        "</a>]]></nextgroup><recordset>"
        + "".join(
            f'<record><![CDATA[<li><a href="/art/2022/1/{d}/art_12377_{d}.html">定西市第{d}号通告</a><b>2022-01-{d:02d}</b></li>]]></record>'
            for d in range(20, 10, -1)
        )
        + "</recordset></datastore></script><script>$('#38486').jpage({perPage:5,totalRecord:25});</script></div>"
    )
    r = read_page(f"<html><body>{store}</body></html>".encode(), "http://www.dingxi.gov.cn/col/col12377/index.html")
    assert len(r.list_items) == 10 and r.total_pages == 5
    assert [m.url for m in r.more_requests] == [
        "http://www.dingxi.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=11&endrecord=20&perpage=5&columnid=12377&unitid=38486",
    ]
    assert r.more_requests[0].formdata == {
        "appid": "1",
        "webid": "110",
        "path": "/",
        "columnid": "12377",
        "unitid": "38486",
        "webname": "定西",
        "permissiontype": "0",
    }


def test_without_a_stated_total_no_group_is_guessed(read):
    assert read("hanweb_datastore.html", "http://www.dingxi.gov.cn/col/col12377/index.html").more_requests == []


def test_dataproxy_answer_is_a_further_page_of_the_list(read):
    r = read(
        "hanweb_dataproxy_answer.xml",
        PROXY + "?startrecord=4&endrecord=6&perpage=3&columnid=1002&unitid=2002",
        content_type="text/xml;charset=UTF-8",
    )
    assert (r.cms, r.total_pages, r.title) == ("hanweb", 3, None)
    # Records 4-6 of 8 came back: 7 on are asked for next (the crawler adds the POST's other form fields).
    assert r.more_requests == [
        FormRequest(
            PROXY + "?startrecord=7&endrecord=9&perpage=3&columnid=1002&unitid=2002",
            {"columnid": "1002", "unitid": "2002"},
        )
    ]
    assert [(i.date, i.date_source) for i in r.list_items] == [
        (date(2022, 5, 9), "list"),  # [2022-05-09]
        (date(2022, 4, 18), "list"),  # 2022.04.18
        (date(2022, 3, 21), "list"),  # 03-21: year from the /art/2022/3/21/ URL
    ]


def test_hanweb_detail_dated_by_its_url_when_it_states_no_date():
    body = (
        "<html><body><h1>云溪县召开经济运行分析会</h1><div id='zoom'><p>"
        + "会议要求稳住经济大盘。" * 30
        + "</p></div></body></html>"
    )
    r = read_page(body.encode(), SITE + "/art/2022/8/15/art_1006_55001.html")
    assert r.cms == "hanweb" and r.publish_date == DatedValue(date(2022, 8, 15), "url")


def test_broken_datastore_never_raises():
    r = read_page(b"<datastore><recordset><record><![CDATA[<li><a href=", SITE + "/col/col1/index.html")
    assert r.cms == "hanweb" and r.list_items == [] and r.more_requests == []


def _jpage_column(records: int, total: int, per_page: int = 15, group_size: int = 3) -> bytes:
    rows = "".join(
        f'<record><![CDATA[<li><a href="/art/2022/9/{n % 28 + 1}/art_1001_{n}.html">第{n}号通知</a>'
        f"<span>2022-09-{n % 28 + 1:02d}</span></li>]]></record>"
        for n in range(1, records + 1)
    )
    return (
        f'<html><body><div id="2001"><script type="text/xml"><datastore><recordset>{rows}</recordset></datastore>'
        f"</script><script>$('#2001').jpage({{proxyUrl:'/module/web/jpage/dataproxy.jsp',perPage:{per_page},"
        f"groupSize:{group_size},totalRecord:{total},ajaxParam:{{columnid:1001,unitid:'2001'}}}});</script></div>"
        "</body></html>"
    ).encode()


def test_an_embedded_first_page_is_continued_from_the_next_record_not_from_a_guessed_group():
    """15 records embedded of 60, jpage 15 × 3: the next POST starts at record 16, not 46."""
    r = read_page(_jpage_column(15, 60), SITE + "/col/col1001/index.html")
    assert len(r.list_items) == 15 and r.total_records == 60
    assert [m.url for m in r.more_requests] == [
        PROXY + "?startrecord=16&endrecord=60&perpage=15&columnid=1001&unitid=2001"
    ]


def _answer(numbers: range, total: int) -> bytes:
    """A dataproxy answer holding the records numbered `numbers` of a list of `total`."""
    return (
        "<datastore><totalrecord>"
        + str(total)
        + "</totalrecord><recordset>"
        + "".join(
            f'<record><![CDATA[<li><a href="/art/2022/8/1/art_1001_{n}.html">第{n}号</a></li>]]></record>'
            for n in numbers
        )
        + "</recordset></datastore>"
    ).encode()


def test_an_answer_cut_short_is_continued_where_it_stopped():
    url = PROXY + "?startrecord=16&endrecord=60&perpage=15&columnid=1001&unitid=2001"
    r = read_page(_answer(range(16, 31), 60), url, content_type="text/xml")
    assert len(r.list_items) == 15
    assert [m.url for m in r.more_requests] == [
        PROXY + "?startrecord=31&endrecord=75&perpage=15&columnid=1001&unitid=2001"
    ]


def test_the_last_answer_asks_for_nothing_more():
    r = read_page(
        _answer(range(16, 23), 22), PROXY + "?startrecord=16&endrecord=60&perpage=15&columnid=1001&unitid=2001"
    )
    assert len(r.list_items) == 7 and r.more_requests == []


def test_an_unclosed_datastore_repeated_over_a_megabyte_is_read_in_linear_time():
    import time

    unit = "<datastore><recordset><record><![CDATA[<li><a href='/art/2022/1/1/art_1_1.html'>x</a></li>"
    timings = []
    for size in (1_100_000, 3_300_000):
        body = (
            "<html><body><script type='text/xml'>" + unit * (size // len(unit)) + "</script></body></html>"
        ).encode()
        started = time.perf_counter()
        read_page(body, SITE + "/col/col1/index.html")
        timings.append(time.perf_counter() - started)
    # Quadratic reading took over 60 s on the smaller page and nine times as long on the larger.
    assert timings[0] < 10 and timings[1] < 5 * max(timings[0], 0.2)


def _unit(unit: str, column: str, title: str, month: str) -> str:
    records = "".join(
        f'<record><![CDATA[<li><a href="/art/{month.replace("-", "/")}/{n}/art_{column}_{n}.html">'
        f"测试县{title}第{n}号通知</a><span>{month}-{n:02d}</span></li>]]></record>"
        for n in range(1, 5)
    )
    return (
        f'<div class="box"><div class="box-tit">{title}</div><div id="{unit}"><script type="text/xml"><datastore>'
        f"<recordset>{records}</recordset></datastore></script><script>$('#{unit}').jpage({{perPage:4,"
        f"totalRecord:8,ajaxParam:{{columnid:{column},unitid:'{unit}'}}}});</script></div></div>"
    )


def test_each_datastore_of_a_page_is_a_list_with_its_own_jpage_request():
    body = f"<html><body>{_unit('4001', '3001', '惠企政策', '2021-06')}{_unit('4002', '3002', '惠民政策', '2022-09')}</body></html>"
    r = read_page(body.encode(), "http://x.test/col/col3000/index.html")
    assert [len(part.list_items) for part in r.lists] == [4, 4]
    assert [part.more_requests[0].formdata["columnid"] for part in r.lists] == ["3001", "3002"]
    assert len(r.list_items) == 8


def test_a_datastore_box_titled_as_navigation_is_not_a_list_of_the_column():
    body = f"<html><body>{_unit('4001', '3001', '惠企政策', '2021-06')}{_unit('4003', '3003', '热点信息', '2022-09')}</body></html>"
    r = read_page(body.encode(), "http://x.test/col/col3000/index.html")
    assert r.lists == [] and {item.url.split("_")[1] for item in r.list_items} == {"3001"}
