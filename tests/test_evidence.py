"""The kept copy of each problem page and its thumbnail, through the real path: a hostile portal served
on 127.0.0.1 and audited by the CLI with --screenshots, bulletin.html opened in headless Chromium, the
annex's link to a kept copy followed and that copy opened in Chromium too — it shows the page's text
with the ID number masked, nothing of the page's script, frames or handlers survives, its CSP forbids
everything, and opening it fetches nothing from the live site."""

import base64
import json
import os
import re
import sqlite3
import struct
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from openpyxl import load_workbook
from portal_kit import audit_server, govaudit, page, write_portal
from test_bulletin import _chromium, _headless

from audit.cli.demo.server import PortalResponse, serve_portal
from reports.data import ReportRow
from reports.evidence import LEFT_OUT, sanitise
from reports.screenshots import screenshot, with_thumbnails

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _id_number(first17: str) -> str:
    """A resident ID number with a valid check character."""
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, _WEIGHTS)) % 11]


PERSON = _id_number("53262519850312201")
HUGE_PERSON = _id_number("53262519900101301")
MARKER = "马白镇南山村委会低保新增对象公示名单"
HOSTILE = (
    '<link rel="stylesheet" href="/beacon/css"><style>@import url(/beacon/import); body{background:url(/beacon/bg)}</style>'
    "<script>document.title='pwned';fetch('/beacon/script')</script>"
    '<img src="/beacon/img" onerror="document.title=\'pwned\'">'
    '<iframe src="/beacon/frame"></iframe><object data="/beacon/object"></object>'
    '<svg onload="document.title=\'pwned\'"><image href="/beacon/svg"/></svg>'
    "<a href=\"javascript:document.title='pwned'\">点我</a>"
    '<form action="/beacon/form"><input name="q" value="x"></form>'
    "<div onmouseover=\"document.title='pwned'\">移入</div>"
)
ROW = "<tr><td>{n}</td><td>杨德明</td><td>男</td><td>{id}</td><td>马白镇南山村委会</td><td>3</td></tr>"
TABLE = (
    "<table><tr><th>序号</th><th>户主姓名</th><th>性别</th><th>身份证号码</th><th>所在村（社区）</th>"
    "<th>保障人数</th></tr>{rows}</table>"
)
PORTAL = {
    "/index.html": page(
        "首页",
        '<a href="/xxgk/gsgg/">公示公告</a>'
        '<ul><li><a href="/xxgk/gsgg/1.html">低保公示</a><span>2022-10-10</span></li>'
        '<li><a href="/xxgk/gsgg/2.html">危房改造公示</a><span>2022-10-09</span></li></ul>',
    ),
    "/xxgk/gsgg/": page(
        "公示公告", '<ul class="list"><li><a href="/xxgk/gsgg/1.html">低保公示</a><span>2022-10-10</span></li></ul>'
    ),
    # (The reader loses what follows an <embed>: it stands last here.)
    "/xxgk/gsgg/1.html": page(
        "低保公示",
        f"{HOSTILE}<h1>{MARKER}</h1><p>经审核，下列家庭符合条件，现予公示。</p>"
        + TABLE.format(rows=ROW.format(n=1, id=PERSON))
        + '<embed src="/beacon/embed">',
    ),
    # A huge page: 3,000 unclosed <font>, 40,000 paragraphs with handlers, then the table.
    "/xxgk/gsgg/2.html": page(
        "危房改造公示",
        "<font>" * 3000
        + "<p onclick=\"document.title='pwned'\">危房改造补助对象公示说明文字。</p>" * 40000
        + TABLE.format(rows=ROW.format(n=1, id=HUGE_PERSON)),
    ),
}


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    _chromium()
    work = tmp_path_factory.mktemp("evidence")
    hits: list[str] = []

    def beacon(request):
        hits.append(request.path)
        return PortalResponse(status=404)

    with serve_portal(write_portal(work / "site", PORTAL)) as portal:
        for name in ("css", "import", "bg", "script", "img", "frame", "object", "embed", "svg", "form"):
            portal.add_route("GET", f"/beacon/{name}", beacon)
        started = time.monotonic()
        result = audit_server(portal, work, "--screenshots", "--format", "html,json,xlsx,csv")
        seconds = time.monotonic() - started
        assert result.returncode == 0, result.stderr
        during_crawl = list(hits)
        # The portal keeps running while the outputs are opened: a copy that fetched would be seen here.
        yield result, hits, during_crawl, seconds, work


def _dom(chromium: str, path: Path, profile: Path) -> lxml.html.HtmlElement:
    dumped = _headless(chromium, profile, "--dump-dom", path.as_uri())
    assert dumped.returncode == 0, dumped.stderr
    return lxml.html.document_fromstring(dumped.stdout)


def _annex_row(dom, path: str):
    return next(
        row
        for row in dom.xpath("//table[@class='findings']/tbody/tr")
        if path in row.xpath("./td[5]")[0].text_content()
    )


