"""A side box in the column's own row markup (最新信息, 热点信息, 最新文件) is never the column's list."""

from crawler.reading import read_page

URL = "http://www.x.gov.cn/xxgk/gfxwj/"


def _box(title: str, rows: list[tuple[str, str, str]], css: str = "box") -> str:
    items = "".join(f'<li><a href="{href}">{text}</a><span>{shown}</span></li>' for text, href, shown in rows)
    return f'<div class="{css}"><h3>{title}</h3><ul class="list">{items}</ul></div>'


FRESH_SIDE = _box(
    "最新信息",
    [(f"测试县关于做好第{i}项重点工作的通知", f"/zwdt/tzgg/20221{i}.html", f"2022-10-0{i}") for i in range(1, 6)],
)
STALE_MAIN = _box(
    "规范性文件",
    [(f"测试县第{i}号规范性文件管理办法", f"/xxgk/gfxwj/{i}.html", f"2019-03-0{i}") for i in range(1, 4)],
    css="listbox",
)


def _page(left: str, right: str) -> bytes:
    return (
        f'<html><head><title>规范性文件</title></head><body><div class="header"><a href="/">首页</a></div>'
        f'<div class="left">{left}</div><div class="right">{right}</div></body></html>'
    ).encode()


def test_a_blank_column_beside_a_fresh_side_box_lists_nothing():
    reading = read_page(_page(FRESH_SIDE, '<h2>规范性文件</h2><div class="list">暂无信息</div>'), URL)
    assert reading.list_items == [] and reading.empty_notice


def test_a_stale_column_is_read_from_its_own_list_not_the_side_box():
    reading = read_page(_page(FRESH_SIDE, STALE_MAIN), URL)
    assert [entry.url.rsplit("/", 1)[1] for entry in reading.list_items] == ["1.html", "2.html", "3.html"]
    assert max(entry.date for entry in reading.list_items).year == 2019


def test_side_box_on_the_right_is_set_aside_too():
    reading = read_page(_page(STALE_MAIN, FRESH_SIDE.replace("最新信息", "热点信息")), URL)
    assert {entry.date.year for entry in reading.list_items} == {2019}


def test_a_column_called_latest_keeps_its_only_list():
    # A lone list is the column's, whatever its box is called.
    reading = read_page(_page("", FRESH_SIDE.replace("最新信息", "最新动态")), "http://www.x.gov.cn/zwdt/zxdt/")
    assert len(reading.list_items) == 5


def test_an_empty_related_box_does_not_hide_the_columns_list():
    related = '<div class="box"><h3>相关文件</h3><p>暂无信息</p></div>'
    reading = read_page(_page(related, STALE_MAIN), URL)
    assert len(reading.list_items) == 3


def test_two_boxes_both_titled_as_navigation_keep_the_old_choice():
    # 最新公开 (the column's own list) and 热点信息 (a side box): nothing decides which is the column's,
    # so the best dated list stays the main list as before.
    own = _box(
        "最新公开",
        [(f"测试县关于第{i}批政府信息公开目录的公告", f"/xxgk/{i}.html", f"2022-09-1{i}") for i in range(1, 8)],
        css="listbox",
    )
    reading = read_page(_page(FRESH_SIDE.replace("最新信息", "热点信息"), own), URL)
    assert len(reading.list_items) == 7
