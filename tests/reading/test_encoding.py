"""Decoding: declarations are verified against the bytes."""

from crawler.reading import read_page
from crawler.reading.encoding import decode_body

TEXT = "马关县人民政府关于做好防汛工作的通知"


def page(meta: str = "") -> str:
    return f"<html><head>{meta}<title>{TEXT}</title></head><body><p>{TEXT}</p></body></html>"


def test_gbk_bytes_with_gb2312_declaration_decode_as_gb18030():
    text, codec = decode_body(page('<meta charset="gb2312">').encode("gbk"))
    assert codec == "gb18030" and TEXT in text


def test_gbk_bytes_without_declaration_are_detected():
    text, codec = decode_body(page().encode("gbk"))
    assert codec == "gb18030" and TEXT in text


def test_declared_gb2312_but_really_utf8():
    text, codec = decode_body(page('<meta charset="gb2312">').encode("utf-8"))
    assert codec == "utf-8" and TEXT in text


def test_declared_utf8_but_really_gbk():
    body = page('<meta http-equiv="Content-Type" content="text/html; charset=utf-8">').encode("gbk")
    text, codec = decode_body(body)
    assert codec == "gb18030" and TEXT in text


def test_http_header_charset_is_used_when_it_fits():
    text, codec = decode_body(page().encode("gbk"), content_type="text/html; charset=GBK")
    assert codec == "gb18030" and TEXT in text


def test_lying_latin1_header_does_not_win_over_gbk_bytes():
    text, _ = decode_body(page().encode("gbk"), content_type="text/html; charset=ISO-8859-1")
    assert TEXT in text


def test_utf8_bom_is_stripped():
    text, codec = decode_body(b"\xef\xbb\xbf" + page().encode("utf-8"))
    assert codec == "utf-8" and text.startswith("<html>")


def test_title_of_gbk_fixture_reads_correctly(read):
    reading = read("detail_table_gb2312.html", "http://www.maguan.gov.cn/zwgk/202208/t20220815_1.html")
    assert reading.encoding == "gb18030"
    assert reading.title == "马关县人民政府办公室关于印发马关县防汛抗旱应急预案的通知"


def test_read_page_reports_codec():
    assert read_page(page().encode("utf-8"), "http://x.gov.cn/").encoding == "utf-8"
