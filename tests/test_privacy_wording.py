"""A privacy fault is described, never repeated (issue 25): the 通报 and every file distributed with
it (bulletin.html/.pdf/.docx, findings.json/.xlsx/.csv) say how many ID numbers and mobiles a 公示
published and where, but never a recipient's name, village or household facts, and the 网民留言
section never names the citizen who wrote in. County 通报 are published on the portal."""

from __future__ import annotations

import html
import json
import re
import sys
import zipfile
from pathlib import Path

import lxml.html
import openpyxl
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "rule_cases"))

from portal_kit import audit_folder  # noqa: E402
from registers_kit import import_register  # noqa: E402

from audit.cli.demo.server import SAMPLE_PORTAL  # noqa: E402
from reports.evidence import LEFT_OUT  # noqa: E402
from rules.people import without_people  # noqa: E402
from rules.privacy import ID_HEADER, PHONE_HEADER, id_numbers, mobiles, rows_of  # noqa: E402

DIBAO = "/xxgk/gsgg/202209/t20220930_1101.html"
WFGZ = "/xxgk/gsgg/files/wfgz_2022.xlsx"
CITIZEN, CITIZEN_PHONE = "赵秀兰", "13912345678"
MESSAGES = (
    "留言编号,留言时间,承办单位,转办时间,答复时间,留言标题\n"
    f"ZC2022080101,2022-08-01,县人力资源和社会保障局,2022-08-02,,市民{CITIZEN}（{CITIZEN_PHONE}）反映网站招聘栏目链接打不开\n"
    "ZC2022070502,2022-07-05,县市场监督管理局,2022-07-06,2022-08-20,网站办事指南收费标准过期\n"
)
# A village cell is written 马白镇南山村委会: the village is what stands between the town and 委会.
_VILLAGE = re.compile(r"(?:.*?[镇乡])?(.+?[村社区居]+)(?:委会|民委员会)?$")


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _column(rows: list[list[str]], header: str) -> list[str]:
    """The cells under `header` in a table given as rows (the header row found among them)."""
    for at, row in enumerate(rows):
        if header in row:
            column = row.index(header)
            return [cells[column] for cells in rows[at + 1 :] if len(cells) > column and cells[column]]
    raise AssertionError(f"no column {header}")


