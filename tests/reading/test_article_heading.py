"""The article heading of a detail page and the date shown under it, on saved pages of three
template families (generic, TRS WCM, Hanweb) and on the traps around them."""

from datetime import date

import pytest

from crawler.reading import read_page
from crawler.reading.generic import strip_site_suffix

NO_URL_DATE = "http://www.shiping.gov.cn/tzgg/content_8861.html"


def test_generic_div_title_beats_the_footers_only_h2_and_a_bare_date_is_the_publish_date(read):
    r = read("generic_detail_footer_heading.html", NO_URL_DATE)
    # The footer's <h2>友情链接</h2> is the page's only heading tag; the article's is div.title.
    assert r.title == "关于做好2022-2023年度秋冬季森林防火工作的通知"
    # <span>2022-09-30 10:12</span> under the title, no label; not 2022年9月1日 / 9月29日 of the body.
    assert (r.publish_date.value, r.publish_date.source) == (date(2022, 9, 30), "body")


def test_trs_sidebar_headings_and_dated_boxes_are_not_the_article(read):
    r = read("trs_detail_sidebar_heading_gbk.html", "http://www.qinglan.gov.cn/xxgk/zfwj/202209/t20220928_3411.html")
    assert r.cms == "trs"
    # <h2>政府信息公开</h2> and <h2>最新信息</h2> head the left column; the article's is h2.xl_title.
    assert r.title == "青岚县人民政府关于印发青岚县城区养犬管理规定的通知"
    # Shown under the title: 2022-09-29, not the URL's 20220928, the sidebar's 2022-09-30, the
    # 成文日期 2022-09-20 (kept as written_date), the body's 2022年10月1日 or the 相关文章 dates.
    assert (r.publish_date.value, r.publish_date.source) == (date(2022, 9, 29), "body")
    assert r.written_date == date(2022, 9, 20) and r.doc_number == "青政发〔2022〕21号"


def test_hanweb_table_title_agrees_with_the_title_element_not_the_site_name_h1(read):
    r = read("hanweb_detail_table_heading.html", "http://www.yunxi.gov.cn/art/2022/9/26/art_1003_52077.html")
    assert r.cms == "hanweb"
    assert r.title == "云溪县2022年秋季学期学生资助政策问答"  # td.bt, agreeing with <title>; not <h1>云溪县人民政府
    assert (r.publish_date.value, r.publish_date.source) == (date(2022, 9, 27), "body")  # shown, not the URL's 9/26


def _article(
    under_title: str, body: str, *, title: str = "关于开展2022年秋季爱国卫生运动的通知", head: str = "", after: str = ""
) -> bytes:
    return (
        f'<html><head><meta charset="utf-8"><title>{title}_某某县人民政府</title></head><body>{head}'
        f'<div class="article"><h1>{title}</h1>{under_title}<div class="content">{body}</div>{after}</div>'
        f'<div class="footer">主办：某某县人民政府办公室</div></body></html>'
    ).encode()


PROSE = "<p>各乡（镇）、县直各部门：为做好秋季爱国卫生运动，现将有关事项通知如下，请认真贯彻落实。</p>"


@pytest.mark.parametrize(
    "under_title, found",
    [
        ('<div class="info">2022-09-30 10:12　来源：县卫生健康局</div>', date(2022, 9, 30)),
        ("<p><span>2022年9月30日</span><span>浏览：12次</span></p>", date(2022, 9, 30)),
        ('<div class="share">分享到：</div><div class="info"><span>2022/09/30</span></div>', date(2022, 9, 30)),
        # 成文日期 is not the publish date: the bare date after it is.
        ('<div class="info">成文日期：2022-09-20　2022-09-30 10:12</div>', date(2022, 9, 30)),
    ],
)
def test_a_date_in_the_block_under_the_title_is_the_publish_date(under_title, found):
    r = read_page(_article(under_title, PROSE), NO_URL_DATE)
    assert (r.publish_date.value, r.publish_date.source) == (found, "body")


def test_a_date_in_the_first_sentence_of_the_body_is_not_the_publish_date():
    body = "<p>2022年9月28日，县委副书记、县长带队检查秋季爱国卫生运动开展情况，要求各部门压实责任。</p>"
    assert read_page(_article("", body), NO_URL_DATE).publish_date is None


