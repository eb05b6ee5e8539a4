"""What reaches paper: the sample portal and a crowded portal (~70 problems, audited for two quarters
so that units go on the 约谈 list) audited through the CLI with --format pdf,docx,xlsx; the PDF printed
by Chromium read back page by page with pypdf and looked at as images (pdftoppm), the Word draft
opened by python-docx, the workbook by openpyxl."""

import re
import shutil
from datetime import date, datetime, timedelta

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from openpyxl import load_workbook
from pdf_pages import rasterise, red_below_rule, text_lines
from portal_kit import audit_folder, govaudit
from pypdf import PdfReader
from test_bulletin import _chromium

from audit.cli.demo.server import SAMPLE_PORTAL
from crawler.vocabulary.quarters import add_working_days
from reports.pdf import print_pdf
from rules import registered_rules

# The sample portal's county settings (govaudit demo reads them): organ, 文号 form, county documents.
COUNTY_CONFIG = SAMPLE_PORTAL.parent / "county.yaml"
ORGAN = "马关县人民政府办公室"
TITLE = f"{ORGAN}关于2022年第三季度政府网站监测情况的通报"
FORMATS = ("--format", "html,json,pdf,docx,xlsx")
# The crowded portal: the sample portal plus news items with a wrong expression, each from another
# unit, and dead links on the home page.
WRONG_ITEMS = 26
DEAD_LINKS = 24
UNITS = ("县林业和草原局", "县水务局", "县审计局", "县统计局", "县医疗保障局", "县退役军人事务局")


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _item(number: int) -> str:
    unit = UNITS[number % len(UNITS)]
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{unit}2022年第{number}次工作例会召开_马关县人民政府</title>"
        f'<meta name="ContentSource" content="{unit}"></head><body>'
        f'<div class="main"><h1>{unit}2022年第{number}次工作例会召开</h1>'
        f"<p>会议要求全体干部职工再接再励，做好第{number}项重点工作。</p></div></body></html>"
    )


