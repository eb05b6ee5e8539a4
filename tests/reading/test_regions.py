"""Where a link stands (the page's content or its chrome) and the 当前位置 trail, in the markup of
several CMSs; the spider decides column membership from them."""

from crawler.reading import read_page

URL = "http://www.qinghe.gov.cn/zcwj/gfxwj/index.html"


def _regions(body: str, url: str = URL) -> dict[str, str]:
    html = f'<html><head><meta charset="utf-8"><title>规章和规范性文件</title></head><body>{body}</body></html>'
    return {link.text: str(link.region) for link in read_page(html.encode(), url).links if link.tag == "a"}


ROWS = (
    '<ul class="list"><li><a href="202201/t20220101_1.html">清河县人民政府关于印发清河县某某管理办法的通知</a>'
    '<span>2022-01-01</span></li><li><a href="202201/t20220102_2.html">清河县人民政府关于印发清河县某某实施细则的通知</a>'
    "<span>2022-01-02</span></li></ul>"
)


def test_a_box_listing_the_page_among_its_siblings_is_navigation_whatever_its_class():
    # No telling class name: the box links the page itself (/zcwj/gfxwj/ is index.html).
    regions = _regions(
        '<div class="lm-box"><ul><li class="on"><a href="/zcwj/gfxwj/">规章和规范性文件</a></li>'
        '<li><a href="/zcwj/qtwj/">其他文件</a></li></ul></div>'
        f'<div class="con"><div class="tabs"><a href="/zcwj/gfxwj/xzf/">县政府规范性文件</a>'
        f'<a href="/zcwj/gfxwj/bm/">部门规范性文件</a></div>{ROWS}</div>'
    )
    assert regions["其他文件"] == "chrome"
    assert regions["县政府规范性文件"] == regions["部门规范性文件"] == "content"
    assert regions["清河县人民政府关于印发清河县某某管理办法的通知"] == "content"


def test_navigation_footer_and_related_boxes_by_tag_class_or_heading():
    regions = _regions(
        '<nav><a href="/">首页</a></nav><div class="lm_left"><a href="/a/">甲栏目</a></div>'
        '<div class="sidebar"><a href="/b/">乙栏目</a></div><div class="box"><h3>相关链接</h3>'
        '<a href="http://www.gov.cn/">中国政府网</a></div><div class="footer"><a href="/c.html">关于我们</a></div>'
        f'<div class="main">{ROWS}<div class="grid"><a href="/zcwj/gfxwj/xzf/">县政府规范性文件</a></div></div>'
    )
    assert {regions[text] for text in ("首页", "甲栏目", "乙栏目", "中国政府网", "关于我们")} == {"chrome"}
    # Trap: a sub-column grid and the main list of the content stay content.
    assert regions["县政府规范性文件"] == "content"


def test_trs_breadcrumb_with_the_current_page_as_text():
    html = (
        '<div class="location">您现在的位置：<a href="/">首页</a> &gt; <a href="/zcwj/">政策文件</a> &gt; 规章和规范性文件'
        f"</div>{ROWS}"
    ).encode()
    reading = read_page(html, URL)
    assert [(c.text, c.url) for c in reading.breadcrumb] == [
        ("首页", "http://www.qinghe.gov.cn/"),
        ("政策文件", "http://www.qinghe.gov.cn/zcwj/"),
        ("规章和规范性文件", None),
    ]
    assert {str(link.region) for link in reading.links if link.text in ("首页", "政策文件")} == {"breadcrumb"}


def test_hanweb_breadcrumb_found_by_its_label_with_the_current_page_in_a_span():
    html = (
        '<table><tr><td><b>当前位置：</b><a href="/index.html">首页</a>&gt;&gt;<a href="/col/col2001/index.html">'
        "规范性文件</a>&gt;&gt;<span>县政府规范性文件</span></td></tr></table>"
    ).encode()
    crumbs = read_page(html, "http://www.qinghe.gov.cn/col/col2010/index.html").breadcrumb
    assert [c.text for c in crumbs] == ["首页", "规范性文件", "县政府规范性文件"]
    assert crumbs[1].url == "http://www.qinghe.gov.cn/col/col2001/index.html"


def test_no_breadcrumb_when_the_page_states_no_position():
    # Trap: a line that merely mentions 位置 in the text is no trail.
    html = f'<p>办公地点位于县政府大楼，<a href="/map.html">查看位置</a>。</p>{ROWS}'.encode()
    assert read_page(html, URL).breadcrumb == []
