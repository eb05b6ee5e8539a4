"""A 最新信息 box beside a box titled with the page's own name that says 暂无信息, in a layout whose
class names say nothing (box1/box2, no left/right/side): the column's own list is the empty one."""

from crawler.reading import read_page

URL = "http://www.x.gov.cn/zwfw/xzxk/"
FRESH = "".join(
    f'<li><a href="/zwdt/{i}.html">测试县第{i}项重点工作推进会召开</a><span>2022-10-0{i}</span></li>'
    for i in range(1, 5)
)


def _page(title: str, notice_box_title: str, side_title: str = "最新信息") -> bytes:
    return (
        f'<html><head><title>{title}_测试县人民政府</title></head><body><div class="header"><a href="/">首页</a></div>'
        f'<div class="box1"><div class="tit">{side_title}</div><ul class="news">{FRESH}</ul></div>'
        f'<div class="box2"><div class="tit">{notice_box_title}</div><ul class="news"><li>暂无信息</li></ul></div>'
        f"</body></html>"
    ).encode()


def test_the_notice_under_the_pages_own_name_makes_the_column_blank():
    reading = read_page(_page("行政许可事项清单", "行政许可事项清单"), URL)
    assert reading.list_items == [] and reading.empty_notice


def test_a_notice_under_another_name_keeps_the_list():
    # 暂无信息 under a sub-heading (其他事项) says that part is empty, not the column.
    reading = read_page(_page("行政许可事项清单", "其他事项"), URL)
    assert len(reading.list_items) == 4


def test_a_column_named_latest_keeps_its_list():
    # The page is itself 最新信息: its box titled 最新信息 is its own list.
    reading = read_page(_page("最新信息", "最新信息"), "http://www.x.gov.cn/zxxx/")
    assert len(reading.list_items) == 4