def _crowded_portal(root):
    shutil.copytree(SAMPLE_PORTAL, root)
    links = []
    for number in range(1, WRONG_ITEMS + 1):
        (root / "zwdt" / "gzdt").mkdir(parents=True, exist_ok=True)
        (root / "zwdt" / "gzdt" / f"t2022091{number:02d}.html").write_text(_item(number), encoding="utf-8")
        links.append(f'<li><a href="zwdt/gzdt/t2022091{number:02d}.html">工作动态{number}</a></li>')
    links += [f'<li><a href="zwdt/ycxx/gone{number}.html">往期信息{number}</a></li>' for number in range(DEAD_LINKS)]
    home = root / "index.html"
    html = home.read_text("utf-8")
    home.write_text(html.replace("</body>", f'<ul class="extra">{"".join(links)}</ul></body>'), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    _chromium()
    result = audit_folder(SAMPLE_PORTAL, tmp_path_factory.mktemp("print"), "--config", str(COUNTY_CONFIG), *FORMATS)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def crowded(tmp_path_factory):
    """Audited as of 2022-07-15 and again as of 2022-10-15 with 约谈 after one quarter open."""
    _chromium()
    work = tmp_path_factory.mktemp("crowded")
    portal = _crowded_portal(work / "portal")
    config = work / "config.yaml"
    config.write_text(
        COUNTY_CONFIG.read_text("utf-8").replace("bulletin:\n", "bulletin:\n  interview_after_quarters: 1\n"),
        encoding="utf-8",
    )
    first = audit_folder(portal, work, "--config", str(config), as_of="2022-07-15")
    assert first.returncode == 0, first.stderr
    result = audit_folder(portal, work, "--config", str(config), *FORMATS)
    assert result.returncode == 0, result.stderr
    return result


def _pages(result):
    reader = PdfReader(result.out_dir / "bulletin.pdf")
    # Whitespace dropped: pypdf spaces out the digits among CJK text and breaks lines at the cell edges.
    return [(_flat(page.extract_text()), page.mediabox.width > page.mediabox.height) for page in reader.pages]


def _body(pages) -> list[str]:
    """The pages before 附件: the 通报 a leader reads (the annex is printed landscape)."""
    return [text for text, landscape in pages[: next(i for i, (_, wide) in enumerate(pages) if wide)]]


def _signature_page(body: list[str]) -> int:
    return next(i for i, text in enumerate(body) if "附件：问题清单" in text) + 1


@pytest.mark.parametrize("portal", ["printed", "crowded"])
def test_body_is_at_most_three_pages_then_the_annex_by_unit(portal, request):
    result = request.getfixturevalue(portal)
    pages = _pages(result)
    body = _body(pages)
    print(f"{portal}: {len(result.findings)} problems, body {len(body)} pages, pdf {len(pages)} pages")
    assert len(body) <= 3
    assert all(wide for _, wide in pages[len(body) :])
    assert pages[len(body)][0].startswith(TITLE.replace("政府网站", "")[:10]) or "附件" in pages[len(body)][0]
    for number, (text, _) in enumerate(pages, 1):
        assert f"—{number}—" in text and "file:" not in text and "bulletin.html" not in text


def test_the_crowded_portal_has_about_seventy_problems_and_interviews_on_page_one_or_two(crowded):
    assert len(crowded.findings) >= 65
    body = _body(_pages(crowded))
    interview = next(i for i, text in enumerate(body, 1) if "建议约谈其主要负责人" in text)
    assert interview <= 2
    # Counted once, and the follow-up of the quarter before in a sentence.
    assert "对上次检查（2022年第二季度）发现的问题进行了复查：" in "".join(body)
    # Units beyond five are counted, not all named.
    assert re.search(r"等\d+个单位", "".join(body))


def test_no_english_markup_or_doubled_phrases_in_the_distributed_text(printed, crowded):
    ids = {spec.id for spec in registered_rules()}
    for result in (printed, crowded):
        pages = _pages(result)
        body = "".join(_body(pages))
        assert not re.search(r"[A-Za-z<>]", body), re.search(r".{20}[A-Za-z<>].{20}", body)
        annex = "".join(text for text, _ in pages[len(_body(pages)) :])
        for leaked in ("HTTP", "<head>", "SiteIDCode", "PubDate", ".xlsx", "label.", "http:"):
            assert leaked not in annex, leaked
        assert not [rule for rule in ids if rule in body + annex]
        text = body + annex
        assert "其中0" not in text and "0个" not in re.sub(r"\d0个", "", text)
        assert not re.search(r"(专栏|专区)」?栏目", text)
        assert not re.search(r"(\S{4,12})：\1", text)
        # Nobody reviewed these runs: the method says so (bulletin.review_wording.unreviewed).
        assert "人工核查相结合" not in text and "经人工核查确认" not in text
        assert "暂定" not in text and "未配置" not in text


def test_header_title_signature_and_dates(printed):
    body = _body(_pages(printed))
    first = body[0]
    issued = date.today()
    # 版头 (organ, the 文号 with its serial left blank for 签发), then the title.
    assert first.startswith(f"—1—{ORGAN}马政办通〔{issued.year}〕号{TITLE}")
    assert "《马关县2022年政务公开工作任务清单》" in first and "国办发〔2017〕47号" in first
    signature = f"附件：问题清单{ORGAN}{issued.year}年{issued.month}月{issued.day}日"
    assert signature in "".join(body)
    # A 单项否决 read from a label alone is 待核实 until a person confirms it; deadlines count from
    # the issue date in working days, not from the as-of date.
    assert "属单项否决情形，待核实" in "".join(body) and "检查结果为不合格" not in "".join(body)
    five = add_working_days(issued, 5)
    assert f"单项否决问题于5个工作日内（{five.year}年{five.month}月{five.day}日前）" in "".join(body)
    assert "首页›政府信息公开›规范性文件中《" in "".join(body)


def _signature_alone(pdf, page: int, work) -> bool:
    """The page holds nothing but its running header, number and the 附件 line with the 落款."""
    return text_lines(rasterise(pdf, page, work)) <= 5


def _red_title(pdf, work) -> bool:
    rule, red = red_below_rule(rasterise(pdf, 1, work))
    assert rule is not None, "no red 版头 line on page 1"
    return red > 0


def _print(tmp_path, name: str, body: str):
    html = tmp_path / f"{name}.html"
    html.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><style>@page{size:A4;margin:20mm}'
        "body{font-size:14pt}</style></head><body>" + body + "</body></html>",
        encoding="utf-8",
    )
    return print_pdf(html, tmp_path / f"{name}.pdf")


HEAD = (
    '<p style="color:#c00;font-size:30pt;text-align:center;margin:0">某县人民政府办公室</p>'
    '<div style="border-top:3px solid #c00;margin:4px 0 12px"></div>'
)


def test_the_image_checks_catch_a_red_title_and_a_lone_signature(tmp_path):
    _chromium()
    black = _print(tmp_path, "black", HEAD + "<h1>关于检查情况的通报</h1><p>正文。</p>")
    red = _print(tmp_path, "red", HEAD + '<h1 style="color:#b00">关于检查情况的通报</h1><p>正文。</p>')
    assert not _red_title(black, tmp_path) and _red_title(red, tmp_path)
    closing = "<p>附件：问题清单</p><p>某县人民政府办公室</p><p>2026年1月5日</p>"
    kept = _print(tmp_path, "kept", "<p>正文第一段。</p>" * 3 + closing)
    alone = _print(tmp_path, "alone", "<p>正文第一段。</p>" * 3 + f'<div style="break-before:page">{closing}</div>')
    assert not _signature_alone(kept, 1, tmp_path) and _signature_alone(alone, 2, tmp_path)