def _people() -> tuple[list[str], list[str]]:
    """The recipients' names and villages, read from the 低保 page's table and the 危房改造 sheet."""
    page = lxml.html.fromstring((SAMPLE_PORTAL / DIBAO.lstrip("/")).read_bytes())
    rows = [[cell.text_content().strip() for cell in row.xpath("./th|./td")] for row in page.xpath("//table//tr")]
    names, villages = _column(rows, "户主姓名"), _column(rows, "所在村（社区）")
    sheet = openpyxl.load_workbook(SAMPLE_PORTAL / WFGZ.lstrip("/")).active
    rows = [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    names += _column(rows, "户主姓名")
    villages += _column(rows, "所在村委会")
    villages += [_VILLAGE.match(cell).group(1) for cell in list(villages)]
    assert len(names) == 7 and {"杨德明", "陶 英", "罗成文"} <= set(names) and "南山村" in villages
    return names, villages


def _distributed(out: Path) -> dict[str, str]:
    """The text of every file distributed with the 通报, the kept page copies in evidence/ included."""
    texts = {
        f"evidence/{copy.name}": html.unescape(copy.read_text("utf-8")) for copy in (out / "evidence").glob("*.html")
    }
    texts |= {
        "bulletin.html": html.unescape((out / "bulletin.html").read_text("utf-8")),
        "findings.csv": (out / "findings.csv").read_text("utf-8-sig"),
        "findings.json": json.dumps(json.loads((out / "findings.json").read_text("utf-8")), ensure_ascii=False),
    }
    workbook = openpyxl.load_workbook(out / "findings.xlsx")
    texts["findings.xlsx"] = "\n".join(
        str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None
    )
    with zipfile.ZipFile(out / "bulletin.docx") as docx:  # every part: body, tables, headers, footers
        texts["bulletin.docx"] = "\n".join(
            html.unescape(re.sub(r"<[^>]+>", "", docx.read(name).decode("utf-8")))
            for name in docx.namelist()
            if name.endswith(".xml")
        )
    if (out / "bulletin.pdf").exists():
        import pypdf

        texts["bulletin.pdf"] = "\n".join(page.extract_text() for page in pypdf.PdfReader(out / "bulletin.pdf").pages)
    return texts


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    work = tmp_path_factory.mktemp("privacy-wording")
    register = work / "网民留言.csv"
    register.write_text(MESSAGES, encoding="utf-8")
    done = import_register("messages", register, f"sqlite:///{work / 'audit.sqlite'}")
    assert done.returncode == 0, done.stderr
    result = audit_folder(SAMPLE_PORTAL, work, "--format", "html,json,xlsx,csv,docx,pdf")
    assert result.returncode == 0, result.stderr
    return result


def test_no_distributed_file_repeats_a_recipient_or_the_citizen(audited):
    names, villages = _people()
    texts = _distributed(audited.out_dir)
    assert set(texts) >= {"bulletin.html", "findings.csv", "findings.json", "findings.xlsx", "bulletin.docx"}
    assert sum(file.startswith("evidence/") for file in texts) >= 2
    for file, text in texts.items():
        flat = _squeezed(text)
        for personal in names + villages + [CITIZEN]:
            assert _squeezed(personal) not in flat, (file, personal)
        assert CITIZEN_PHONE not in flat, file
        # Not even masked: a masked number stands for one person on the page (the example in the
        # advice, 532625********1234 / 138****1234, is no one's).
        shown = set(re.findall(r"\d{6}\*{8}[\dX]{4}|1[3-9]\d\*{4}\d{4}", flat))
        assert shown <= {"532625********1234", "138****1234"}, (file, shown)


def test_the_kept_copy_shows_the_page_without_its_people(audited):
    """The kept copy of the 低保 page still shows the page, its table's header and how many rows it
    had; each row that held an ID number is left out, and so is each line of the 危房改造 sheet."""
    by_url = {f["url"][len(audited.base_url) - 1 :]: f for f in audited.findings}
    copy = html.unescape((audited.out_dir / by_url[DIBAO]["kept_copy"]).read_text("utf-8"))
    assert "城乡居民最低生活保障新增对象公示" in copy and "户主姓名" in copy and "公示期间如有异议" in copy
    assert copy.count(LEFT_OUT) == 4
    sheet = html.unescape((audited.out_dir / by_url[WFGZ]["kept_copy"]).read_text("utf-8"))
    assert "户主姓名" in sheet and sheet.count(LEFT_OUT) == 3


def test_the_privacy_findings_still_say_how_many_and_where(audited):
    by_place = {(f["rule"], f["url"][len(audited.base_url) - 1 :]): f for f in audited.findings}
    assert (
        by_place[("privacy.id_number", DIBAO)]["evidence"] == "页面含未去标识化的身份证号码4个（见于正文表格第2–5行）"
    )
    assert by_place[("privacy.phone", DIBAO)]["evidence"] == "页面含未去标识化的个人手机号码4个（见于正文表格第2–5行）"
    assert (
        by_place[("privacy.id_number", WFGZ)]["evidence"]
        == "附件含未去标识化的身份证号码3个（见于附件内容表格第2–4行）"
    )
    texts = _distributed(audited.out_dir)
    for file in ("bulletin.html", "findings.xlsx", "findings.csv", "bulletin.docx"):
        assert "页面含未去标识化的身份证号码4个（见于正文表格第2–5行）" in texts[file], file


def test_the_message_is_kept_and_its_writer_is_a_netizen(audited):
    [finding] = [f for f in audited.findings if f["rule"] == "messages.overdue" and "ZC2022080101" in f["message"]]
    assert finding["evidence"] == "网民反映网站招聘栏目链接打不开"
    bulletin = html.unescape((audited.out_dir / "bulletin.html").read_text("utf-8"))
    section = bulletin[bulletin.index('<section class="annex">') :]
    assert "ZC2022080101" in section and "网民反映网站招聘栏目链接打不开" in section


# -- the wording, on text -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "title, shown",
    [
        (f"市民{CITIZEN}（{CITIZEN_PHONE}）反映网站招聘栏目链接打不开", "网民反映网站招聘栏目链接打不开"),
        ("李女士（138****5678）来电反映路灯不亮", "网民来电反映路灯不亮"),
        ("张三反映首页打不开", "网民反映首页打不开"),
        ("来电人：王小明，电话0876-7121234，反映办事指南过期", "网民，反映办事指南过期"),
        ("网民欧阳春称首页图片新闻有错别字", "网民称首页图片新闻有错别字"),
        ("王某某反映政策文件无法下载，身份证号532625195807141014", "网民反映政策文件无法下载"),
        # Quiet: no one named, a unit, a village, a date, a message number, words led by a surname.
        ("网站办事指南收费标准过期", "网站办事指南收费标准过期"),
        ("市民反映县政府网站公告过期", "市民反映县政府网站公告过期"),
        ("王家寨村民反映道路公示未更新", "王家寨村民反映道路公示未更新"),
        ("马关县人民政府网站2022-09-30首页打不开", "马关县人民政府网站2022-09-30首页打不开"),
        ("工单ZC2022080101重复提交", "工单ZC2022080101重复提交"),
        ("张三丰收节活动页面打不开", "张三丰收节活动页面打不开"),
        ("监督电话页面打不开", "监督电话页面打不开"),
    ],
)
def test_without_people(title, shown):
    assert without_people(title) == shown


