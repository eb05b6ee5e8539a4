"""crawler.crawl.attachments: the text of real small attachments, chosen by content and name, never raising."""

import io
import zipfile

import pytest
from rule_cases.portals_privacy import ID_A, docx_bytes, pdf_bytes, xlsx_bytes

from crawler.crawl import attachments
from crawler.crawl.attachments import attachment_text, named_format

ROWS = [("序号", "姓名", "身份证号码", "联系电话"), (1, "张三", ID_A, "13812345678"), (2, "李四", None, 13987654321)]
XLSX_TEXT = f"序号\t姓名\t身份证号码\t联系电话\n1\t张三\t{ID_A}\t13812345678\n2\t李四\t13987654321"


def test_xlsx_rows_become_tab_separated_lines():
    body = xlsx_bytes(ROWS)
    assert attachment_text(body, "http://x/a/mingdan.xlsx", None) == XLSX_TEXT


def test_xlsx_every_sheet_and_formula_results_as_values():
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["第一页", 1.5])
    workbook.create_sheet("第二页").append(["张三", "13812345678"])
    out = io.BytesIO()
    workbook.save(out)
    assert attachment_text(out.getvalue(), "http://x/a.xlsx", None) == "第一页\t1.5\n张三\t13812345678"


def test_xls():
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("名单")
    for r, row in enumerate(ROWS):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    out = io.BytesIO()
    workbook.save(out)
    assert attachment_text(out.getvalue(), "http://x/a/mingdan.xls", "application/vnd.ms-excel") == XLSX_TEXT


def test_docx_paragraphs_and_table_rows_in_order():
    body = docx_bytes(["危房改造对象名单", "经审核，现公示如下："], [("姓名", "电话"), ("张三", "13812345678")])
    assert (
        attachment_text(body, "http://x/a.docx", None)
        == "危房改造对象名单\n经审核，现公示如下：\n姓名\t电话\n张三\t13812345678"
    )


def test_docx_merged_cell_read_once():
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "2022年低保对象名单"
    for cell, text in zip(table.rows[1].cells, ("张三", "男", "13812345678")):
        cell.text = text
    out = io.BytesIO()
    document.save(out)
    assert attachment_text(out.getvalue(), "http://x/a.docx", None) == "2022年低保对象名单\n张三\t男\t13812345678"


def test_pdf_with_chinese_text():
    body = pdf_bytes(["关于低保对象的公示", f"1 张三 {ID_A} 13812345678"])
    assert (
        attachment_text(body, "http://x/a.pdf", "application/pdf") == f"关于低保对象的公示\n1 张三 {ID_A} 13812345678"
    )


@pytest.mark.parametrize("encoding", ["gbk", "utf-8", "utf-8-sig", "utf-16"])
def test_csv_in_gbk_or_utf(encoding):
    body = '姓名,电话\r\n张三,13812345678\r\n"李四,王五",13987654321\r\n'.encode(encoding)
    assert (
        attachment_text(body, "http://x/a.csv", "text/csv") == "姓名\t电话\n张三\t13812345678\n李四,王五\t13987654321"
    )


def test_txt_in_gbk():
    body = "名单\r\n张三 13812345678\r\n".encode("gbk")
    assert attachment_text(body, "http://x/a.txt", None) == "名单\n张三 13812345678"


def test_format_from_a_download_script_name_or_the_bytes():
    body = xlsx_bytes(ROWS)
    assert (
        attachment_text(body, "http://x/downfile.jsp?filename=%E5%90%8D%E5%8D%95.xlsx", "application/octet-stream")
        == XLSX_TEXT
    )
    # A workbook saved under a Word name, or with no name at all, is still read by its bytes.
    assert attachment_text(body, "http://x/a.doc", None) == XLSX_TEXT
    assert attachment_text(body, "http://x/download?id=7", None) == XLSX_TEXT
    assert attachment_text(pdf_bytes(["正文"]), "http://x/a.xls", "application/vnd.ms-excel") == "正文"


def test_named_format():
    assert named_format("http://x/a/B.XLSX") == "xlsx"
    assert named_format("http://x/downfile.jsp?path=/u/1&filename=%E5%90%8D%E5%8D%95.pdf") == "pdf"
    assert named_format("http://x/getfile?id=3", "application/pdf; charset=binary") == "pdf"
    assert named_format("http://x/getfile?id=3", "application/octet-stream") is None


def test_an_html_table_saved_as_xls():
    body = "<html><body><table><tr><td>张三</td><td>13812345678</td></tr></table></body></html>".encode("gbk")
    assert attachment_text(body, "http://x/a.xls", None) == "张三\n13812345678"
    # Not under a spreadsheet or Word name: an HTML page is not an attachment.
    assert attachment_text(body, "http://x/a.txt", None) is None


@pytest.mark.parametrize(
    "body, url",
    [
        (b"", "http://x/a.xlsx"),
        (xlsx_bytes(ROWS)[:500], "http://x/a.xlsx"),  # truncated download
        (b"%PDF-1.4\n garbage", "http://x/a.pdf"),
        (b"PK\x03\x04 not a zip at all", "http://x/a.docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "http://x/a.xls"),  # broken OLE2 workbook
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "http://x/a.doc"),  # legacy Word: not read
        (b"\x89PNG\r\n\x1a\n\x00\x00", "http://x/a.png"),
        (b"\x00\x01\x02binary", "http://x/a.txt"),
        (b"plain words", "http://x/unknown"),
    ],
)
def test_unreadable_gives_none(body, url):
    assert attachment_text(body, url, None) is None


def test_a_zip_with_neither_workbook_nor_document():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("content.xml", "<x/>")
    assert attachment_text(out.getvalue(), "http://x/a.ofd", None) is None


def test_bounded(monkeypatch):
    monkeypatch.setattr(attachments, "MAX_TEXT_CHARS", 40)
    text = attachment_text(xlsx_bytes([("张三", f"{n:011d}") for n in range(1000)]), "http://x/a.xlsx", None)
    assert text is not None and len(text) <= 40
    csv_text = attachment_text(("张三,13812345678\n" * 1000).encode(), "http://x/a.csv", None)
    assert csv_text is not None and len(csv_text) <= 40


def test_too_big_or_a_zip_bomb_is_not_parsed(monkeypatch):
    """Refused before parsing, as too big (crawler.crawl.budget records it as 未能读取（过大）)."""
    body = xlsx_bytes(ROWS)
    monkeypatch.setattr(attachments, "MAX_UNZIPPED_BYTES", 1000)
    with pytest.raises(attachments.TooBigToRead):
        attachment_text(body, "http://x/a.xlsx", None)
    monkeypatch.setattr(attachments, "MAX_UNZIPPED_BYTES", 10**9)
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", 1000)
    with pytest.raises(attachments.TooBigToRead):
        attachment_text(body, "http://x/a.xlsx", None)
    # Plain text is read up to the cap instead.
    assert attachment_text(b"a" * 5000, "http://x/a.txt", None) == "a" * 1000
