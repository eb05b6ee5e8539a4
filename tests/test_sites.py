"""Many portals in one database: sites.yaml registered, every site audited by `audit-all` (each by
its own `govaudit audit` process), and the combined bulletin of the quarter — on SQLite and on
PostgreSQL, read in the real browser."""

from __future__ import annotations

import json

import pytest
from databases import BACKENDS, fresh_database
from portal_kit import govaudit, page, write_portal
from test_bulletin import _chromium, _headless

from audit.cli.demo.server import SAMPLE_PORTAL, serve_portal

SMALL = {
    "/": page("测试县人民政府", '<ul><li><a href="/n/1.html">县政府召开常务会议</a><span>2022-10-12</span></li></ul>'),
    "/n/1.html": page("县政府召开常务会议", "<h1>县政府召开常务会议</h1><p>发布日期：2022-10-12</p>"),
}


def _sites_yaml(folder, sample_url, small_url):
    path = folder / "sites.yaml"
    path.write_text(
        f"""sites:
  - {{name: 马关县人民政府, url: "{sample_url}", unit: 马关县人民政府办公室, site_id: "5326250001", level: 县级}}
  - {{name: 测试县人民政府, url: "{small_url}", unit: 测试县人民政府办公室, site_id: "5326250002", level: 县级}}
  - {{name: 停用县人民政府, url: "http://127.0.0.2:9/", unit: 停用县人民政府办公室, site_id: "5326250003"}}
""",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module", params=BACKENDS)
def prefecture(request, tmp_path_factory):
    work = tmp_path_factory.mktemp("sites")
    with (
        fresh_database(request.param, work) as db_url,
        serve_portal(SAMPLE_PORTAL) as sample,
        serve_portal(write_portal(work / "small", SMALL)) as small,
    ):
        # Sites are told apart by host (history ignores ports): the second portal is named localhost.
        small_url = small.base_url.replace("127.0.0.1", "localhost")
        added = govaudit("sites", "add", str(_sites_yaml(work, sample.base_url, small_url)), "--db", db_url)
        assert added.returncode == 0, added.stderr
        first = govaudit("audit-all", "--as-of", "2022-10-15", "--db", db_url, "--out", str(work / "runs"))
        second = govaudit("audit-all", "--as-of", "2022-10-15", "--db", db_url, "--out", str(work / "again"))
        combined = govaudit(
            "report",
            "--all",
            "--quarter",
            "2022Q3",
            "--db",
            db_url,
            "--out",
            str(work / "report"),
            "--format",
            "html,json",
        )
        listed = govaudit("sites", "list", "--db", db_url)
        yield work, first, second, combined, listed


def test_every_site_is_audited_and_an_unreachable_one_does_not_stop_the_others(prefecture):
    work, first, *_ = prefecture
    assert first.returncode == 3, first.stderr  # one site cannot be reached
    for site_id in ("5326250001", "5326250002", "5326250003"):
        assert (work / "runs" / site_id / "findings.json").exists()
    unreachable = json.loads((work / "runs" / "5326250003" / "findings.json").read_text("utf-8"))
    assert [f["rule"] for f in unreachable] == ["site.unreachable"]


def test_the_same_quarter_is_not_audited_twice(prefecture):
    work, _, second, *_ = prefecture
    assert second.stdout.count("已检查") == 2 and "跳过" in second.stdout
    # The unreachable site is tried again; the two finished ones are not.
    assert not (work / "again" / "5326250001").exists() and not (work / "again" / "5326250002").exists()


def test_sites_list_shows_the_register(prefecture):
    *_, listed = prefecture
    assert listed.returncode == 0
    assert "5326250001" in listed.stdout and "测试县人民政府（测试县人民政府办公室）" in listed.stdout


def test_per_site_findings_equal_the_single_site_audit(prefecture):
    work, *_ = prefecture
    for site_id in ("5326250001", "5326250002"):
        single = json.loads((work / "runs" / site_id / "findings.json").read_text("utf-8"))
        combined = json.loads((work / "report" / site_id / "findings.json").read_text("utf-8"))
        assert {(f["rule"], f["url"]) for f in combined} == {(f["rule"], f["url"]) for f in single}


def test_the_combined_bulletin_in_the_real_browser(prefecture, tmp_path):
    work, _, _, combined, _ = prefecture
    assert combined.returncode == 0, combined.stderr
    dumped = _headless(_chromium(), tmp_path / "profile", "--dump-dom", (work / "report" / "combined.html").as_uri())
    assert dumped.returncode == 0, dumped.stderr
    dom = dumped.stdout
    assert "关于2022年第三季度政府网站监测情况的通报" in dom and "<script" not in dom.lower()
    table = dom[dom.index("<table>") : dom.index("</table>")]
    rows = table.split("<tr>")[2:]
    # Ranked: the small clean portal first, the sample portal (veto problems) next, the dead one last.
    assert "测试县人民政府" in rows[0] and "马关县人民政府" in rows[1] and "停用县人民政府" in rows[2]
    assert "未能访问（待复测）" in rows[2]
    assert dom.count("附件") >= 3 and "马关县人民政府问题清单" in dom
