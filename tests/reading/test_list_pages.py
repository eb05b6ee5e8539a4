"""List pages: main list choice, titles, dates, pagination, empty notices."""

from datetime import date

from crawler.reading import read_page

LIST_URL = "http://www.maguan.gov.cn/zwgk/tzgg/index.html"


def test_ul_list_takes_main_rows_not_nav_or_sidebar(read):
    r = read("list_ul.html", LIST_URL)
    assert [i.url for i in r.list_items] == [
        "http://www.maguan.gov.cn/zwgk/tzgg/202201/t20220105_100.html",  # pinned (置顶) row still an item
        "http://www.maguan.gov.cn/zwgk/tzgg/202208/t20220815_123456.html",
        "http://www.maguan.gov.cn/zwgk/tzgg/202208/t20220812_123400.html",
        "http://www.maguan.gov.cn/zwgk/tzgg/202208/t20220810_123300.html",
        "http://www.ynws.gov.cn/art/2022/8/8/art_12_345.html",
    ]
    assert [i.date for i in r.list_items] == [
        date(2022, 1, 5),
        date(2022, 8, 15),
        date(2022, 8, 12),
        date(2022, 8, 10),
        date(2022, 8, 8),
    ]
    assert {i.date_source for i in r.list_items} == {"list"}


def test_list_titles_use_full_title_attribute_and_unescape(read):
    titles = [i.title for i in read("list_ul.html", LIST_URL).list_items]
    assert titles[0] == "马关县2022年度政府信息公开工作要点"
    assert titles[1] == "马关县人民政府关于做好2022年秋季学期学生资助工作的通知"
    assert titles[2] == '关于"平安马关"建设的通知'


def test_list_page_fields(read):
    r = read("list_ul.html", LIST_URL)
    assert r.title == "通知公告"
    assert r.publish_date is None and r.doc_number is None and r.labels == []
    assert not r.empty_notice


def test_pager_links_in_page_order_without_current_and_first_page(read):
    r = read("list_ul.html", LIST_URL)
    assert r.next_pages == [
        "http://www.maguan.gov.cn/zwgk/tzgg/index_1.html",
        "http://www.maguan.gov.cn/zwgk/tzgg/index_2.html",
    ]
    assert r.total_pages == 3


def test_table_list_with_month_day_dates_skips_scroller(read):
    r = read("list_table_mmdd.html", LIST_URL)
    assert len(r.list_items) == 6
    assert all("滚动公告" not in i.title for i in r.list_items)
    assert r.list_items[0].date == date(2017, 10, 19)
    assert r.list_items[-1].date == date(2017, 12, 30)


def test_trs_create_page_html_pager(read):
    r = read("list_table_mmdd.html", LIST_URL)
    assert r.total_pages == 21
    assert r.next_pages[0] == "http://www.maguan.gov.cn/zwgk/tzgg/index_1.html"
    assert r.next_pages[-1] == "http://www.maguan.gov.cn/zwgk/tzgg/index_20.html"
    assert len(r.next_pages) == 20


def test_select_pager_and_stated_count():
    options = "".join(f'<option value="/news-list-{n}.html">{n}</option>' for n in range(1, 5))
    html = (
        "<html><body><div id='l'>"
        + "".join(
            f"<div><a href='/news-show-{n}.html'>第{n}条新闻标题比较长</a><p>2022-08-{n:02d}</p></div>"
            for n in range(1, 6)
        )
        + f"</div><div>共40条记录 1/4页</div><select>{options}</select></body></html>"
    )
    r = read_page(html.encode(), "http://www.wz.gov.cn/news-list.html")
    assert r.next_pages == [f"http://www.wz.gov.cn/news-list-{n}.html" for n in (2, 3, 4)]
    assert r.total_pages == 4


def test_empty_list_notice(read):
    r = read("list_empty.html", LIST_URL)
    assert r.empty_notice and r.list_items == []


def test_populated_list_has_no_empty_notice(read):
    assert not read("list_table_mmdd.html", LIST_URL).empty_notice


