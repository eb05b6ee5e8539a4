"""Property tests (hypothesis) on the page reader, date and label parsing, attachments, URL
canonicalisation and the privacy detectors / masking.

Each property states what the code promises, not merely that it does not crash. Regression
examples of the bugs these properties found are pinned with @example.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from crawler.crawl.attachments import attachment_text
from crawler.reading import PageReading, read_page
from crawler.reading.dom import absolute_url
from crawler.reading.labels import CANONICAL_LABELS, find_labels
from crawler.vocabulary.dates import parse_date, parse_row_date
from crawler.vocabulary.urls import canonical_url
from reports.masking import mask_personal
from rules.privacy import PROVINCE_CODES, id_numbers, mobiles

REFERENCE = date(2022, 9, 30)
PAGE_URL = "http://www.xx.gov.cn/zwgk/tzgg/index.html"
SKIPPED_SCHEMES = ("javascript", "mailto", "tel", "data", "vbscript", "about")

READER = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
FAST = settings(max_examples=250, deadline=None)

# ---------------------------------------------------------------------------------------------
# Building blocks

HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
# Prose without ASCII digits, so the only dates on a generated page are the ones we put there.
PROSE_CHARS = st.one_of(HAN, st.sampled_from(list("，、；的了是和在有abcXYZ ")))
prose = st.text(PROSE_CHARS, min_size=1, max_size=30)
han_words = st.text(HAN, min_size=2, max_size=20)
past_dates = st.dates(min_value=date(2000, 1, 1), max_value=REFERENCE)
any_dates = st.dates(min_value=date(1949, 1, 1), max_value=date(2100, 12, 31))


def render_full(day: date, form: int) -> str:
    """A full date as Chinese government pages write it."""
    y, m, d = day.year, day.month, day.day
    return [
        f"{y}-{m:02d}-{d:02d}",
        f"{y}/{m}/{d}",
        f"{y}.{m:02d}.{d:02d}",
        f"{y}年{m}月{d}日",
        f"[{y}-{m:02d}-{d:02d}]",
        f"发布时间：{y}-{m:02d}-{d:02d} 10:30",
        f"{y} 年 {m} 月 {d} 日",
        f"({y}-{m}-{d})",
        f"{y}-{m:02d}-{d:02d} 10:30:00",
        f"日期:{y}/{m:02d}/{d:02d}",
        f"{y}年{m:02d}月{d:02d}日 星期一",
        f"【{y}.{m}.{d}】",
    ][form]


FULL_FORMS = st.integers(0, 11)


@st.composite
def article_href(draw, dates=past_dates) -> str:
    """Article links in the shapes the CMSs publish (with their URL dates)."""
    day, n = draw(dates), draw(st.integers(1, 99999))
    return draw(
        st.sampled_from(
            [
                f"./{day:%Y%m}/t{day:%Y%m%d}_{n}.html",
                f"/art/{day.year}/{day.month}/{day.day}/art_{n}_{n}.html",
                f"/content/{day:%Y%m%d}/{n}.shtml",
                f"/xxgk/{day:%Y-%m}/{day:%d}/content_{n}.html",
                f"detail.jsp?id={n}",
                f"/news/{n}.html",
            ]
        )
    )


BAD_HREFS = [
    "javascript:void(0)",
    "javascript:;",
    " JavaScript:alert(1)",
    "JAVASCRIPT:x",
    "\njavascript:x",
    "\x01javascript:alert(1)",
    "\x7fjavascript:x",
    "java\nscript:alert(1)",
    "jav\tascript:x",
    "mailto:xxzx@xx.gov.cn",
    "MAILTO:a@b",
    "tel:0876-1234567",
    "data:text/html,x",
    "vbscript:x",
    "about:blank",
    "#",
    "#top",
    "",
    "   ",
    "http://",
    "https://",
    "http:///x",
    "https:",
    "//",
    "http://[::1",
    "http://a:99999/",
    "http://a b/c",
    "::::",
    "%zz",
    "\\\\server\\share",
    "http:\\\\x\\y",
    "ftp://ftp.xx.gov.cn/a.doc",
    "weixin://dl/chat",
    "//www.yn.gov.cn/",
    "http://例子.中国/路径",
    "/新闻/通知.html",
    "../../a b/c.html",
    "?page=2",
    "index_1.html",
    "http://WWW.XX.GOV.CN/A.HTML",
    "http://www.xx.gov.cn/zwgk/tzgg/index.html",
    "index.html",
    "./",
    "\u3000/a.html\u3000",
]
# Random text keeps out ASCII digits so it cannot spell a (future) date.
random_href = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters='0123456789<>"&'), max_size=25)
hrefs = st.one_of(st.sampled_from(BAD_HREFS), article_href(), random_href)


def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


@st.composite
def anchor(draw) -> str:
    href = draw(hrefs)
    title = draw(prose)
    extra = draw(st.sampled_from(["", f' title="{esc(title)}…"', ' target="_blank"']))
    return f'<a href="{esc(href)}"{extra}>{esc(title)}</a>'


@st.composite
def shown_date(draw) -> str:
    """A date as a list row shows it: full, or month-day only."""
    day = draw(past_dates)
    if draw(st.booleans()):
        return render_full(day, draw(FULL_FORMS))
    return draw(st.sampled_from([f"{day:%m-%d}", f"{day.month}月{day.day}日", f"[{day:%m-%d}]"]))


def leaves():
    return st.one_of(
        prose.map(esc),
        anchor(),
        shown_date().map(lambda d: f"<span>{esc(d)}</span>"),
        st.tuples(anchor(), shown_date()).map(lambda p: f"{p[0]}<span>{esc(p[1])}</span>"),
        st.sampled_from(
            [
                "<p>（此件公开发布）</p>",
                "<p>此件依申请公开。</p>",
                "<br>",
                "<img src='/img/a.png' alt='图'>",
                "<p>共5页 第1页</p>",
                "<a href='index_1.html'>下一页</a>",
                "<a href='index_4.html'>尾页</a>",
                "<p>暂无信息</p>",
                '<select><option value="index_2.html">2</option></select>',
                "<iframe src='//www.yn.gov.cn/frame.html'></iframe>",
            ]
        ),
        st.tuples(st.sampled_from(["发布日期", "成文日期", "发布时间", "索引号", "公开属性"]), past_dates).map(
            lambda p: f"<p>{p[0]}：{p[1]:%Y-%m-%d}</p>"
        ),
    )


def containers(children):
    lists = st.lists(children, min_size=1, max_size=6)
    return st.one_of(
        lists.map(lambda c: "<ul>" + "".join(f"<li>{x}</li>" for x in c) + "</ul>"),
        lists.map(lambda c: "<table>" + "".join(f"<tr><td>{x}</td><td>{x}</td></tr>" for x in c) + "</table>"),
        st.tuples(
            st.sampled_from(["div", "p", "td", "li", "span", "nav", "dl"]),
            st.sampled_from(["", ' class="list"', ' class="nav"', ' style="display:none"', ' id="marquee"']),
            lists,
        ).map(lambda t: f"<{t[0]}{t[1]}>" + "".join(t[2]) + f"</{t[0]}>"),
    )


body_html = st.recursive(leaves(), containers, max_leaves=25)

garbage_arg = st.one_of(
    st.integers(-5, 10**6).map(str),
    st.sampled_from(["'index'", '"html"', "''", "null", "x", "'a b'", "-1", "1e9", "'../x'"]),
    random_href.map(repr),
)


@st.composite
def scripts(draw) -> str:
    kind = draw(st.integers(0, 5))
    if kind == 0:
        return ""
    if kind == 1:  # a well-formed TRS pager
        total, current = draw(st.integers(0, 30)), draw(st.integers(0, 31))
        name, ext = draw(st.sampled_from(["index", "list", "a-b.c"])), draw(st.sampled_from(["html", "shtml"]))
        div = draw(st.sampled_from(["", "'page_div',"]))
        return f'<script>createPageHTML({div}{total}, {current}, "{name}", "{ext}");</script>'
    if kind == 2:  # garbage arguments
        args = draw(st.lists(garbage_arg, max_size=7))
        return f"<script>createPageHTML({', '.join(args)});</script>"
    if kind == 3:
        return (
            f"<script>var countPage = {draw(st.integers(0, 50))}; var currentPage = {draw(st.integers(0, 50))};"
            f"document.write('');</script>"
        )
    if kind == 4:  # the component-CMS count-down pager
        return f"<script>var maxPageNum = {draw(st.integers(0, 30))}; var purl = 'index';</script>"
    # Hanweb datastore with random records
    records = draw(st.lists(st.tuples(hrefs, prose, shown_date()), max_size=6))
    body = "".join(
        f'<record><![CDATA[<li><a href="{esc(h)}">{esc(t)}</a><span>{esc(d)}</span></li>]]></record>'
        for h, t, d in records
    )
    total = draw(st.integers(0, 500))
    jpage = draw(
        st.sampled_from(
            [
                "",
                "$('#52066').jpage({proxyUrl:'/module/web/jpage/dataproxy.jsp',perPage:15,groupSize:3,"
                f"totalRecord:{total},ajaxParam:{{col:1,webid:2,columnid:3}}}});",
                "$(x).jpage({perPage:'abc',ajaxParam:{}});",
            ]
        )
    )
    nextgroup = draw(
        st.sampled_from(
            [
                "",
                '<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?'
                'page=1&webid=2&columnid=3&webname=%25E5%258E%25BF"></a>]]></nextgroup>',
            ]
        )
    )
    return (
        f'<script type="text/xml"><datastore>{nextgroup}<totalrecord>{total}</totalrecord>'
        f"<recordset>{body}</recordset></datastore></script><script>{jpage}</script>"
    )


CHARSETS = ["utf-8", "UTF8", "gbk", "gb2312", "GB18030", "iso-8859-1", "windows-1252", "bogus-charset", "big5x"]
PAGE_URLS = [
    PAGE_URL,
    "http://www.xx.gov.cn/zwgk/tzgg/index_3.html",
    "https://www.xx.gov.cn/col/col123/index.html",
    "http://www.xx.gov.cn/art/2022/8/15/art_1_2.html",
    "http://www.xx.gov.cn/zwgk/202208/t20220815_1.html",
    "http://www.xx.gov.cn/list/",
    "http://www.xx.gov.cn/a/list.jsp?page=2",
    "http://www.xx.gov.cn/list/index_5.shtml",
]


@st.composite
def generated_page(draw) -> tuple[bytes, str, str | None]:
    """(bytes, url, content_type): a realistic random page, encoded, maybe lying, maybe truncated."""
    codec = draw(st.sampled_from(["utf-8", "gbk", "gb18030"]))
    meta = draw(
        st.sampled_from(
            [
                "",
                f'<meta charset="{draw(st.sampled_from(CHARSETS))}">',
                f'<meta http-equiv="Content-Type" content="text/html; charset={draw(st.sampled_from(CHARSETS))}">',
            ]
        )
    )
    pubdate = draw(st.sampled_from(["", f'<meta name="PubDate" content="{draw(past_dates):%Y-%m-%d %H:%M}">']))
    base = draw(st.sampled_from(["", '<base href="/other/">', '<base href="//cdn.xx.gov.cn/x/">']))
    html = (
        f"<html><head>{meta}{pubdate}{base}<title>{esc(draw(prose))}_某县人民政府</title></head>"
        f"<body>{draw(body_html)}{draw(scripts())}</body></html>"
    )
    body = html.encode(codec, errors="xmlcharrefreplace")
    if draw(st.booleans()):
        body = body[: draw(st.integers(0, len(body)))]
    content_type = draw(st.sampled_from([None, "text/html", *[f"text/html; charset={c}" for c in CHARSETS]]))
    return body, draw(st.sampled_from(PAGE_URLS)), content_type


# ---------------------------------------------------------------------------------------------
# read_page


def assert_absolute(url: str) -> None:
    parts = urlsplit(url)
    assert parts.scheme, url
    assert parts.scheme.lower() not in SKIPPED_SCHEMES, url
    assert not url.lower().lstrip().startswith(tuple(f"{s}:" for s in SKIPPED_SCHEMES)), url
    if parts.scheme.lower() in ("http", "https"):
        assert parts.hostname, url


def all_dates(reading: PageReading) -> list[date]:
    found = [reading.written_date, reading.publish_date and reading.publish_date.value]
    found += [item.date for item in reading.list_items + reading.dated_links]
    return [d for d in found if d is not None]


def check_reading(reading: PageReading, url: str) -> None:
    assert isinstance(reading, PageReading)
    assert reading.url == url
    for link in reading.links:
        assert_absolute(link.url)
    for item in reading.list_items + reading.dated_links:
        assert_absolute(item.url)
        assert item.title
    for next_url in reading.next_pages:
        assert_absolute(next_url)
        assert urlsplit(next_url).scheme in ("http", "https"), next_url
    assert url not in reading.next_pages
    assert len(set(reading.next_pages)) == len(reading.next_pages)
    if reading.redirect_to:
        assert_absolute(reading.redirect_to)
    assert set(reading.labels) <= set(CANONICAL_LABELS)
    assert len(set(reading.labels)) == len(reading.labels)
    for day in all_dates(reading):
        assert type(day) is date and 1949 <= day.year <= 2100, day
    for request in reading.more_requests:
        assert_absolute(request.url)
    reading.to_json()


@READER
@given(
    st.binary(max_size=3000),
    st.sampled_from(PAGE_URLS),
    st.sampled_from([None, "text/html", "text/html; charset=gbk", "text/html; charset=x-unknown"]),
)
def test_read_page_on_arbitrary_bytes(body, url, content_type):
    check_reading(read_page(body, url, content_type=content_type, reference_date=REFERENCE), url)


@READER
@given(generated_page())
@example((b'<html><body><a href="&#1;javascript:alert(1)">x</a></body></html>', PAGE_URL, None))
@example((b'<html><body><a href="http://">x</a></body></html>', "https://www.xx.gov.cn/a.html", None))
@example(
    (
        (
            "<html><body><ul><li><a href='/t/a_1.html'>第一条</a>09-05</li><li><a href='/t/a_2.html'>第二条</a>"
            "09-06</li></ul><script>var maxPageNum = 5; var purl = 'index';</script></body></html>"
        ).encode(),
        "http://www.xx.gov.cn/list/index_3.html",
        None,
    )
)
def test_read_page_on_generated_pages(page):
    body, url, content_type = page
    reading = read_page(body, url, content_type=content_type, reference_date=REFERENCE)
    check_reading(reading, url)
    # Every date written on the page (text, meta, URL) is on or before REFERENCE, and a month-day
    # is never placed after it, so no date read off the page may be later.
    for day in all_dates(reading):
        assert day <= REFERENCE, (day, reading)


@READER
@given(
    st.text(st.one_of(HAN, st.sampled_from(list("，。abc123"))), min_size=1, max_size=60),
    st.sampled_from(["utf-8", "gbk", "gb18030"]),
    st.sampled_from([None, *CHARSETS]),
    st.sampled_from(["meta", "header", "both", "none"]),
)
def test_read_page_decodes_text_whatever_the_declared_charset(text, codec, declared, where):
    """utf-8 / GB pages come out right whether their declarations tell the truth or lie."""
    text = "关于做好政务公开工作的通知" + text  # GB bytes of this are never valid UTF-8
    meta = f'<meta charset="{declared}">' if declared and where in ("meta", "both") else ""
    header = f"text/html; charset={declared}" if declared and where in ("header", "both") else None
    body = f"<html><head>{meta}</head><body><p>{text}</p></body></html>".encode(codec)
    reading = read_page(body, PAGE_URL, content_type=header, reference_date=REFERENCE)
    assert reading.text == text


@READER
@given(st.text(HAN, min_size=5, max_size=60), st.sampled_from(["gbk", "gb18030", "utf-8"]), st.data())
def test_truncated_page_keeps_the_text_before_the_cut(text, codec, data):
    """A page cut mid-character (a short read) still decodes in its own charset."""
    head = '<html><head><meta charset="gbk"></head><body><p>' if codec != "utf-8" else "<html><body><p>"
    # The first characters' GB bytes are not valid UTF-8 (a GB page that is valid UTF-8 is read as
    # UTF-8 by design); the cut falls anywhere after them.
    text = "关于做好" + text
    body = (head + text).encode(codec)
    cut = data.draw(st.integers(len((head + "关于做好").encode(codec)), len(body)))
    reading = read_page(body[:cut], PAGE_URL, reference_date=REFERENCE)
    whole = body[:cut].decode(codec, errors="ignore")[len(head) :]
    assert reading.text.startswith(whole[:-1]) and whole[:-1], (reading.text, whole)


def test_regression_truncated_gbk_page_is_not_read_as_another_charset():
    # Found by the property above: cut inside a character, the bytes failed every strict GB check
    # and charset detection picked hp_roman8.
    body = ('<html><head><meta charset="gbk"></head><body><p>关于做好一一一一一').encode("gbk")
    reading = read_page(body[:57], PAGE_URL, reference_date=REFERENCE)
    assert reading.encoding == "gb18030" and reading.text.startswith("关于做好")


@FAST
@given(hrefs, st.sampled_from(["\t", "\n", "\r\n"]), st.data())
@example("javascript:alert(1)", "\n", None)
@example("/art/2022/8/15/art_1_2.html", "\n", None)
def test_tabs_and_newlines_inside_href_are_ignored_like_a_browser(href, noise, data):
    """The WHATWG URL parser drops tab/CR/LF anywhere in a URL: "java\\nscript:" is javascript:."""
    clean = href.replace("\t", "").replace("\r", "").replace("\n", "")
    assume(clean.strip() == clean and "  " not in clean)
    at = data.draw(st.integers(0, len(clean))) if data is not None else len(clean) // 2
    assert absolute_url(clean[:at] + noise + clean[at:], PAGE_URL) == absolute_url(clean, PAGE_URL)


# ---------------------------------------------------------------------------------------------
# Dates


@FAST
@given(any_dates, FULL_FORMS, prose, prose)
def test_full_dates_round_trip(day, form, before, after):
    written = render_full(day, form)
    assert parse_date(written) == day
    assert parse_date(f"{before}{written}{after}") == day
    assert parse_row_date(f"{before} {written} {after}", url=None, reference=REFERENCE) == day


@st.composite
def impossible_date(draw) -> tuple[int, int, int]:
    year = draw(st.integers(1950, 2099))
    if draw(st.booleans()):
        return year, draw(st.integers(13, 99)), draw(st.integers(1, 28))
    month = draw(st.integers(1, 12))
    last = ((date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)).day
    return year, month, draw(st.integers(last + 1, 99))


@FAST
@given(
    impossible_date(),
    st.sampled_from(
        [
            "{y}-{m:02d}-{d:02d}",
            "{y}/{m}/{d}",
            "{y}.{m:02d}.{d:02d}",
            "{y}年{m}月{d}日",
            "{y} 年 {m} 月 {d} 日",
            "{y}/ {m}/ {d}",
            "发布时间：{y}-{m}-{d} 10:30",
        ]
    ),
)
@example((2023, 2, 29), "{y} 年 {m} 月 {d} 日")
def test_impossible_dates_never_parse(ymd, form):
    y, m, d = ymd
    written = form.format(y=y, m=m, d=d)
    assert parse_date(written) is None
    assert parse_row_date(written, url=None, reference=REFERENCE) is None
    assert parse_row_date(written, url="http://x/art/2022/8/15/art_1_1.html", reference=REFERENCE) is None


@FAST
@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
    st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 1, 1)),
    st.sampled_from(["{m:02d}-{d:02d}", "{m}月{d}日", "[{m:02d}-{d:02d}]", "{m}/{d}", "{m:02d}.{d:02d}"]),
    st.one_of(st.none(), article_href(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)))),
)
@example(date(2022, 1, 2), REFERENCE, "{m:02d}-{d:02d}", "/art/2022/8/15/art_1_1.html")
def test_month_day_never_after_reference(day, reference, form, href):
    url = None if href is None else "http://www.xx.gov.cn/zwgk" + href.lstrip(".")
    found = parse_row_date(form.format(m=day.month, d=day.day), url=url, reference=reference)
    if found is not None:
        assert found <= reference
        assert (found.month, found.day) == (day.month, day.day)


# ---------------------------------------------------------------------------------------------
# Labels

label_lines = st.sampled_from(
    [
        "（此件公开发布）",
        "(此件删减后公开)",
        "【此件依申请公开】",
        "此件不公开。",
        "此件公开发布",
        "（ 此件依申请公开 ）",
        "[此件不公开]",
    ]
)
CANON_OF = {
    re.sub(r"[\s（）()【】\[\]。]", "", label): re.sub(r"[\s（）()【】\[\]。]", "", label)
    for label in ("此件公开发布", "此件删减后公开", "此件依申请公开", "此件不公开")
}
no_bracket_prose = st.text(st.one_of(HAN, st.sampled_from(list("，、；。 "))), min_size=1, max_size=40).filter(
    lambda s: re.search(r"[\u4e00-\u9fa5]", s)
)


@FAST
@given(st.lists(no_bracket_prose, max_size=8), label_lines, st.data())
def test_label_line_among_prose_is_found(paragraphs, label, data):
    at = data.draw(st.integers(0, len(paragraphs)))
    lines = paragraphs[:at] + [label] + paragraphs[at:]
    expected = re.sub(r"[\s（）()【】\[\]。]", "", label)
    assert expected in find_labels(lines)
    html = "<html><body>" + "".join(f"<p>{esc(line)}</p>" for line in lines) + "</body></html>"
    assert expected in read_page(html.encode(), PAGE_URL, reference_date=REFERENCE).labels


@FAST
@given(
    no_bracket_prose,
    st.sampled_from(
        ["依申请公开", "不公开", "此件不公开", "此件依申请公开", "（此件不公开）", "删减后公开", "公开发布"]
    ),
    no_bracket_prose,
)
@example("可以", "依申请公开", "获取。")
def test_label_words_inside_prose_are_not_labels(before, words, after):
    assume(re.search(r"[\u4e00-\u9fa5]", after.strip(" 。")))
    line = f"{before}{words}{after}"
    assert find_labels([line]) == []
    assert find_labels(["正文第一段。", line, "特此通知。"]) == []


# ---------------------------------------------------------------------------------------------
# Attachments

EXTENSIONS = ["xlsx", "xls", "csv", "docx", "doc", "pdf", "txt", "wps", "et", "html", ""]
CONTENT_TYPES = [
    None,
    "application/pdf",
    "text/csv",
    "text/plain",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/octet-stream",
]
MAGIC = [
    b"",
    b"PK\x03\x04",
    b"%PDF-1.4\n",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"<html>",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(MAGIC), st.binary(max_size=2000), st.sampled_from(EXTENSIONS), st.sampled_from(CONTENT_TYPES))
def test_attachment_text_never_raises(magic, body, extension, content_type):
    url = f"http://www.xx.gov.cn/uploads/file.{extension}" if extension else "http://x/downfile.jsp?id=1"
    result = attachment_text(magic + body, url, content_type)
    assert result is None or isinstance(result, str)


CELL = (
    st.text(
        st.one_of(HAN, st.characters(min_codepoint=0x21, max_codepoint=0x7E), st.just(" ")), min_size=1, max_size=20
    )
    .map(lambda s: re.sub(r"\s+", " ", s).strip())
    .filter(lambda s: s and not s.startswith(("=", "-", "+", "@")))
)
grid = st.lists(st.lists(CELL, min_size=1, max_size=4), min_size=1, max_size=5)


def _present(rows, text):
    assert text is not None
    for row in rows:
        assert "\t".join(row) in text.splitlines(), (row, text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grid)
def test_xlsx_cell_text_comes_out(rows):
    import openpyxl

    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    _present(rows, attachment_text(out.getvalue(), "http://x/a.xlsx", None))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grid, st.lists(CELL, max_size=3))
def test_docx_table_and_paragraph_text_comes_out(rows, paragraphs):
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            table.cell(r, c).text = cell
    out = io.BytesIO()
    document.save(out)
    text = attachment_text(out.getvalue(), "http://x/a.docx", None)
    _present(rows, text)
    for paragraph in paragraphs:
        assert paragraph in text.splitlines()


@settings(max_examples=100, deadline=None)
@given(grid, st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
def test_csv_cell_text_comes_out(rows, codec):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    body = out.getvalue().encode(codec)
    if codec == "gb18030" and not body.isascii():
        # Bytes that are valid UTF-8 too have two honest readings (丶 is D8 BC, UTF-8 for ؼ); a real
        # GBK file longer than a few characters is never valid UTF-8, so only those are asserted.
        try:
            body.decode("utf-8")
            assume(False)
        except UnicodeDecodeError:
            pass
    _present(rows, attachment_text(body, "http://x/a.csv", "text/csv"))


# ---------------------------------------------------------------------------------------------
# canonical_url

url_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
query_pair = st.tuples(
    st.one_of(
        st.sampled_from(["page", "id", "utm_source", "UTM_Medium", "spm", "a b", "q"]),
        st.text("abcdefgh_", min_size=1, max_size=6).map(lambda s: "utm_" + s),
        url_text,
    ),
    url_text,
)


@st.composite
def urls(draw) -> str:
    scheme = draw(st.sampled_from(["http", "HTTPS", "https", "Http", "ftp", ""]))
    host = draw(
        st.sampled_from(
            ["www.xx.gov.cn", "WWW.XX.GOV.CN", "例子.中国", "[::1]", "127.0.0.1", "", "user@Host", "u:p@x.cn"]
        )
    )
    port = draw(st.sampled_from(["", ":80", ":443", ":8080", ":0"]))
    path = draw(
        st.sampled_from(["", "/", "/A/B.html", "/Zwgk/Index.HTML", "/a;jsessionid=ABC123", "/列表/通知.html"])
    ) + draw(st.sampled_from(["", "/x%20y", "/.%2e/", "//"]))
    pairs = draw(st.lists(query_pair, max_size=4))
    query = "&".join(f"{k}={v}" for k, v in pairs)
    fragment = draw(st.sampled_from(["", "#top", "#", "#a?utm_source=x"]))
    prefix = f"{scheme}://" if scheme else draw(st.sampled_from(["//", ""]))
    return f"{prefix}{host}{port}{path}" + (f"?{query}" if query or draw(st.booleans()) else "") + fragment


@settings(max_examples=300, deadline=None)
@given(st.one_of(urls(), url_text))
@example("http://www.xx.gov.cn?page= #top")  # was "...?page= " once and "...?page=" twice
@example(" http://[::1 #x")
@example("http:////x%20y")  # was "http://x%20y" once (path became host) and "http://x%20y/" twice
@example("http://:80/A/B.html")  # was "http:///A/B.html" once and "http://a/B.html" twice
@example("//:80?utm_source=")  # a port without a host: kept as written, but its utm_source was kept too
def test_canonical_url_is_idempotent_and_drops_fragments_and_tracking(url):
    once = canonical_url(url)
    assert canonical_url(once) == once
    assert "#" not in once
    query = once.split("?", 1)[1] if "?" in once else ""  # urlsplit raises on some malformed hosts
    keys = [key for key, _ in parse_qsl(query, keep_blank_values=True)]
    assert not any(re.fullmatch(r"utm_\w+", key, re.I) for key in keys), once


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["/A/B.html", "/Zwgk/Index.HTML", "/列表/通知.html", "/CamelCase/", "/a/B/c.Shtml"]),
    st.sampled_from(["http://WWW.XX.GOV.CN", "https://www.xx.gov.cn:443", "http://x.cn:8080"]),
)
def test_canonical_url_keeps_path_case(path, origin):
    # Chinese characters are percent-encoded (one spelling per URL); the case of the path is kept.
    assert unquote(urlsplit(canonical_url(origin + path)).path) == path


@settings(max_examples=150, deadline=None)
@given(st.text(st.one_of(HAN, st.sampled_from(list("abcXYZ09-._~ "))), min_size=1, max_size=12))
def test_every_spelling_of_a_path_is_one_url(name):
    """Raw, percent-encoded (lower- or upper-case escapes) and over-encoded spellings are one URL."""
    raw = f"http://x.gov.cn/xxgk/{name}/index.html"
    encoded = f"http://x.gov.cn/xxgk/{quote(name)}/index.html"
    shouted = f"http://x.gov.cn/xxgk/{''.join(f'%{b:02x}' for b in name.encode())}/index.html"
    assert canonical_url(raw) == canonical_url(encoded) == canonical_url(shouted)


# ---------------------------------------------------------------------------------------------
# Privacy detectors and masking

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
AS_OF = date(2022, 9, 30)


def check_char(first17: str) -> str:
    return CHECK[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


@st.composite
def valid_id(draw) -> str:
    region = draw(st.sampled_from(sorted(PROVINCE_CODES))) + f"{draw(st.integers(0, 9999)):04d}"
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=AS_OF))
    first17 = f"{region}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    return first17 + check_char(first17)


def fullwidth(text: str) -> str:
    return text.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))


surround = st.text(st.one_of(HAN, st.sampled_from(list("，。：: \n\t"))), max_size=15)


@FAST
@given(valid_id(), surround, surround, st.sampled_from(["plain", "spaced", "hyphen", "fullwidth", "lower-x"]))
def test_valid_ids_are_found_and_masked(number, before, after, style):
    written = {
        "plain": number,
        "spaced": f"{number[:6]} {number[6:14]} {number[14:]}",
        "hyphen": f"{number[:6]}-{number[6:14]}-{number[14:]}",
        "fullwidth": fullwidth(number),
        "lower-x": number.lower(),
    }[style]
    text = f"{before}{written}{after}"
    found = list(id_numbers(text, AS_OF))
    assert [(m.start, m.end) for m in found] == [(len(before), len(before) + len(written))]
    assert found[0].masked == f"{number[:6]}********{number[14:]}"
    masked = mask_personal(text)
    assert number not in masked and written not in masked and number.lower() not in masked
    assert found[0].masked in masked


@FAST
@given(valid_id(), st.integers(1, 10), surround, surround)
def test_wrong_checksum_is_never_an_id(number, shift, before, after):
    wrong = number[:17] + CHECK[(CHECK.index(number[17]) + shift) % 11]
    assert wrong != number
    text = f"{before}{wrong}{after}"
    assert list(id_numbers(text, AS_OF)) == []
    assert wrong in mask_personal(text)


@FAST
@given(st.text(st.one_of(st.sampled_from(list("0123456789X -")), HAN), max_size=60), st.data())
def test_masked_text_never_contains_a_detectable_number(text, data):
    """Whatever the detectors find, masking removes; masking twice changes nothing more."""
    if data.draw(st.booleans()):
        at = data.draw(st.integers(0, len(text)))
        text = text[:at] + data.draw(valid_id()) + text[at:]
    masked = mask_personal(text)
    assert list(id_numbers(masked, date.today())) == []
    assert list(mobiles(masked)) == []
    for match in id_numbers(text, date.today()):
        assert text[match.start : match.end] not in masked
    assert mask_personal(masked) == masked


@FAST
@given(st.sampled_from(["13", "15", "18", "19"]), st.integers(0, 999_999_999), surround, surround)
def test_mobiles_are_masked(prefix, rest, before, after):
    number = f"{prefix}{rest:09d}"
    text = f"{before}{number}{after}"
    masked = mask_personal(text)
    assert number not in masked
    assert f"{number[:3]}****{number[7:]}" in masked
