"""Detail pages: metadata in table / ul-li / dl layouts, title, 文号, publish date, labels."""

from datetime import date

import pytest

from crawler.reading import read_page
from crawler.reading.labels import find_labels, label_from_field, label_in_line

DETAIL_URL = "http://www.maguan.gov.cn/zwgk/202208/t20220815_123456.html"


def test_table_metadata(read):
    r = read("detail_table_gb2312.html", DETAIL_URL)
    assert r.index_number == "11532625015278462X/2022-00123"
    assert r.topic == "城乡建设、环境保护"
    assert r.publisher == "马关县人民政府办公室"
    assert r.written_date == date(2022, 8, 10)
    assert r.publish_date.value == date(2022, 8, 15) and r.publish_date.source == "meta"
    assert r.validity == "有效"
    assert r.title == "马关县人民政府办公室关于印发马关县防汛抗旱应急预案的通知"


def test_doc_number_is_the_pages_own_not_one_cited_in_body(read):
    r = read("detail_table_gb2312.html", DETAIL_URL)
    assert r.doc_number == "马政办发〔2022〕122号"


def test_detail_page_has_no_list_items_despite_related_links(read):
    r = read("detail_table_gb2312.html", DETAIL_URL)
    assert r.list_items == [] and r.next_pages == [] and not r.empty_notice


def test_ul_metadata_hidden_and_commented_fields_are_absent(read):
    r = read("detail_ul.html", DETAIL_URL)
    assert r.index_number == "01525963-3/2022-0901001"
    assert r.publisher == "文山州医疗保障局"
    assert r.doc_number == "无"
    assert r.written_date is None  # hidden empty slot
    assert r.validity is None  # only inside an HTML comment
    assert r.publish_date.value == date(2022, 9, 1) and r.publish_date.source == "meta"
    assert r.title == "关于2022年城乡居民医疗保险缴费的公告"  # ArticleTitle


def test_dl_metadata(read):
    r = read("detail_dl.html", DETAIL_URL)
    assert (r.index_number, r.publisher, r.doc_number) == ("015264/2021-00077", "砚山县人民政府", "砚政通〔2021〕7号")
    assert r.written_date == date(2021, 3, 5)
    assert r.publish_date.value == date(2021, 3, 8)
    assert r.validity == "现行有效"
    assert r.title == "砚山县人民政府关于划定禁养区的通告"  # <title> without " - 砚山县人民政府"


def test_bracket_paragraph_metadata():
    html = """<html><head><meta charset="utf-8"></head><body><h1>关于做好工作的通知</h1>
    <p>【文&ensp;&ensp;号】 晋医保发〔2021〕14号<br>【成文日期】 2021-07-28<br>【是否有效】 全文有效<br></p>
    <div id="zoom"><p>按照《通知》（医保发〔2020〕32号）要求，现就有关工作通知如下。</p></div></body></html>"""
    r = read_page(html.encode(), DETAIL_URL)
    assert r.doc_number == "晋医保发〔2021〕14号"
    assert r.written_date == date(2021, 7, 28)
    assert r.validity == "全文有效"
    assert r.index_number is None


def test_publish_date_falls_back_to_body_line_then_url():
    body = (
        "<html><body><h1>某某通知标题</h1><p>发布时间：2022-08-16 10:30 来源：县政府办</p><p>正文。</p></body></html>"
    )
    r = read_page(body.encode(), DETAIL_URL)
    assert (r.publish_date.value, r.publish_date.source) == (date(2022, 8, 16), "body")
    r = read_page(b"<html><body><h1>\xe9\x80\x9a\xe7\x9f\xa5</h1><p>x</p></body></html>", DETAIL_URL)
    assert (r.publish_date.value, r.publish_date.source) == (date(2022, 8, 15), "url")


@pytest.mark.parametrize("bracket", ["〔2022〕", "[2022]", "(2022)", "［2022］"])
def test_doc_number_from_title_when_no_metadata(bracket):
    html = f"<html><head><title>马关县人民政府办公室关于…的通知（马政办发{bracket}122号）_马关县人民政府</title></head><body></body></html>"
    assert read_page(html.encode(), DETAIL_URL).doc_number == f"马政办发{bracket}122号"


