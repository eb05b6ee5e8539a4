"""One account, one unit, one county: a platform written 头条号 one quarter and 今日头条 the next is
the same account (its problem stays 未整改 and counts towards 约谈); a register's 马关县教育体育局
is the configured 县教育体育局; and in a database of two counties a register belongs to one."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "rule_cases"))

from portal_kit import govaudit, write_portal  # noqa: E402
from registers_kit import HOTLINE_CSV, MEDIA_CSV, SMALL_PORTAL, import_register, register_section  # noqa: E402

from audit.cli.demo.server import serve_portal  # noqa: E402


def _audit(url: str, as_of: str, out: Path, db_url: str) -> list[dict]:
    done = govaudit("audit", url, "--as-of", as_of, "--out", str(out), "--db", db_url, "--quiet")
    assert done.returncode == 0, done.stderr
    return json.loads((out / "findings.json").read_text("utf-8"))


def test_an_account_keeps_its_history_when_its_platform_is_spelled_otherwise(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'audit.sqlite'}"
    assert import_register("media", MEDIA_CSV, db_url, quarter="2022Q3").returncode == 0
    renamed = tmp_path / "media-q4.csv"
    renamed.write_text(
        MEDIA_CSV.read_text("utf-8").replace(",头条号,", ",今日头条,").replace(",微博,", ",新浪微博,"), encoding="utf-8"
    )
    assert import_register("media", renamed, db_url, quarter="2022Q4").returncode == 0
    with serve_portal(write_portal(tmp_path / "site", SMALL_PORTAL)) as portal:
        _audit(portal.base_url, "2022-10-15", tmp_path / "q3", db_url)
        _audit(portal.base_url, "2023-01-15", tmp_path / "q4", db_url)
    lines = govaudit("diff", "1", "2", "--db", db_url).stdout.splitlines()
    stale = [line for line in lines if "media.stale" in line and "八寨镇发布" in line]
    assert stale and all("[未整改]" in line for line in stale)
    assert not any("[新增]" in line and "八寨镇发布" in line for line in lines)
    assert not any("[未检查]" in line and "media." in line for line in lines)


def test_a_register_unit_with_the_county_name_is_the_configured_unit(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'audit.sqlite'}"
    tickets = tmp_path / "tickets.csv"
    tickets.write_text(HOTLINE_CSV.read_text("utf-8").replace("县住房", "马关县住房"), encoding="utf-8")
    imported = import_register("hotline", tickets, db_url)
    assert imported.returncode == 0, imported.stderr
    assert "单位名称按配置统一：马关县住房和城乡建设局→县住房和城乡建设局" in imported.stdout
    assert "县教育体育局→" not in imported.stdout  # already the configured name
    with serve_portal(write_portal(tmp_path / "site", SMALL_PORTAL)) as portal:
        findings = _audit(portal.base_url, "2022-10-15", tmp_path / "out", db_url)
    [overdue] = [f for f in findings if f["rule"] == "hotline.overdue"]
    assert overdue["units"] == ["县住房和城乡建设局"]  # as the configuration (and every other section) names it
    html = (tmp_path / "out" / "bulletin.html").read_text("utf-8")
    assert "马关县住房和城乡建设局" not in html and "县住房和城乡建设局" in html
    # Next quarter the unit's tickets were all on time: its problem is 已整改, not 未检查.
    on_time = tmp_path / "tickets-q4.csv"
    on_time.write_text(
        "工单编号,受理时间,承办单位,办理时限,办结时间\nQ4001,2022-11-01,马关县住房和城乡建设局,2022-11-08,2022-11-07\n",
        encoding="utf-8",
    )
    assert import_register("hotline", on_time, db_url, quarter="2022Q4").returncode == 0
    with serve_portal(write_portal(tmp_path / "site", SMALL_PORTAL)) as portal:
        _audit(portal.base_url, "2023-01-15", tmp_path / "q4", db_url)
    lines = govaudit("diff", "1", "2", "--db", db_url).stdout.splitlines()
    assert any("[已整改]" in line and "hotline.overdue" in line for line in lines)
    assert not any("[未检查]" in line and "hotline.overdue" in line for line in lines)


def test_a_register_belongs_to_one_county_of_several(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'audit.sqlite'}"
    with serve_portal(write_portal(tmp_path / "site", SMALL_PORTAL)) as portal:
        county_a = portal.base_url
        county_b = county_a.replace("127.0.0.1", "localhost")
        _audit(county_a, "2022-10-15", tmp_path / "a", db_url)
        _audit(county_b, "2022-10-15", tmp_path / "b", db_url)
    ambiguous = govaudit("hotline", "import", str(HOTLINE_CSV), "--db", db_url)
    assert ambiguous.returncode == 2 and "Traceback" not in ambiguous.stderr
    assert "数据库中有2个网站" in ambiguous.stderr and "--site" in ambiguous.stderr
    unknown = govaudit("hotline", "import", str(HOTLINE_CSV), "--site", "http://example.org/", "--db", db_url)
    assert unknown.returncode == 2 and "数据库中没有网站 http://example.org/" in unknown.stderr
    with sqlite3.connect(tmp_path / "audit.sqlite") as conn:
        assert conn.execute("select count(*) from register_import").fetchone() == (0,)
    done = govaudit("hotline", "import", str(HOTLINE_CSV), "--site", county_a, "--db", db_url)
    assert done.returncode == 0, done.stderr
    assert "已对第1次检查重新判定登记表规则：发现问题1个" in done.stdout and "第2次" not in done.stdout
    for run, expected in (("1", "县住房和城乡建设局"), ("2", "本季度未导入、未检查")):
        out = tmp_path / f"report-{run}"
        assert govaudit("report", run, "--out", str(out), "--db", db_url).returncode == 0
        html = (out / "technical.html").read_text("utf-8")
        assert expected in register_section(html, "12345政务服务便民热线")
