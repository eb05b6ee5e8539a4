"""Crawled text that tries to leak or to act through the outputs: an ID number in a link's file name,
in its query string (also percent-encoded) and in 发布机构, zero-width characters inside a number, a
control character (&#8;) and terminal escapes (colour, OSC 8 hyperlink) in 发布机构. Every output —
bulletin text and attributes, findings.json, xlsx cells and sheet names, csv, the audit's summary,
`diff` and `history` — shows the numbers masked and none of the control characters."""

import csv
import json
import re

import pytest
from openpyxl import load_workbook
from portal_kit import doc_page, govaudit, page, serve_portal, write_portal

ID = "532625198503122010"
MASKED = "532625********2010"
MOBILE = "13812345678"
ESCAPES = "&#8;&#27;[31m红&#27;]8;;http://evil.example/&#27;\\点我&#27;]8;;&#27;\\"
PUBLISHER = f"测试县农业农村局{ESCAPES} 经办人{ID}"
# What may never appear in an output: the number in any spelling, and any control character.
SPELLINGS = (ID, "5326\u200b25198503122010", "5326%E2%80%8B25198503122010", MOBILE)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _portal(root):
    detail = doc_page(
        "关于公布补贴名单的通知",
        doc_number="测农发〔2022〕3号",
        body=f"<p>名单：李四，身份证 5326&#8203;25198503122010，电话 {MOBILE}</p>",
    )
    detail = detail.replace("<td>测试县人民政府办公室</td>", f"<td>{PUBLISHER}</td>")
    return write_portal(
        root,
        {
            "/index.html": page(
                "首页",
                '<a href="/xxgk/gfxwj/">规范性文件</a><a href="/bm/">部门文件</a>'
                f'<a href="/files/{ID}.pdf">附件一</a>'
                f'<a href="/cx.html?sfz={ID}&amp;tel={MOBILE}">查询</a>'
                f'<a href="/cx2.html?name=%E6%9D%8E%E5%9B%9B{ID}">查询二</a>'
                '<ul><li><a href="/d/1.html">新闻</a><span>2022-10-10</span></li></ul>',
            ),
            "/d/1.html": page("新闻", "<p>内容</p>"),
            "/xxgk/gfxwj/": page(
                "规范性文件",
                '<ul class="list">'
                '<li><a href="/xxgk/gfxwj/1001.html">关于印发某某办法的通知</a><span>2022-09-01</span></li>'
                "</ul>",
            ),
            "/xxgk/gfxwj/1001.html": doc_page("关于印发某某办法的通知", doc_number="测政规〔2022〕9号"),
            "/bm/": page(
                "部门文件",
                '<ul class="list"><li><a href="/bm/2001.html">关于公布补贴名单的通知</a>'
                "<span>2022-09-01</span></li></ul>",
            ),
            "/bm/2001.html": detail,
        },
    )


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    work = tmp_path_factory.mktemp("hostile")
    db = f"sqlite:///{work / 'a.sqlite'}"
    runs = []
    with serve_portal(_portal(work / "site")) as portal:
        for as_of, out in (("2022-10-15", "out1"), ("2023-01-15", "out2")):
            runs.append(
                govaudit(
                    "audit",
                    portal.base_url,
                    "--as-of",
                    as_of,
                    "--out",
                    str(work / out),
                    "--db",
                    db,
                    "--quiet",
                    "--format",
                    "html,json,xlsx,csv",
                )
            )
    return {
        "work": work,
        "runs": runs,
        "out": work / "out2",
        "diff": govaudit("diff", "1", "2", "--db", db),
        "history": govaudit("history", "--db", db),
    }


def _assert_clean(text: str, where: str) -> None:
    for spelling in SPELLINGS:
        assert spelling not in text, f"{spelling!r} shown in {where}"
    assert not _CONTROL.search(text), f"control character in {where}: {_CONTROL.search(text).group()!r}"


def test_every_run_finishes_and_the_findings_name_the_hostile_places(hostile):
    for run in hostile["runs"]:
        assert run.returncode == 0, run.stderr
        assert "Traceback" not in run.stderr
    findings = json.loads((hostile["out"] / "findings.json").read_text("utf-8"))
    urls = {f["url"] for f in findings}
    # The broken links are reported (masked), and the leak on the detail page names its publisher.
    assert any(f"/files/{MASKED}.pdf" in url for url in urls)
    assert any(f"sfz={MASKED}" in url for url in urls)
    leaks = {f["url"].split("/", 3)[3]: f for f in findings if f["rule"] == "privacy.id_number"}
    assert any("测试县农业农村局" in unit for unit in leaks["bm/2001.html"]["units"])
    # The home page links to a file named by the number and passes it in a query (issue 27 item 10).
    assert "见于链接网址" in leaks[""]["evidence"]


def test_findings_json_every_field(hostile):
    text = (hostile["out"] / "findings.json").read_text("utf-8")
    _assert_clean(json.dumps(json.loads(text), ensure_ascii=False), "findings.json")
    assert MASKED in text


def test_bulletin_text_and_attributes(hostile):
    html = (hostile["out"] / "bulletin.html").read_text("utf-8")
    _assert_clean(html, "bulletin.html")
    technical = (hostile["out"] / "technical.html").read_text("utf-8")
    _assert_clean(technical, "technical.html")
    # The distributed body names pages by title; the links (masked) are in the office's technical file.
    hrefs = re.findall(r'href="([^"]*)"', technical)
    assert any(MASKED in href for href in hrefs)
    assert not any(ID in href for href in re.findall(r'href="([^"]*)"', html))
    for text in (html, technical):
        assert "&#27;" not in text and "&#8;" not in text


def test_xlsx_cells_and_sheet_names(hostile):
    book = load_workbook(hostile["out"] / "findings.xlsx")
    for sheet in book.worksheets:
        _assert_clean(sheet.title, "a sheet name")
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    _assert_clean(value, f"sheet {sheet.title}")
    assert any(sheet.title.startswith("测试县农业农村局") for sheet in book.worksheets)


def test_csv(hostile):
    with (hostile["out"] / "findings.csv").open(encoding="utf-8-sig", newline="") as handle:
        _assert_clean("\n".join("\t".join(row) for row in csv.reader(handle)), "findings.csv")


def test_terminal_audit_diff_history(hostile):
    for name, done in (("audit", hostile["runs"][1]), ("diff", hostile["diff"]), ("history", hostile["history"])):
        assert done.returncode == 0, done.stderr
        _assert_clean(done.stdout + done.stderr, f"govaudit {name}")
        assert "\x1b" not in done.stdout
    assert "测试县农业农村局" in hostile["diff"].stdout and MASKED in hostile["diff"].stdout
