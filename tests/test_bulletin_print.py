"""What reaches paper: the sample portal audited through the CLI with --format pdf,docx,xlsx; the PDF
printed by Chromium read back page by page with pypdf, the Word draft opened by python-docx, the
workbook by openpyxl."""

import re

import lxml.html
import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from portal_kit import audit_folder
from pypdf import PdfReader
from test_bulletin import _chromium

from audit.cli.demo.server import SAMPLE_PORTAL
from rules import registered_rules

TITLE = "关于2022年第三季度政府网站监测情况的通报"


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    _chromium()
    result = audit_folder(SAMPLE_PORTAL, tmp_path_factory.mktemp("print"), "--format", "html,json,pdf,docx,xlsx")
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def pages(printed):
    reader = PdfReader(printed.out_dir / "bulletin.pdf")
    # Whitespace dropped: pypdf spaces out the digits among CJK text and breaks lines at the cell edges.
    return [(_flat(page.extract_text()), page.mediabox.width > page.mediabox.height) for page in reader.pages]


def _annex_rows(printed):
    html = lxml.html.parse(str(printed.out_dir / "bulletin.html"))
    return html.xpath("//table[@class='findings']/tbody/tr")


def test_pdf_is_short_portrait_then_landscape_annex(pages, printed):
    assert len(printed.findings) == 21
    # 21 problems: the letter, the 问题清单 and the technical annex in at most 10 A4 pages.
    assert len(pages) <= 10
    landscape = [wide for _, wide in pages]
    first_annex = next(
        i for i, (text, _) in enumerate(pages) if "附件1" in text and "问题清单" in text and landscape[i]
    )
    assert not any(landscape[:first_annex]) and all(landscape[first_annex:])


def test_every_page_numbered_with_running_header_and_no_browser_stamps(pages):
    for number, (text, _) in enumerate(pages, 1):
        assert f"—{number}—" in text
        assert "file:" not in text and "bulletin.html" not in text
        if number > 1:
            assert text.startswith(TITLE)


def test_no_annex_row_is_cut_across_pages(pages, printed):
    rows = _annex_rows(printed)
    assert len(rows) == 21
    flat_pages = [text for text, _ in pages]
    for row in rows:
        cells = row.xpath("./td")
        problem = _flat(cells[3].text_content())
        head, tail = problem[:14], problem[-10:]
        # The top and the bottom of the row's tallest cell stand on the same page.
        assert any(head in page and tail in page for page in flat_pages), cells[0].text_content()


def test_official_language_on_the_letter_pages(pages):
    annex2 = next(i for i, (text, _) in enumerate(pages) if "附件2" in text and "技术说明" in text)
    letter = "".join(text for text, _ in pages[:annex2])
    ids = {spec.id for spec in registered_rules()}
    assert not [rule for rule in ids if rule in letter]
    assert "公文未标注公开属性（公文未标注公开属性" not in letter
    assert "另有0个" not in letter and "暂定" not in letter and "—：" not in letter
    assert "马关县人民政府网站" in letter  # SiteName meta, not the URL alone
    assert "检查时段为2022年7月1日至2022年10月15日" in letter
    assert "不适用" in letter
    # 行政许可事项清单 is linked four clicks deep: found too deep, in (一) as in the finding, with its click path.
    assert "位于第4层（首页›政务服务›办事指南›其他服务›行政许可事项清单），超过3次点击可达的要求，按未设置计" in letter
    technical = "".join(text for text, _ in pages[annex2:])
    assert "label.missing" in technical and "暂定" in technical


def test_docx_is_an_official_document_draft(printed):
    doc = Document(printed.out_dir / "bulletin.docx")
    title = next(p for p in doc.paragraphs if p.text == TITLE)
    run = title.runs[0]
    assert run.font.size.pt == 22 and run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = next(p for p in doc.paragraphs if p.text.startswith("根据《国务院办公厅"))
    assert body.runs[0].font.size.pt == 16 and body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert doc.sections[0].orientation != WD_ORIENT.LANDSCAPE
    assert doc.sections[1].orientation == WD_ORIENT.LANDSCAPE
    annex = next(t for t in doc.tables if t.rows[0].cells[0].text == "序号" and t.rows[0].cells[-1].text == "整改状态")
    assert len(annex.rows) == 22
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "公文未标注公开属性（公文未标注公开属性" not in text
    assert any(p.text == "（发文机关未配置）" for p in doc.paragraphs)  # no county configured: none invented


def test_xlsx_prints_landscape_with_links_and_deadlines(printed):
    from openpyxl import load_workbook

    book = load_workbook(printed.out_dir / "findings.xlsx")
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape" and setup.fitToWidth == 1 and setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows == "$1:$1"
    sheet = book["问题清单"]
    header = [cell.value for cell in sheet[1]]
    assert {"整改期限", "抓取时间", "页面标题"} <= set(header)
    rows = list(sheet.iter_rows(min_row=2))
    url = header.index("页面地址")
    assert all(row[url].hyperlink is not None and row[url].hyperlink.target == row[url].value for row in rows)
    deadlines = {row[header.index("性质")].value: row[header.index("整改期限")].value for row in rows}
    # As of Saturday 2022-10-15: 5 working days → 2022-10-21, 10 → 2022-10-28, 20 → 2022-11-11.
    assert deadlines == {"单项否决": "2022-10-21", "扣分": "2022-10-28", "提示": "2022-11-11"}


def test_show_prints_a_finding_with_its_evidence(printed):
    from portal_kit import govaudit

    finding = next(f for f in printed.findings if f["rule"] == "label.not_public")
    done = govaudit("show", finding["fingerprint"][:8], "--db", printed.db_url)
    assert done.returncode == 0, done.stderr
    lines = dict(
        line.split("：", 1) for line in done.stdout.splitlines() if "：" in line and not line.startswith("所属栏目")
    )
    assert lines["指纹"] == finding["fingerprint"] and lines["整改期限"] == finding["deadline"] == "2022-10-21"
    assert finding["title"] and finding["title"] in lines["页面"]
    assert lines["抓取时间"] == finding["fetched_at"].replace("T", " ")[:16]
    assert "label.not_public" in lines["规则"] and lines["责任单位"] == "县政府办公室（发文单位）"
    unknown = govaudit("show", "abcdef12", "--db", printed.db_url)
    assert unknown.returncode == 2 and len(unknown.stderr.strip().splitlines()) == 1
