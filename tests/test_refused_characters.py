"""Characters no document format accepts, through the real path (issue 27, items 3 and 16): a served
portal whose problem pages — an ID-number list and a 此件不公开 document — carry every Unicode
noncharacter (U+FDD0–U+FDEF, the last two code points of all 17 planes), every C0 and C1 control, raw
and as character references, and a right-to-left override in a page title, audited with every
format; then written again by `govaudit report`. Every file is written and parses (strict XML for
the parts of docx/xlsx), the findings are there, and no output holds one of those characters. The
page readers take the same input without raising, and the cleaning itself removes exactly what it
should of all 1,114,112 code points."""

import csv
import json
import sqlite3
import zipfile

import lxml.html
import pytest
from docx import Document
from lxml import etree
from openpyxl import load_workbook
from portal_kit import audit_pages, doc_page, govaudit, page
from pypdf import PdfReader
from stored_views import readable
from test_bulletin import _chromium

from crawler.reading.characters import printable, xml_safe
from crawler.reading.dom import parse_html
from crawler.reading.page import parse_page

ID = "532625198503122010"
MASKED = "532625********2010"
NONCHARACTERS = [*range(0xFDD0, 0xFDF0), *(plane << 16 | low for plane in range(17) for low in (0xFFFE, 0xFFFF))]
CONTROLS = [c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)] + list(range(0x7F, 0xA0))
BIDI = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
SURROGATES = range(0xD800, 0xE000)
REFUSED = {chr(c) for c in (*NONCHARACTERS, *CONTROLS, *SURROGATES)}
NEVER_SHOWN = REFUSED | {chr(c) for c in BIDI}
# Raw in the page (a NUL in the first 4 KB would make the page read as binary, so it comes later),
# and as character references, which the parsers turn into the characters themselves.
RAW = "".join(chr(c) for c in (*NONCHARACTERS, *CONTROLS) if c)
REFERENCES = "".join(f"&#x{c:X};" for c in (*NONCHARACTERS, *CONTROLS, 0xD800, 0xDFFF))
LATE_NUL = "<p>" + "公示说明。" * 400 + "\x00</p>"
# A page title that would read backwards after U+202E, and reorder the rest of its line.
LIST_TITLE = "低保\u202e单名象对\u202c公示"
ROWS = "".join(f"<tr><td>{n}</td><td>杨德明{RAW}</td><td>{ID}</td><td>南山村{REFERENCES}</td></tr>" for n in (1, 2))
PORTAL = {
    "/index.html": page(
        "首页" + RAW,
        '<a href="/xxgk/">信息公开</a>'
        '<ul><li><a href="/xxgk/1.html">低保公示</a><span>2022-10-10</span></li>'
        '<li><a href="/xxgk/2.html">关于某事的通知</a><span>2022-10-09</span></li></ul>'
        # A broken link whose query, once decoded to mask the number, holds them again.
        f'<a href="/cx.html?sfz={ID}&amp;x=%EF%BF%BE%00%01%C2%85%E2%80%AE%EF%B7%90">查询{RAW}</a>',
    ),
    "/xxgk/": page(
        "信息公开",
        f'<ul class="list"><li><a href="/xxgk/1.html">低保公示{RAW}</a><span>2022-10-10</span></li>'
        f'<li><a href="/xxgk/2.html">关于某事的通知{REFERENCES}</a><span>2022-10-09</span></li></ul>',
    ),
    "/xxgk/1.html": page(
        LIST_TITLE + RAW,
        f"<h1>{LIST_TITLE}</h1><p>{RAW}{REFERENCES}</p>"
        f"<table><tr><th>序号</th><th>户主姓名</th><th>身份证号码</th><th>所在村</th></tr>{ROWS}</table>"
        f"<embed>{REFERENCES}<p>附{REFERENCES}</p></embed>{LATE_NUL}",
    ),
    "/xxgk/2.html": doc_page(
        "关于某事的通知" + RAW,
        doc_number="测政发〔2022〕1号",
        body=f"<p>各乡（镇）人民政府{RAW}：现将有关事项通知如下{REFERENCES}。</p>{LATE_NUL}",
        label_line="（此件不公开）",
    ),
}
FORMATS = "html,json,xlsx,csv,docx,pdf"


def _shown_refused(text: str) -> list[str]:
    return sorted(f"U+{ord(c):04X}" for c in set(text) & NEVER_SHOWN)


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    _chromium()
    work = tmp_path_factory.mktemp("refused")
    result = audit_pages(work, PORTAL, "--format", FORMATS)
    rewritten = govaudit("report", "1", "--db", result.db_url, "--out", str(work / "again"), "--format", FORMATS)
    return result, rewritten, work / "again"