@pytest.mark.parametrize("portal", ["printed", "crowded"])
def test_pdf_pages_as_images_black_title_and_no_lone_signature(portal, request, tmp_path):
    result = request.getfixturevalue(portal)
    pdf = result.out_dir / "bulletin.pdf"
    assert not _red_title(pdf, tmp_path)
    page = _signature_page(_body(_pages(result)))
    assert not _signature_alone(pdf, page, tmp_path)


def test_technical_file_beside_the_bulletin_holds_what_the_body_left_out(printed):
    technical = (printed.out_dir / "technical.html").read_text("utf-8")
    bulletin = (printed.out_dir / "bulletin.html").read_text("utf-8")
    for detail in ("label.missing", "<svg", "全站检查项", "列表读取情况", "暂定", "评分情况", "栏目检查情况"):
        assert detail in technical and detail not in bulletin, detail
    assert all(finding["fingerprint"] in technical for finding in printed.findings)


def test_docx_is_an_official_document_draft_with_sized_columns(printed):
    doc = Document(printed.out_dir / "bulletin.docx")
    organ = doc.paragraphs[0]
    assert organ.text == ORGAN and str(organ.runs[0].font.color.rgb) == "C00000"
    title = next(p for p in doc.paragraphs if p.text == TITLE)
    run = title.runs[0]
    assert run.font.size.pt == 22 and run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert run.font.color.rgb is None  # black
    body = next(p for p in doc.paragraphs if p.text.startswith("根据《国务院办公厅"))
    assert body.runs[0].font.size.pt == 16 and body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert doc.sections[0].orientation != WD_ORIENT.LANDSCAPE
    assert doc.sections[1].orientation == WD_ORIENT.LANDSCAPE
    tables = [t for t in doc.tables if t.rows[0].cells[0].text == "序号"]
    assert sum(len(t.rows) - 1 for t in tables) >= len(printed.findings)
    for table in tables:
        widths = {cell.text: cell.width.mm for cell in table.rows[0].cells}
        assert widths["序号"] < 15 and widths["问题及证据"] > 3 * widths["序号"]
        assert widths["问题及证据"] == max(widths.values())
        assert 250 < sum(widths.values()) < 262  # the landscape page's text width
    signature = next(i for i, p in enumerate(doc.paragraphs) if p.text == "附件：问题清单")
    assert doc.paragraphs[signature].paragraph_format.keep_with_next
    assert doc.paragraphs[signature - 1].paragraph_format.keep_with_next  # the last paragraph stays with it


def test_xlsx_sheet_per_unit_sorted_with_reply_column_and_print_settings(printed):
    book = load_workbook(printed.out_dir / "findings.xlsx")
    assert book.sheetnames[0] == "问题清单" and book.sheetnames[1] == "县政府办公室"  # most severe first
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape" and setup.fitToWidth == 1 and setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows == "$1:$1"
        assert re.fullmatch(r"'?[^!]+'?!\$A\$1:\$H\$\d+", sheet.print_area)  # 8 columns on paper
        assert all(cell.alignment.wrap_text for cell in sheet[2])
    unit = book["县政府办公室"]
    header = [cell.value for cell in unit[1]]
    assert header[:8] == [
        "序号",
        "栏目",
        "问题描述",
        "页面标题",
        "性质",
        "整改期限",
        "整改状态",
        "整改情况（单位填写）",
    ]
    rows = list(unit.iter_rows(min_row=2, values_only=True))
    assert all(row[7] is None for row in rows)
    severities = [row[4].split("（")[0] for row in rows]
    order = ["单项否决", "扣分", "提示"]
    assert severities == sorted(severities, key=order.index) and severities[0] == "单项否决"
    total = sum(unit.max_row - 1 for unit in book.worksheets[1:])
    assert total >= len(printed.findings)


def test_show_prints_a_finding_with_its_evidence(printed):
    finding = next(f for f in printed.findings if f["rule"] == "label.not_public")
    done = govaudit("show", finding["fingerprint"][:8], "--db", printed.db_url)
    assert done.returncode == 0, done.stderr
    lines = dict(
        line.split("：", 1) for line in done.stdout.splitlines() if "：" in line and not line.startswith("所属栏目")
    )
    assert lines["指纹"] == finding["fingerprint"]
    assert finding["title"] and finding["title"] in lines["页面"]
    # Stored in UTC, shown in 北京时间 (to the minute, as the bulletin row keeps it).
    fetched = datetime.fromisoformat(finding["fetched_at"][:16]) + timedelta(hours=8)
    assert lines["抓取时间"] == f"{fetched:%Y-%m-%d %H:%M} 北京时间"
    assert "label.not_public" in lines["规则"] and lines["责任单位"] == "县政府办公室（发文单位）"
    unknown = govaudit("show", "abcdef12", "--db", printed.db_url)
    assert unknown.returncode == 2 and len(unknown.stderr.strip().splitlines()) == 1