def _rows(text: str, find, header) -> str:
    from datetime import date

    matches = list(find(text, date(2022, 10, 15)) if find is id_numbers else find(text))
    return rows_of(text, matches, header, lines_are_rows="\t" in text)


@pytest.mark.parametrize(
    "text, find, header, where",
    [
        # A web page's table, read one cell a line: rows counted from the column's header.
        (
            "公示\n序号\n姓名\n身份证号码\n1\n甲\n532625195807141014\n2\n乙\n53262519670322002X",
            id_numbers,
            ID_HEADER,
            "表格第2–3行",
        ),
        (
            "序号\n姓名\n联系电话\n1\n甲\n13887601234\n2\n乙\n0876-7121234\n3\n丙\n15987602345",
            mobiles,
            PHONE_HEADER,
            "表格第2、4行",
        ),
        # A sheet, one row a line: rows counted from the header; with no header, from the first line.
        ("名单\n序号\t姓名\t身份证号码\n1\t甲\t532625195807141014\n2\t乙\t-", id_numbers, ID_HEADER, "表格第2行"),
        ("1\t甲\t532625195807141014\n2\t乙\t-\n3\t丙\t53262519670322002X", id_numbers, ID_HEADER, "第1、3行"),
        # Quiet: prose on a web page, and cells whose spacing does not meet the header, tell no row.
        ("救助对象：甲，身份证号 532625195807141014；乙，身份证号 53262519670322002X", id_numbers, ID_HEADER, ""),
        ("身份证号码\n备注\n532625195807141014\n53262519670322002X", id_numbers, ID_HEADER, ""),
    ],
)
def test_rows_of(text, find, header, where):
    assert _rows(text, find, header) == where


