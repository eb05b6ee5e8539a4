"""Which served pages hold a list only a browser shows (PageReading.script_list, rendered by the crawl
in crawler.crawl.render), and that a side box beside such an empty list box is never the column's list."""

import pytest

from crawler.reading import read_page

PAGE = "http://www.x.gov.cn/xxgk/ggqsy/"
BUNDLED = '<script src="/static/js/list.min.js"></script>'
SIDE = (
    '<div class="side"><h4>热点信息</h4><ul class="hot"><li><a href="/a/1.html">县政府召开常务会议</a>'
    '<span>2022-10-11</span></li><li><a href="/a/2.html">全县开展安全生产检查</a><span>2022-10-08</span></li></ul></div>'
)


def _page(main: str, *, side: str = SIDE, script: str = BUNDLED) -> bytes:
    return (
        '<html><head><meta charset="utf-8"><title>公共企事业单位信息公开</title></head><body>'
        f'<div class="content"><h3>公共企事业单位信息公开</h3>{main}</div>{side}{script}</body></html>'
    ).encode()


@pytest.mark.parametrize(
    "page",
    [
        _page('<ul class="list" data-cid="102"></ul>'),  # a bundled script, a side box beside it
        _page('<div id="newsList"></div>', side=""),  # nothing else on the page
        _page('<tbody id="xxgk_lb"></tbody>', script="<script>var p=['','api','lm',7].join('/');</script>"),
    ],
)
def test_an_empty_list_box_and_a_script_the_reader_cannot_follow_ask_for_a_browser(page):
    reading = read_page(page, PAGE)
    assert reading.script_list is True
    assert reading.list_items == []  # the 热点信息 box is not the column's list


@pytest.mark.parametrize(
    "page",
    [
        _page('<ul class="list"></ul><div class="nodata">暂无信息</div>'),  # the page says it is empty
        _page('<ul class="list"></ul>', script=""),  # no script: nothing will fill the box
        _page('<ul class="list"></ul>', script='<script>$.getJSON("data/list.json")</script>'),  # a source to read
        _page(  # an article with an empty box in its layout
            '<div class="info"></div><h2>关于做好秋冬季森林防火工作的通知</h2><p>发布时间：2022-10-09</p>'
            + "<p>各乡镇人民政府，县直各单位：为切实做好今冬明春森林防火工作，"
            + "".join(f"第{n}项，落实属地管理责任，加强火源管控和巡查值守，及时排查整治各类隐患；" for n in range(1, 9))
            + "请认真贯彻执行。</p>",
            side="",
        ),
    ],
)
def test_pages_a_browser_would_show_no_more_of_do_not(page):
    assert read_page(page, PAGE).script_list is False


def test_without_a_script_a_lone_side_titled_list_is_still_the_columns_own():
    """A column whose only list is titled 热点信息 and that loads no script keeps its list."""
    reading = read_page(_page('<ul class="list"></ul>', script=""), PAGE)
    assert [entry.title for entry in reading.list_items] == ["县政府召开常务会议", "全县开展安全生产检查"]