def _check_outputs(out) -> str:
    """Every output parses; returns all their text for the character checks."""
    texts = []
    findings = json.loads((out / "findings.json").read_text("utf-8"))
    texts.append(json.dumps(findings, ensure_ascii=False))
    for name in [
        "bulletin.html",
        "technical.html",
        *(f"evidence/{p.name}" for p in sorted((out / "evidence").glob("*.html"))),
    ]:
        html = (out / name).read_text("utf-8")
        assert lxml.html.document_fromstring(html).text_content().strip(), name
        texts.append(html)
    with (out / "findings.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) > 1
    texts.append("\n".join("\t".join(row) for row in rows))
    book = load_workbook(out / "findings.xlsx")
    texts.extend(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    texts.append(" ".join(paragraph.text for paragraph in Document(out / "bulletin.docx").paragraphs))
    for name in ("bulletin.docx", "findings.xlsx"):
        with zipfile.ZipFile(out / name) as archive:
            for part in archive.namelist():
                if part.endswith((".xml", ".rels")):
                    # A strict XML parser, as Word and Excel read the parts: an illegal character fails it.
                    content = archive.read(part)
                    etree.fromstring(content)
                    texts.append(content.decode("utf-8"))
    pdf = PdfReader(out / "bulletin.pdf")
    assert len(pdf.pages) >= 2
    texts.append("".join(page.extract_text() for page in pdf.pages))
    return "\n".join(texts)


def test_audit_with_every_format_writes_every_file_and_the_findings(audited):
    result, _, _ = audited
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    # (The home page is flagged too: its broken link carries the number in its query.)
    assert "/xxgk/1.html" in result.paths("privacy.id_number")
    assert result.paths("label.not_public") == {"/xxgk/2.html"}
    assert any(f"sfz={MASKED}" in f["url"] for f in result.findings if f["rule"] == "link.broken")
    assert len(list((result.out_dir / "evidence").glob("page-*.html"))) >= 2


def test_no_output_holds_a_refused_or_bidi_character(audited):
    result, _, _ = audited
    text = _check_outputs(result.out_dir)
    assert _shown_refused(text) == []
    # The title is shown, only without its override: it cannot reorder the bulletin line or csv cell.
    assert "低保单名象对公示" in text.replace("\n", "")
    assert ID not in text and MASKED in text


def test_report_writes_the_stored_run_again(audited):
    result, rewritten, again = audited
    assert rewritten.returncode == 0, rewritten.stderr
    assert "Traceback" not in rewritten.stderr
    assert _shown_refused(_check_outputs(again)) == []
    assert json.loads((again / "findings.json").read_text("utf-8")) == result.findings


def test_the_run_stored_the_pages_it_read(audited):
    result, _, _ = audited
    with readable(sqlite3.connect(result.db_url.removeprefix("sqlite:///"))) as conn:
        assert conn.execute("select status from audit_run").fetchone()[0] == "done"
        titles = {row[0] for row in conn.execute("select title from page_read where title is not null")}
    assert any(title.startswith("关于某事的通知") for title in titles)


def test_readers_take_every_character_raw_and_as_references():
    body = PORTAL["/xxgk/1.html"].encode("utf-8", "surrogatepass") + "\ud800".encode("utf-8", "surrogatepass")
    parsed = parse_page(
        body,
        "http://127.0.0.1/xxgk/1.html",
        content_type="text/html",
        encoding=None,
        reference=__import__("datetime").date(2022, 10, 15),
    )
    assert parsed.root is not None
    text = "\n".join(parsed.lines)
    assert ID in text and "附" in text and "公示说明" in text
    assert not set(parsed.raw_text) & REFUSED
    # The embed's content is moved (lxml refuses a reference's character back: it raised before).
    root = parse_html(f"<html><body><p>甲{REFERENCES}</p><embed>乙{REFERENCES}<p>丙</p></embed>丁</body></html>")
    assert [word in root.text_content() for word in "甲乙丙丁"] == [True] * 4


def test_cleaning_removes_exactly_the_refused_characters_of_all_code_points():
    everything = "".join(map(chr, range(0x110000)))
    kept = set(xml_safe(everything))
    assert set(everything) - kept == REFUSED
    assert set(everything) - set(printable(everything)) == NEVER_SHOWN
    # Traps: what documents take stays — tab, line breaks, U+FFFD, the zero-width space, a CJK
    # extension B character, an emoji, the private use area, the characters next to the refused ones.
    for keep in (
        "\t",
        "\n",
        "\r",
        " ",
        "\ufffd",
        "\u200b",
        "\U00020000",
        "\U0001f600",
        "\ue000",
        "\ufdcf",
        "\ufdf0",
        "\ufffd",
        "\U0001fffd",
        "\U00100000",
        "\u00a0",
        "\u2065",
        "\u206a",
        "\u2029",
    ):
        assert printable(f"a{keep}b") == f"a{keep}b", hex(ord(keep))


def test_a_right_to_left_override_in_a_title_reaches_no_distributed_output(tmp_path):
    """Item 16 alone (no refused character on the page): U+202E in a page title would show the rest of
    the title backwards — and reorder the line around it — in the bulletin, the csv and the docx."""
    result = audit_pages(
        tmp_path,
        {
            "/index.html": page("首页", '<ul><li><a href="/1.html">低保公示</a><span>2022-10-10</span></li></ul>'),
            "/1.html": page(
                LIST_TITLE,
                f"<h1>{LIST_TITLE}</h1><table><tr><th>序号</th><th>户主姓名</th>"
                f"<th>身份证号码</th><th>所在村</th></tr>{ROWS.replace(RAW, '').replace(REFERENCES, '')}</table>",
            ),
        },
        "--format",
        "html,json,csv,docx",
    )
    assert result.returncode == 0, result.stderr
    assert result.paths("privacy.id_number") == {"/1.html"}
    out = result.out_dir
    with (out / "findings.csv").open(encoding="utf-8-sig", newline="") as handle:
        shown = {
            "bulletin.html": (out / "bulletin.html").read_text("utf-8"),
            "findings.csv": handle.read(),
            "bulletin.docx": "\n".join(
                cell.text
                for table in Document(out / "bulletin.docx").tables
                for row in table.rows
                for cell in row.cells
            ),
        }
    for name, text in shown.items():
        assert "低保单名象对公示" in text, name
        assert _shown_refused(text) == [], name