def test_the_annex_links_each_problem_to_its_kept_copy_which_opens_offline_masked_and_inert(audited, tmp_path):
    result, hits, during_crawl, _, _ = audited
    chromium = _chromium()
    bulletin = result.out_dir / "technical.html"
    row = _annex_row(_dom(chromium, bulletin, tmp_path / "p1"), "/xxgk/gsgg/1.html")
    assert "身份证" in row.text_content()
    [link] = row.xpath(".//a[text()='页面副本']")
    copy = bulletin.parent / unquote(link.get("href"))
    assert re.fullmatch(r"evidence/page-[0-9a-f]{12}\.html", link.get("href")) and copy.is_file()

    dom = _dom(chromium, copy, tmp_path / "p2")
    text = dom.text_content()
    assert MARKER in text and "经审核，下列家庭符合条件" in text
    # The row that held the ID number is left out whole: the number, and the name and village beside it.
    assert PERSON not in text and f"{PERSON[:6]}********{PERSON[14:]}" not in text and LEFT_OUT in text
    assert "杨德明" not in text and text.count("南山村") == text.count(MARKER) and "户主姓名" in text
    assert "原网址" in text and f"{result.base_url}xxgk/gsgg/1.html" in text and "抓取时间" in text
    assert "本副本为检查时保存的页面（个人信息已打码）" in text
    assert dom.findtext(".//title") != "pwned" and "pwned" not in lxml.html.tostring(dom, encoding="unicode")
    assert not dom.xpath(
        "//script | //iframe | //object | //embed | //img | //svg | //form | //input | //link"
        " | //base | //meta[@http-equiv='refresh']"
    )
    assert not [
        name
        for element in dom.iter()
        if isinstance(element.tag, str)
        for name in element.attrib
        if name.startswith("on")
    ]
    [csp] = dom.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert "default-src 'none'" in csp
    # Links stay, made absolute to the original site and inert (javascript: loses its target).
    hrefs = [a.get("href") for a in dom.xpath("//main//a") if a.get("href")]
    assert hrefs and all(urlsplit(href).scheme in ("http", "https") for href in hrefs)
    assert f"{result.base_url}index.html" in hrefs or result.base_url in hrefs
    # The crawl checked some of those targets; opening the bulletin and the copy fetched none of them.
    assert hits == during_crawl

    raw = copy.read_text("utf-8")
    assert "<script" not in raw.lower() and PERSON not in raw