@pytest.mark.parametrize(
    "markup, kept, left_out",
    [
        # A row with an ID number (whole, or masked by the page itself) or a mobile loses its words.
        (
            "<table><tr><td>1</td><td>杨德明</td><td>532625195807141014</td><td>南山村</td></tr></table>",
            [],
            ["杨德明", "南山村"],
        ),
        (
            "<table><tr><td>2</td><td>陶英</td><td>5326251967****002X</td><td>新寨村</td></tr></table>",
            [],
            ["陶英", "新寨村"],
        ),
        ("<table><tr><td>3</td><td>王光荣</td><td>138****3456</td><td>4人</td></tr></table>", [], ["王光荣", "4人"]),
        # A short paragraph with one goes whole; in a long article only the text that held it.
        ("<p>救助对象：李秀珍，身份证号532625198202050826，八寨镇新寨村。</p>", [], ["李秀珍", "新寨村"]),
        (
            "<div>" + "本季度低保资金已足额发放。" * 30 + "<br>联系人李秀珍13508764567<br>" + "</div>",
            ["本季度低保资金已足额发放。"],
            ["李秀珍"],
        ),
        # Quiet: a landline, a 统一社会信用代码 and 索引号, an article id in a link, a date stay as they are.
        ("<table><tr><td>县民政局</td><td>0876-7121234</td></tr></table>", ["县民政局", "0876-7121234"], []),
        ("<p>索引号 11532625MB0000000X/2022-00001，发布机构 县民政局</p>", ["11532625MB0000000X", "县民政局"], []),
        (
            '<p><a href="/t20220815_13812345678.html">低保政策解读</a> 2022-08-15</p>',
            ["低保政策解读", "2022-08-15"],
            [],
        ),
    ],
)
def test_a_kept_copy_leaves_out_what_stands_beside_a_personal_number(markup, kept, left_out):
    from reports.evidence import sanitise

    body, text = sanitise(markup, "http://x.gov.cn/a/")
    shown = html.unescape(body + text)
    assert all(word in shown for word in kept), shown
    assert not [word for word in left_out if word in shown], shown
    assert (LEFT_OUT in shown) == bool(left_out)


def test_the_bulletin_can_state_a_page_s_fault_once(audited):
    """privacy.id_number and privacy.phone carry how many numbers the page published: the 通报 says
    it once per page (公示名单含未去标识化的身份证号码N个、手机号码M个), nothing else of the page."""
    from types import SimpleNamespace

    from rules.privacy import fault_on_page

    def findings_on(path):
        return [
            SimpleNamespace(rule=f["rule"], evidence=f["evidence"], facts={})
            for f in audited.findings
            if f["url"].endswith(path)
        ]

    stored = _stored_facts(audited)
    dibao = [SimpleNamespace(rule=f.rule, evidence=f.evidence, facts=stored[f.rule, DIBAO]) for f in findings_on(DIBAO)]
    assert fault_on_page(dibao) == "公示名单含未去标识化的身份证号码4个、手机号码4个"
    sheet = [SimpleNamespace(rule=f.rule, evidence=f.evidence, facts=stored[f.rule, WFGZ]) for f in findings_on(WFGZ)]
    assert fault_on_page(sheet) == "公示名单含未去标识化的身份证号码3个、手机号码3个"
    # Quiet: findings without the count (stored before it was kept) or of other rules say nothing.
    assert fault_on_page(findings_on(DIBAO)) == ""
    prose = SimpleNamespace(
        rule="privacy.id_number", evidence="页面含未去标识化的身份证号码1个（见于正文）", facts={"published": ("1",)}
    )
    assert fault_on_page([prose]) == "页面含未去标识化的身份证号码1个"


def _stored_facts(audited) -> dict:
    """Each privacy finding's stored facts by (rule, path), read from the run's database."""
    import sqlite3

    database = sqlite3.connect(audited.db_url.removeprefix("sqlite:///"))
    rows = database.execute("SELECT rule, url, facts FROM finding WHERE rule LIKE 'privacy.%'").fetchall()
    base = len(audited.base_url) - 1
    return {
        (rule, url[base:]): {k: tuple(v) for k, v in json.loads(facts or "{}").items()} for rule, url, facts in rows
    }