def test_pure_navigation_page_has_no_list():
    nav = "".join(f"<li><a href='/c{n}/'>栏目{n}</a></li>" for n in range(8))
    r = read_page(f"<html><body><ul class='menu'>{nav}</ul><ul>{nav}</ul></body></html>".encode(), "http://x.gov.cn/")
    assert r.list_items == [] and not r.empty_notice


def test_hanweb_datastore_records_are_the_list_and_links(read):
    r = read("hanweb_datastore.html", "http://www.dingxi.gov.cn/col/col12377/index.html")
    assert [i.title for i in r.list_items] == ["定西市春节文明祭祀倡议书", "定西市工信局关于整改完成情况的公示"]
    assert r.list_items[1].date == date(2022, 1, 19)
    assert "http://www.dingxi.gov.cn/art/2022/1/20/art_12377_1.html" in [link.url for link in r.links]


def test_a_record_count_on_the_pager_line_is_the_list_declaration():
    rows = "".join(
        f'<li><a href="/xw/{n}.html">测试县第{n}号通知</a><span>2022-09-{n:02d}</span></li>' for n in range(1, 21)
    )
    pager = '<div class="page">共60条记录 共3页 当前第1页 <a href="?page=2">下一页</a> <a href="?page=3">尾页</a></div>'
    r = read_page(
        f'<html><body><ul class="list">{rows}</ul>{pager}</body></html>'.encode(), "http://x.gov.cn/xw/list.html"
    )
    assert (r.total_records, r.total_pages) == (60, 3)
    # 共N条 away from a pager counts something else (comments, measures): no declaration.
    r = read_page(
        f'<html><body><ul class="list">{rows}</ul><p>征求意见共3条</p></body></html>'.encode(),
        "http://x.gov.cn/xw/list.html",
    )
    assert r.total_records is None


def _box(title: str, kind: str, month: str, css: str = "box", count: int = 5) -> str:
    rows = "".join(
        f'<li><a href="/lqhm/{kind}/{n}.html">测试县{title}第{n}号实施办法的通知</a><span>{month}-{20 - n:02d}</span></li>'
        for n in range(1, count + 1)
    )
    return f'<div class="{css}"><div class="box-tit"><h3>{title}</h3><a href="/lqhm/{kind}/">更多</a></div><ul>{rows}</ul></div>'


def _column_page(main: str, beside: str = "", top: str = "") -> bytes:
    return (
        f'<html><head><meta charset="utf-8"><title>利企惠民政策专区</title></head><body><div class="header">{top}</div>'
        f'<div class="wrap"><div class="con">{main}</div>{beside}</div></body></html>'
    ).encode()


def test_two_peer_boxes_are_two_lists_each_with_its_rows():
    r = read_page(
        _column_page(_box("惠企政策", "hq", "2021-06", "box fl") + _box("惠民政策", "hm", "2022-09", "box fr")),
        "http://x.test/lqhm/",
        reference_date=date(2022, 10, 15),
    )
    assert [len(part.list_items) for part in r.lists] == [5, 5]
    assert max(item.date for item in r.list_items) == date(2022, 9, 19)


def test_a_peer_box_titled_as_navigation_is_not_a_list_of_the_column():
    for title in ("最新动态", "相关文章", "热点信息"):
        r = read_page(
            _column_page(_box("惠企政策", "hq", "2021-06") + _box(title, "zx", "2022-09")),
            "http://x.test/lqhm/",
            reference_date=date(2022, 10, 15),
        )
        assert r.lists == [] and {item.url.split("/")[-2] for item in r.list_items} == {"hq"}, title


def test_sidebar_and_header_boxes_are_not_peers_of_the_main_list():
    r = read_page(
        _column_page(
            _box("惠企政策", "hq", "2021-06"),
            beside=_box("惠民服务", "zx", "2022-09", "r-box"),
            top=_box("通知公告", "gg", "2022-09", count=3),
        ),
        "http://x.test/lqhm/",
        reference_date=date(2022, 10, 15),
    )
    assert r.lists == [] and {item.url.split("/")[-2] for item in r.list_items} == {"hq"}