def test_label_at_end_of_body_fires(read):
    assert read("detail_table_gb2312.html", DETAIL_URL).labels == ["此件公开发布"]


def test_prose_mode_field_and_redaction_note_are_not_labels(read):
    r = read("detail_ul.html", DETAIL_URL)
    assert r.labels == []
    assert r.disclosure_mode == "主动公开"


def test_label_from_disclosure_attribute_field(read):
    assert read("detail_dl.html", DETAIL_URL).labels == ["此件删减后公开"]


@pytest.mark.parametrize(
    "line, label",
    [
        ("（此件公开发布）", "此件公开发布"),
        ("(此件删减后公开)", "此件删减后公开"),
        ("此件依申请公开", "此件依申请公开"),
        ("【此件不公开】", "此件不公开"),
        ("特此通知。（此件公开发布）", "此件公开发布"),
        ("公民可以依申请公开获取相关信息", None),
        ("对依申请公开的政府信息，应当在20个工作日内答复", None),
        ("（本文有删减）", None),
        ("公开方式：主动公开", None),
    ],
)
def test_label_lines(line, label):
    assert label_in_line(line) == label


def test_two_labels_on_one_date_line_are_both_read():
    assert find_labels(["2022年8月21日（此件删减后公开）（此件公开发布）"]) == ["此件删减后公开", "此件公开发布"]
    assert find_labels(["马关县人民政府办公室", "2022年8月21日", "（此件公开发布）（此件公开发布）"]) == [
        "此件公开发布"
    ]
    # Cited in prose, two labels are still no label.
    assert find_labels(["公文应标注（此件公开发布）（此件不公开）等属性，并按规定办理。"]) == []


def test_labels_are_canonical_deduplicated_in_page_order():
    assert find_labels(["（此件依申请公开）", "正文", "(此件公开发布)", "此件依申请公开"]) == [
        "此件依申请公开",
        "此件公开发布",
    ]
    assert label_from_field("主动公开") is None and label_from_field("此件公开发布") == "此件公开发布"


def test_text_after_an_embed_is_read():
    # libxml2 takes <embed> for a container; the ID number after a Flash player is page text all the same.
    html = (
        '<html><body><div class="content"><p>前文</p><embed src="/v/1.swf" width="400">'
        '<p>名单：张三 532625198503122010</p><embed src="/v/2.swf"></div><p>页脚</p></body></html>'
    )
    r = read_page(html.encode(), DETAIL_URL)
    assert "532625198503122010" in r.text and "前文" in r.text
    assert [link.url for link in r.links if link.tag == "embed"] == [
        "http://www.maguan.gov.cn/v/1.swf",
        "http://www.maguan.gov.cn/v/2.swf",
    ]


@pytest.mark.parametrize(
    "info, meta, publisher, where",
    [
        (
            "<span>发布时间：2022-09-30 10:00</span> <span>来源：马关县民政局</span> <span>字号：大 中 小</span>",
            "",
            "马关县民政局",
            "来源",
        ),
        ("<span>信息来源：云溪县融媒体中心</span>", "", "云溪县融媒体中心", "来源"),
        (
            "<span>来源：新华社</span>",
            '<meta name="ContentSource" content="马关县卫生健康局">',
            "马关县卫生健康局",
            "ContentSource",
        ),
        # Traps: a newspaper, the site itself, a 资金来源 line of the body name no publisher.
        ("<span>来源：云南日报</span>", "", None, None),
        ("<span>来源：本网</span>", "", None, None),
        ("<p>资金来源：县财政局</p>", "", None, None),
    ],
)
def test_publisher_from_source_line_or_meta(info, meta, publisher, where):
    html = (
        f"<html><head>{meta}</head><body><h1>马关县2022年9月城乡居民最低生活保障新增对象公示</h1>"
        f"<div class='info'>{info}</div><p>{'根据有关规定，现予公示。' * 10}</p></body></html>"
    )
    reading = read_page(html.encode(), DETAIL_URL)
    assert (reading.publisher, reading.publisher_from) == (publisher, where)


def test_the_metadata_block_names_the_publisher_first(read):
    reading = read("detail_table_gb2312.html", DETAIL_URL)
    assert reading.publisher_from == "发布机构" and reading.publisher
