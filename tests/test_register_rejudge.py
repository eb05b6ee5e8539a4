"""A register imported after the quarter's run is judged against that run without a second crawl:
the import says so, `govaudit report` shows the register's problems, the website's findings stay as
they were, and a register not imported, or without a column a rule needs, reads 未检查."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "rule_cases"))

from portal_kit import audit_pages, govaudit  # noqa: E402
from registers_kit import HOTLINE_CSV, SMALL_PORTAL, register_section  # noqa: E402


def _report(work: Path, db_url: str, name: str) -> tuple[str, list[dict]]:
    out = work / name
    done = govaudit("report", "1", "--out", str(out), "--db", db_url)
    assert done.returncode == 0, done.stderr
    return (out / "technical.html").read_text("utf-8"), json.loads((out / "findings.json").read_text("utf-8"))


def test_a_register_imported_after_the_run_is_judged_against_it(tmp_path):
    run = audit_pages(tmp_path, SMALL_PORTAL)
    assert run.returncode == 0, run.stderr
    website = sorted(f["fingerprint"] for f in run.findings)
    assert not run.of("hotline.overdue")

    done = govaudit("hotline", "import", str(HOTLINE_CSV), "--db", run.db_url)
    assert done.returncode == 0, done.stderr
    assert "按文件中的日期归入2022年第三季度" in done.stdout
    assert "已对第1次检查重新判定登记表规则：发现问题1个" in done.stdout
    assert "配置" not in done.stdout  # judged again with the settings the run was checked with
    html, findings = _report(tmp_path, run.db_url, "after")
    hotline = register_section(html, "12345政务服务便民热线")
    assert "县住房和城乡建设局" in hotline and "超期" in hotline and "未发现问题" not in hotline
    assert "hotline-tickets.csv" in hotline and "导入）" in hotline  # which file, and when
    media = register_section(html, "政务新媒体")
    assert "本季度未导入、未检查" in media and "未发现问题" not in media
    overdue = [f for f in findings if f["rule"] == "hotline.overdue"]
    assert len(overdue) == 1 and "县住房和城乡建设局" in overdue[0]["message"]
    assert sorted(f["fingerprint"] for f in findings if f["rule"] != "hotline.overdue") == website

    # The office corrects the export: imported again, the run is judged again and the problem goes.
    fixed = tmp_path / "fixed.csv"
    fixed.write_text(
        "\n".join(line for line in HOTLINE_CSV.read_text("utf-8").splitlines() if "县住房和城乡建设局" not in line)
        + "\n",
        encoding="utf-8",
    )
    again = govaudit("hotline", "import", str(fixed), "--quarter", "2022Q3", "--db", run.db_url)
    assert "已对第1次检查重新判定登记表规则：发现问题0个" in again.stdout, again.stderr
    html, findings = _report(tmp_path, run.db_url, "fixed")
    assert not [f for f in findings if f["rule"] == "hotline.overdue"]
    assert sorted(f["fingerprint"] for f in findings) == website


def test_a_register_without_a_column_a_rule_needs_says_that_rule_is_unchecked(tmp_path):
    run = audit_pages(tmp_path, SMALL_PORTAL)
    assert run.returncode == 0, run.stderr
    register = tmp_path / "新媒体.csv"
    register.write_text(
        "账号名称,平台,运营单位,备案,最近发布日期\n马关卫健,微信公众号,县卫生健康局,是,2022-10-14\n", encoding="utf-8"
    )
    done = govaudit("media", "import", str(register), "--db", run.db_url)
    assert done.returncode == 0, done.stderr
    assert "因缺少“互动渠道”列，本季度未检查：政务新媒体未提供有效互动功能（media.no_interaction）" in done.stdout
    html, findings = _report(tmp_path, run.db_url, "out2")
    media = register_section(html, "政务新媒体")
    assert "以下项目本季度未检查：政务新媒体未提供有效互动功能" in media
    assert not [f for f in findings if f["rule"].startswith("media.")]
    # With the column, the same account's 否 is a problem.
    register.write_text(
        "账号名称,平台,运营单位,备案,最近发布日期,是否开通互动功能\n马关卫健,微信公众号,县卫生健康局,是,2022-10-14,否\n",
        encoding="utf-8",
    )
    done = govaudit("media", "import", str(register), "--db", run.db_url)
    assert "发现问题1个" in done.stdout and "未检查" not in done.stdout
    # Imported with other settings than the run's, the import says so.
    settings = tmp_path / "govaudit.yaml"
    settings.write_text("units:\n  aliases:\n    县卫健局: 县卫生健康局\n", encoding="utf-8")
    done = govaudit("media", "import", str(register), "--config", str(settings), "--db", run.db_url)
    assert done.returncode == 0, done.stderr
    assert "注意：第1次检查时使用的配置与本次导入不同" in done.stdout
