"""site.stale: the newest dated item linked from home must be at most 14 days old, read through the
crawl; the as-of edges, future dates and one-column checks are in-memory cases (cases/site.stale.yaml)."""

from portal_kit import audit_pages, page

HOME_PORTAL = {
    "/index.html": page(
        "首页",
        (
            '<ul class="news"><li><a href="/n/old.html">置顶：县政府工作报告</a><span>2022-01-05</span></li>'
            '<li><a href="/n/1.html">县政府召开常务会议</a><span>2022-10-10</span></li>'
            '<li><a href="/n/2.html">县长调研秋收工作</a><span>2022-09-28</span></li></ul>'
            '<div class="notice"><a href="/n/3.html">关于国庆节放假的通知</a></div>'
        ),
    ),
    "/n/old.html": page("县政府工作报告", "<p>报告</p>"),
    "/n/1.html": page("县政府召开常务会议", "<p>会议</p>"),
    "/n/2.html": page("县长调研秋收工作", "<p>调研</p>"),
    "/n/3.html": page("关于国庆节放假的通知", "<p>发布时间：2022-09-29</p><p>通知</p>"),
}


def test_fires_on_the_fifteenth_day(tmp_path):
    result = audit_pages(tmp_path, HOME_PORTAL, as_of="2022-10-25")
    [finding] = result.of("site.stale")
    assert finding["url"] == result.base_url
    assert "2022-10-10" in finding["message"] and "15天" in finding["message"]
    assert finding["severity"] == "单项否决"


def test_the_newest_item_may_sit_in_a_small_side_box(tmp_path):
    # The big news list is two months old; the 通知公告 box beside it has an item from 2022-10-12.
    # The linked pages state no date, so only the box's own date tells.
    old_news = "".join(
        f'<li><a href="/n/{i}.html">县领导调研第{i}项重点工作进展情况</a><span>2022-08-0{i}</span></li>'
        for i in range(1, 8)
    )
    pages = {
        "/index.html": page(
            "首页",
            f'<div class="news"><ul>{old_news}</ul></div>'
            '<div class="notice"><h3>通知公告</h3><ul>'
            '<li><a href="/g/1.html">关于国庆节后恢复办公的通知</a><span>2022-10-12</span></li>'
            "</ul></div>",
        ),
        **{f"/n/{i}.html": page("调研", "<p>内容</p>") for i in range(1, 8)},
        "/g/1.html": page("通知", "<p>内容</p>"),
    }
    assert audit_pages(tmp_path, pages, as_of="2022-10-20").of("site.stale") == []
    [finding] = audit_pages(tmp_path / "later", pages, as_of="2022-10-27").of("site.stale")
    assert "2022-10-12" in finding["message"]
