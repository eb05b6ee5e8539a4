"""The bundled sample portal, served on 127.0.0.1 and audited through the real CLI, gives exactly
the findings its README documents — and none of its traps fire."""

import json
import sqlite3

import pytest
from portal_kit import audit_folder, govaudit
from stored_views import readable

from audit.cli.demo.server import SAMPLE_PORTAL

EXPECTED = {
    ("column.stale", "/xxgk/gfxwj/index.html", "gfxwj"),
    ("column.empty", "/xxgk/ggqsy/index.html", "ggqsy"),
    ("column.missing", "/", "xzxk"),
    ("label.missing", "/xxgk/gfxwj/202201/t20220118_1038.html", "gfxwj"),
    ("label.conflict", "/xxgk/gfxwj/202112/t20211220_1039.html", "gfxwj"),
    ("label.not_public", "/xxgk/gfxwj/202111/t20211115_1040.html", "gfxwj"),
    ("label.not_public", "/xxgk/gfxwj/202109/t20210901_1042.html", "gfxwj"),
    ("label.missing", "/xxgk/jbml/jgzn/202206/t20220630_1046.html", "jbml"),
    ("label.missing", "/xxgk/bmxxgk/nyncj/202209/t20220905_1056.html", None),
    ("normative.metadata_missing", "/xxgk/gfxwj/202104/t20210416_1045.html", "gfxwj"),
    ("normative.no_download", "/xxgk/gfxwj/202107/t20210712_1043.html", "gfxwj"),
    ("interpretation.missing", "/xxgk/gfxwj/202202/t20220225_1037.html", "gfxwj"),
    ("interpretation.unlinked", "/xxgk/zcjd/202112/t20211221_1073.html", None),
    ("text.wrong_expression", "/zwdt/zwyw/202209/t20220922_1006.html", None),
    ("catalog.blank_node", "/xxgk/jbml/ghjh/index.html", "jbml"),
    ("entity.sector_missing", "/xxgk/ggqsy/index.html", "ggqsy"),
    ("page.meta_missing", "/zwdt/tzgg/202209/t20220913_1013.html", None),
    ("privacy.id_number", "/xxgk/gsgg/202209/t20220930_1101.html", None),
    ("privacy.phone", "/xxgk/gsgg/202209/t20220930_1101.html", None),
    ("privacy.id_number", "/xxgk/gsgg/files/wfgz_2022.xlsx", None),
    ("privacy.phone", "/xxgk/gsgg/files/wfgz_2022.xlsx", None),
}


@pytest.fixture(scope="module")
def sample_audit(tmp_path_factory):
    return audit_folder(SAMPLE_PORTAL, tmp_path_factory.mktemp("sample"))


def test_exact_findings(sample_audit):
    assert sample_audit.returncode == 0, sample_audit.stderr
    got = {(f["rule"], f["url"][len(sample_audit.base_url) - 1 :], f["column"]) for f in sample_audit.findings}
    assert got == EXPECTED


def test_findings_contract(sample_audit):
    for finding in sample_audit.findings:
        assert finding["url"].startswith(sample_audit.base_url)
        assert finding["severity"] in {"单项否决", "扣分", "提示"}
        assert finding["message"] and finding["evidence"]


def test_everything_is_stored(sample_audit):
    with readable(sqlite3.connect(sample_audit.db_url.removeprefix("sqlite:///"))) as db:
        (status,) = db.execute("select status from audit_run").fetchone()
        pages = db.execute("select count(*) from page where status = 200").fetchone()[0]
        items = db.execute("select count(*) from list_item where main_list").fetchone()[0]
        links = db.execute("select count(*) from link").fetchone()[0]
        lqhm_pages = db.execute(
            "select count(distinct url) from column_page where \"column\"='lqhm' and role in ('index','paging')"
        ).fetchone()[0]
        stored = db.execute("select count(*) from finding").fetchone()[0]
    assert status == "done"
    assert pages >= 90 and items >= 60 and links > 1000
    assert lqhm_pages == 3  # index.html, index_1.html, index_2.html followed through 下一页
    assert stored == len(EXPECTED)


def test_summary_and_outputs(sample_audit):
    assert "检查完成" in sample_audit.stdout
    assert "利企惠民政策专区（lqhm）" in sample_audit.stdout and "最新 2022-09-20" in sample_audit.stdout
    # The terminal names each column's click path, and 行政许可事项清单 as found too deep (never 未找到).
    assert "（首页 › 政府信息公开 › 基本目录）" in sample_audit.stdout and "未找到" not in sample_audit.stdout
    deep = "位于第4层（首页 › 政务服务 › 办事指南 › 其他服务 › 行政许可事项清单），超过3次点击可达的要求"
    assert f"行政许可事项清单专栏（xzxk）：{deep}，按未设置计" in sample_audit.stdout
    html = (sample_audit.out_dir / "bulletin.html").read_text("utf-8")
    assert "关于2022年第三季度政府网站监测情况的通报" in html
    # The column table is in the technical file beside the 通报.
    assert f"{deep}，按未设置计" in (sample_audit.out_dir / "technical.html").read_text("utf-8")
    assert json.loads((sample_audit.out_dir / "findings.json").read_text("utf-8")) == sample_audit.findings


def test_demo_command(tmp_path):
    done = govaudit("demo", "--out", str(tmp_path / "report"), "--quiet", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    findings = json.loads((tmp_path / "report" / "findings.json").read_text("utf-8"))
    assert {(f["rule"], f["column"]) for f in findings} == {(rule, column) for rule, _, column in EXPECTED}
    assert (tmp_path / "report" / "bulletin.html").stat().st_size > 2000
    assert "bulletin.html" in done.stdout


def test_one_column_ad_hoc(tmp_path):
    result = audit_folder(SAMPLE_PORTAL, tmp_path, "--column", "gfxwj")
    assert result.returncode == 0
    got = {(f["rule"], f["url"][len(result.base_url) - 1 :]) for f in result.findings}
    assert got == {(rule, path) for rule, path, column in EXPECTED if column == "gfxwj"}