def test_every_export_names_the_copy(audited):
    result, *_ = audited
    with_copy = [f for f in result.findings if f["url"].endswith("/xxgk/gsgg/1.html")]
    assert with_copy and all(f["kept_copy"] and (result.out_dir / f["kept_copy"]).is_file() for f in with_copy)
    sheet = load_workbook(result.out_dir / "findings.xlsx")["问题清单"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("页面副本")
    cells = [row[column] for row in sheet.iter_rows(min_row=2) if row[column].value]
    assert cells and all(
        cell.hyperlink.target == cell.value and (result.out_dir / cell.value).is_file() for cell in cells
    )
    csv_text = (result.out_dir / "findings.csv").read_text("utf-8-sig")
    assert "页面副本" in csv_text.splitlines()[0] and with_copy[0]["kept_copy"] in csv_text
    assert PERSON not in (result.out_dir / "findings.json").read_text("utf-8")


def test_a_broken_link_is_kept_with_the_page_that_links_to_it(audited):
    result, *_ = audited
    [page] = {f["kept_copy"] for f in result.findings if f["url"].endswith("/xxgk/gsgg/1.html")}
    broken = [f for f in result.findings if f["rule"] == "link.broken" and "/beacon/" in f["url"]]
    assert broken and {f["kept_copy"] for f in broken} == {page}
    banner = lxml.html.parse(str(result.out_dir / page)).xpath("//header")[0].text_content()
    assert "不可用链接" in banner and "身份证" in banner


def test_screenshots_put_a_thumbnail_of_each_problem_page_in_the_annex(audited, tmp_path):
    result, *_ = audited
    dom = _dom(_chromium(), result.out_dir / "technical.html", tmp_path / "p3")
    rows = dom.xpath("//table[@class='findings']/tbody/tr")
    with_copy = [row for row in rows if row.xpath(".//a[text()='页面副本']")]
    assert with_copy
    for row in with_copy:
        [image] = row.xpath(".//img[@class='thumb']")
        png = base64.b64decode(image.get("src").removeprefix("data:image/png;base64,"))
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        width, height = struct.unpack(">II", png[16:24])
        assert (width, height) == (512, 384)
    assert not [row for row in rows if row.xpath(".//img") and not row.xpath(".//a[text()='页面副本']")]


def test_a_huge_hostile_page_is_kept_bounded_and_inert(audited):
    result, _, _, seconds, _ = audited
    [finding] = [f for f in result.findings if f["rule"] == "privacy.id_number" and f["url"].endswith("/2.html")]
    copy = (result.out_dir / finding["kept_copy"]).read_text("utf-8")
    assert PERSON not in copy and HUGE_PERSON not in copy and f"{HUGE_PERSON[:6]}********{HUGE_PERSON[14:]}" not in copy
    assert LEFT_OUT in copy and "杨德明" not in copy
    assert "onclick" not in copy and "pwned" not in copy and copy.count("危房改造补助对象公示说明文字") == 40000
    assert seconds < 240


def test_report_of_a_stored_run_writes_the_copies_again(audited, tmp_path):
    result, *_ = audited
    findings = json.loads((result.out_dir / "findings.json").read_text("utf-8"))
    run_id = sqlite_run_id(result.db_url)
    done = govaudit("report", str(run_id), "--db", result.db_url, "--out", str(tmp_path / "again"))
    assert done.returncode == 0, done.stderr
    again = json.loads((tmp_path / "again" / "findings.json").read_text("utf-8"))
    assert [f["kept_copy"] for f in again] == [f["kept_copy"] for f in findings]
    assert all((tmp_path / "again" / f["kept_copy"]).is_file() for f in again if f["kept_copy"])


def sqlite_run_id(db_url: str) -> int:
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as conn:
        return conn.execute("select max(id) from audit_run").fetchone()[0]


def test_a_failing_browser_leaves_rows_without_thumbnail_and_one_line(audited, tmp_path):
    result, _, _, _, work = audited
    broken = tmp_path / "chromium"
    broken.write_text("#!/bin/sh\nexit 1\n")
    broken.chmod(0o755)
    run_id = sqlite_run_id(result.db_url)
    done = govaudit(
        "report",
        str(run_id),
        "--db",
        result.db_url,
        "--out",
        str(tmp_path / "out"),
        "--screenshots",
        env={**os.environ, "GOVAUDIT_CHROMIUM": str(broken)},
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert len([line for line in done.stderr.splitlines() if "截图" in line]) == 1
    html = (tmp_path / "out" / "technical.html").read_text("utf-8")
    assert "页面副本" in html and 'class="thumb"' not in html


def test_a_hanging_browser_is_killed_at_the_page_bound(tmp_path):
    """A browser that never finishes (and starts a helper process) is stopped at the bound, helper and all."""
    pid_file = tmp_path / "helper.pid"
    hanging = tmp_path / "chromium"
    hanging.write_text(f"#!/bin/sh\nsleep 300 &\necho $! > {pid_file}\nsleep 300\n")
    hanging.chmod(0o755)
    page_file = tmp_path / "page.html"
    page_file.write_text("<p>x</p>")
    started = time.monotonic()
    assert screenshot(str(hanging), page_file, 1.5) is None
    assert time.monotonic() - started < 10
    helper = int(pid_file.read_text())
    time.sleep(0.2)
    assert not Path(f"/proc/{helper}").exists() or "Z" in Path(f"/proc/{helper}/stat").read_text().split()[2]


def test_the_total_bound_stops_rendering_with_one_line(tmp_path, capsys, monkeypatch):
    hanging = tmp_path / "chromium"
    hanging.write_text("#!/bin/sh\nsleep 300\n")
    hanging.chmod(0o755)
    monkeypatch.setenv("GOVAUDIT_CHROMIUM", str(hanging))
    (tmp_path / "evidence").mkdir()
    rows = []
    for n in range(4):
        (tmp_path / "evidence" / f"page-00000000000{n}.html").write_text("<p>x</p>")
        rows.append(
            ReportRow(
                number=n + 1,
                units=("单位",),
                unit_source="",
                column_name="",
                url=f"http://x/{n}",
                problem="",
                message="",
                evidence="",
                indicator="",
                severity="扣分",
                state="新增",
                first_seen="",
                rule="",
                clause="",
                kept_copy=f"evidence/page-00000000000{n}.html",
            )
        )

    @dataclass(frozen=True)
    class Rows:
        rows: tuple

    started = time.monotonic()
    data = with_thumbnails(Rows(tuple(rows)), tmp_path, page_seconds=1, total_seconds=2.5)
    assert time.monotonic() - started < 10
    assert not any(row.thumbnail for row in data.rows)
    lines = [line for line in capsys.readouterr().err.splitlines() if line]
    assert len(lines) == 2 and "总时限" in lines[0] and "截图失败" in lines[1]


def test_a_number_split_by_tags_is_masked_by_keeping_the_text_only():
    html = f"<p>户主 {PERSON[:4]}<b>{PERSON[4:10]}</b>{PERSON[10:]} 马白镇</p><a href='/f?sfz={PERSON}'>附件</a>"
    body, text = sanitise(html, "http://x.gov.cn/a/")
    assert body == "" and PERSON not in text and text == LEFT_OUT and "马白镇" not in text
    body, text = sanitise(f"<p>户主 {PERSON}</p><a href='/f?sfz={PERSON}' onclick='x()'>附件</a>", "http://x.gov.cn/a/")
    assert text == "" and PERSON not in body and "onclick" not in body and f"<p>{LEFT_OUT}</p>" in body
    assert f'href="http://x.gov.cn/f?sfz={PERSON[:6]}********{PERSON[14:]}"' in body
