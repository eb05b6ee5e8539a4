"""--format html,json,xlsx,csv: the 问题清单 read back the way a clerk's Excel/WPS would see it."""

import csv
import json

import pytest
from openpyxl import load_workbook
from portal_kit import audit_pages, doc_page, govaudit, page

FORMULA_TITLE = '=HYPERLINK("http://evil.example/","点我")联系人13812345678'
PORTAL = {
    "/index.html": page(
        "首页",
        '<a href="/xxgk/gfxwj/">规范性文件</a><a href="/bm/">部门文件</a>'
        '<ul><li><a href="/d/1.html">新闻</a><span>2022-10-10</span></li></ul>',
    ),
    "/d/1.html": page("新闻", "<p>内容</p>"),
    "/xxgk/gfxwj/": page(
        "规范性文件",
        '<ul class="list">'
        '<li><a href="/xxgk/gfxwj/1001.html">关于印发某某办法的通知</a><span>2022-09-01</span></li>'
        '<li><a href="/xxgk/gfxwj/1002.html">关于印发另一办法的通知</a><span>2022-08-01</span></li>'
        "</ul>",
    ),
    "/xxgk/gfxwj/1001.html": doc_page(FORMULA_TITLE, doc_number="测政规〔2022〕9号"),
    "/xxgk/gfxwj/1002.html": doc_page("关于印发另一办法的通知", doc_number="测政规〔2022〕8号"),
    "/bm/": page(
        "部门文件",
        '<ul class="list"><li><a href="/bm/2001.html">测试县农业农村局文件</a><span>2022-09-01</span></li></ul>',
    ),
    "/bm/2001.html": doc_page("关于做好秋种工作的通知（测农发〔2022〕3号）", doc_number="测农发〔2022〕3号"),
}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    result = audit_pages(tmp_path_factory.mktemp("exports"), PORTAL, "--format", "html,json,xlsx,csv")
    assert result.returncode == 0, result.stderr
    return result


def test_all_four_files_written(exported):
    for name in ("bulletin.html", "findings.json", "findings.xlsx", "findings.csv"):
        assert (exported.out_dir / name).stat().st_size > 100
    assert "findings.xlsx" in exported.stdout and "findings.csv" in exported.stdout


def test_json_keeps_the_contract(exported):
    assert exported.findings
    for finding in exported.findings:
        assert {"rule", "url", "column", "severity", "message", "evidence"} <= set(finding)
        assert finding["state"] == "新增" and finding["units"] and len(finding["fingerprint"]) == 16


def test_xlsx_findings_sheet_and_one_sheet_per_unit(exported):
    book = load_workbook(exported.out_dir / "findings.xlsx")
    sheet = book["问题清单"]
    header = [cell.value for cell in sheet[1]]
    # What a printed page shows first (8 columns), then the fields for filtering.
    assert header[:8] == ["序号", "责任单位", "栏目", "问题描述", "性质", "整改期限", "整改状态", "页面标题"]
    assert {"归属依据", "页面地址", "问题", "首次发现", "规则", "问题指纹"} <= set(header[8:])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["J"].width == 48 and sheet.column_dimensions["B"].width == 22
    assert sheet.auto_filter.ref.startswith("A1:")
    data = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert len(data) == len(exported.findings)
    assert [row[0] for row in data] == list(range(1, len(data) + 1))
    units = {unit for row in data for unit in row[1].split("、")}
    assert set(book.sheetnames) == {"问题清单"} | units
    for unit in units:
        unit_rows = list(book[unit].iter_rows(min_row=2, values_only=True))
        assert len(unit_rows) == sum(1 for row in data if unit in row[1].split("、"))
        assert book[unit].freeze_panes == "A2"
        assert book[unit]["H1"].value == "整改情况（单位填写）"
    # A 规范性文件 goes to the unit that issued it; the department page to its 发布机构 (测试县人民政府办公室
    # is the configured 县政府办公室).
    by_url = {row[header.index("页面地址")]: row for row in data}
    source = header.index("归属依据")
    gfxwj = next(row for url, row in by_url.items() if url.endswith("/xxgk/gfxwj/1002.html"))
    assert gfxwj[1] == "县政府办公室" and gfxwj[source] == "发文单位"
    dept = next(row for url, row in by_url.items() if url.endswith("/bm/2001.html"))
    assert dept[1] == "县政府办公室" and dept[source] == "发布机构"


def test_xlsx_cells_are_text_never_formulas_and_masked(exported):
    book = load_workbook(exported.out_dir / "findings.xlsx")
    cells = [cell for row in book["问题清单"].iter_rows(min_row=2) for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    text = " ".join(str(cell.value) for cell in cells)
    assert "13812345678" not in text


def test_csv_is_utf8_with_bom_and_matches(exported):
    raw = (exported.out_dir / "findings.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][0] == "序号" and len(rows) == len(exported.findings) + 1
    assert all(not cell.startswith(("=", "+", "@")) for row in rows for cell in row)
    assert "13812345678" not in raw.decode("utf-8-sig")


def test_default_formats_are_html_and_json(tmp_path):
    result = audit_pages(tmp_path, {"/index.html": page("首页", "<p>无</p>")})
    assert (result.out_dir / "bulletin.html").exists() and (result.out_dir / "findings.json").exists()
    assert not (result.out_dir / "findings.xlsx").exists() and not (result.out_dir / "findings.csv").exists()


def test_unknown_format_exits_2(tmp_path):
    done = govaudit("audit", "http://127.0.0.1:9/", "--format", "html,odt", cwd=tmp_path)
    assert done.returncode == 2 and "unknown format" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_findings_json_written_only_when_asked(tmp_path):
    result = audit_pages(tmp_path, {"/index.html": page("首页", "<p>无</p>")}, "--format", "xlsx")
    assert result.returncode == 0
    assert (result.out_dir / "findings.xlsx").exists() and not (result.out_dir / "bulletin.html").exists()
    assert json.dumps(result.findings) == "[]"


def test_crawled_text_starting_with_equals_stays_text(exported):
    book = load_workbook(exported.out_dir / "findings.xlsx")
    starts = [
        cell
        for row in book["问题清单"].iter_rows(min_row=2)
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("=HYPERLINK")
    ]
    assert starts and all(cell.data_type == "s" for cell in starts)
    raw = (exported.out_dir / "findings.csv").read_text("utf-8-sig")
    assert "'=HYPERLINK" in raw