def test_a_dated_list_right_under_the_title_is_not_the_info_line():
    related = (
        '<ul class="list"><li><a href="/a/1.html">某某县召开爱国卫生运动推进会议</a><span>2022-09-01</span></li>'
        '<li><a href="/a/2.html">某某县开展病媒生物防制工作</a><span>2022-08-20</span></li></ul>'
    )
    r = read_page(_article(related, PROSE), NO_URL_DATE)
    assert r.publish_date is None or r.publish_date.value not in (date(2022, 9, 1), date(2022, 8, 20))


def test_labelled_dates_keep_their_precedence():
    # 发布日期 in the metadata beats a bare date under the title.
    meta = "<table><tr><td>索引号：</td><td>0001/2022-001</td><td>发布日期：</td><td>2022-10-08</td></tr></table>"
    r = read_page(_article('<div class="info">2022-09-30</div>', PROSE, head=meta), NO_URL_DATE)
    assert (r.publish_date.value, r.publish_date.source) == (date(2022, 10, 8), "meta")
    # Only a 成文日期 under the title: the labelled-line fallback reads it, as before.
    r = read_page(_article('<div class="info">成文日期：2022-09-20</div>', PROSE), NO_URL_DATE)
    assert (r.publish_date.value, r.publish_date.source) == (date(2022, 9, 20), "body")


@pytest.mark.parametrize(
    "box",
    [
        '<div class="side"><h2>关于做好防汛工作的紧急通知</h2></div>',  # a sidebar box
        '<div class="footer"><h1>某某县人民政府版权所有</h1></div>',  # footer
        "<h2>相关文章</h2>",
        "<h2>热点新闻</h2>",
        "<h2>友情链接</h2>",  # box headings in unmarked divs
        '<ul><li><h2><a href="/x.html">某某县召开全县秋冬季森林防火工作会议</a></h2></li></ul>',  # a list headline
    ],
)
def test_box_headings_are_never_the_title(box):
    html = (
        f'<html><head><meta charset="utf-8"><title>某某县人民政府</title></head><body>'
        f'<div class="wrap"><div class="title">关于开展2022年秋季爱国卫生运动的通知</div>{PROSE}</div>{box}</body></html>'
    )
    assert read_page(html.encode(), NO_URL_DATE).title == "关于开展2022年秋季爱国卫生运动的通知"


def test_body_subheadings_do_not_replace_the_title():
    body = PROSE + "<h2>一、总体要求</h2><p>坚持预防为主。</p><h2>二、工作安排</h2>"
    assert read_page(_article("", body), NO_URL_DATE).title == "关于开展2022年秋季爱国卫生运动的通知"


@pytest.mark.parametrize(
    "raw, site_name, stripped",
    [
        ("关于做好2022-2023年度森林防火工作的通知-石屏县人民政府", None, "关于做好2022-2023年度森林防火工作的通知"),
        ("关于做好森林防火工作的通知—石屏县人民政府门户网站", None, "关于做好森林防火工作的通知"),
        ("关于做好森林防火工作的通知｜石屏县人民政府", None, "关于做好森林防火工作的通知"),
        ("关于做好森林防火工作的通知|石屏县", "石屏县", "关于做好森林防火工作的通知"),
        ("石屏县人民政府-关于做好森林防火工作的通知", None, "关于做好森林防火工作的通知"),
        ("关于做好森林防火工作的通知 - 通知公告 - 石屏县人民政府", None, "关于做好森林防火工作的通知"),
        ("云溪县学生资助政策问答 云溪县人民政府", None, "云溪县学生资助政策问答"),
        # Dashes and spaces that belong to the title stay.
        (
            "石屏县国民经济和社会发展第十四个五年规划（2021-2025年）",
            None,
            "石屏县国民经济和社会发展第十四个五年规划（2021-2025年）",
        ),
        ("坚持人民至上——记石屏县优秀共产党员", None, "坚持人民至上——记石屏县优秀共产党员"),
        (
            "石屏县人民政府 石屏县财政局关于做好预算公开的通知",
            None,
            "石屏县人民政府 石屏县财政局关于做好预算公开的通知",
        ),
        ("石屏县人民政府", None, "石屏县人民政府"),
    ],
)
def test_site_name_is_stripped_from_the_title_element(raw, site_name, stripped):
    assert strip_site_suffix(raw, site_name) == stripped
