"""No silent command and Chinese first, through the real CLI: `report --all` says which quarter it
reports on or refuses one without results, refuses the formats it does not write, `history` and
`sites list` print Chinese in columns that line up, the commands a clerk runs take the same flags."""

import json
import os
import re
import unicodedata

import pytest
from portal_kit import govaudit

from audit.cli.demo.server import SAMPLE_PORTAL, serve_portal


def _cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _column_starts(line: str, values: list[str]) -> list[int]:
    """The terminal cell at which each of `values` starts in `line`, searching left to right."""
    starts, at = [], 0
    for value in values:
        at = line.index(value, at)
        starts.append(_cells(line[:at]))
        at += len(value)
    return starts


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    """The sample portal audited for 2022Q3 into one database, registered as a site."""
    work = tmp_path_factory.mktemp("clerk")
    db_url = f"sqlite:///{work / 'govaudit.sqlite'}"
    with serve_portal(SAMPLE_PORTAL) as portal:
        done = govaudit(
            "audit", portal.base_url, "--as-of", "2022-10-15", "--out", str(work / "q3"), "--db", db_url, "--quiet"
        )
        url = portal.base_url
    assert done.returncode == 0, done.stderr
    (work / "sites.yaml").write_text(
        f"sites:\n  - {{name: 马关县人民政府, url: '{url}', unit: 马关县人民政府办公室, site_id: '5326250001', level: 县级}}\n",
        encoding="utf-8",
    )
    added = govaudit("sites", "add", str(work / "sites.yaml"), "--db", db_url)
    assert added.returncode == 0, added.stderr
    return work, db_url


def test_report_all_without_a_quarter_takes_the_latest_with_results_and_says_so(audited, tmp_path):
    _, db_url = audited
    done = govaudit("report", "--all", "--db", db_url, "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    # Today's quarter has no results: the latest quarter that has is taken, and named.
    assert "2022Q3" in done.stderr and "还没有检查结果" in done.stderr
    combined = (tmp_path / "out" / "combined.html").read_text("utf-8")
    assert "2022年第三季度" in combined and "马关县人民政府" in combined
    findings = json.loads((tmp_path / "out" / "5326250001" / "findings.json").read_text("utf-8"))
    assert findings


def test_report_all_for_a_quarter_without_results_says_so_and_writes_nothing(audited, tmp_path):
    _, db_url = audited
    done = govaudit("report", "--all", "--quarter", "2022Q4", "--db", db_url, "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "2022Q4 没有任何登记网站的检查结果" in done.stderr and "2022Q3" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()
    # The quarter that has results is written.
    written = govaudit("report", "--all", "--quarter", "2022Q3", "--db", db_url, "--out", str(tmp_path / "out"))
    assert written.returncode == 0 and written.stderr == ""
    assert (tmp_path / "out" / "combined.html").exists()


def test_report_all_with_no_results_at_all_says_so(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    (tmp_path / "sites.yaml").write_text(
        "sites:\n  - {name: 某县人民政府, url: 'http://127.0.0.1:9/', unit: 某县人民政府办公室}\n", encoding="utf-8"
    )
    assert govaudit("sites", "add", str(tmp_path / "sites.yaml"), "--db", db_url).returncode == 0
    done = govaudit("report", "--all", "--db", db_url, "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and "都还没有检查结果" in done.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("formats", ["html,json,xlsx", "pdf", "html,docx,csv"])
def test_report_all_refuses_the_formats_it_does_not_write(audited, tmp_path, formats):
    _, db_url = audited
    done = govaudit(
        "report", "--all", "--quarter", "2022Q3", "--db", db_url, "--out", str(tmp_path), "--format", formats
    )
    assert done.returncode == 2 and "合并通报只写 html" in done.stderr
    refused = [name for name in formats.split(",") if name not in ("html", "json")]
    assert all(name in done.stderr for name in refused)
    assert list(tmp_path.iterdir()) == []


def test_report_all_writes_each_format_it_takes(audited, tmp_path):
    _, db_url = audited
    done = govaudit(
        "report", "--all", "--quarter", "2022Q3", "--db", db_url, "--out", str(tmp_path), "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "combined.html").exists() and (tmp_path / "5326250001" / "findings.json").exists()


def test_pdf_without_chromium_is_refused_with_its_reason(audited, tmp_path):
    _, db_url = audited
    env = {**os.environ, "PATH": str(tmp_path / "no-bin"), "GOVAUDIT_CHROMIUM": str(tmp_path / "no-chromium")}
    done = govaudit("report", "1", "--db", db_url, "--out", str(tmp_path / "out"), "--format", "html,pdf", env=env)
    assert done.returncode == 2 and "Chromium" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_history_is_chinese_and_its_columns_line_up(audited):
    _, db_url = audited
    done = govaudit("history", "--db", db_url)
    assert done.returncode == 0, done.stderr
    heading, row = done.stdout.splitlines()[:2]
    assert "done" not in done.stdout and "完成" in row
    # Each value starts in the terminal cell its heading starts in (Chinese characters are two cells).
    assert _column_starts(heading, ["季度", "基准日", "范围", "状态"]) == _column_starts(
        row, ["2022Q3", "2022-10-15", "全站", "完成"]
    )
    assert _column_starts(heading, ["网站"]) == _column_starts(row, ["http://"])


def test_the_alignment_check_sees_misaligned_columns():
    """The lines `history` printed before: padded by characters, not by terminal cells."""
    heading = "编号  季度    基准日         范围   状态        问题  结果             网站"
    row = "   1  2022Q3  2022-10-15  全站     done          21  不合格（单项否决）        http://127.0.0.1:39005/"
    assert _column_starts(heading, ["基准日"]) == _column_starts(row, ["2022-10-15"])
    assert _column_starts(heading, ["范围", "网站"]) != _column_starts(row, ["全站", "http://"])


def test_sites_list_has_headings_that_line_up(audited):
    _, db_url = audited
    done = govaudit("sites", "list", "--db", db_url)
    assert done.returncode == 0, done.stderr
    heading, row = done.stdout.splitlines()[:2]
    assert _column_starts(heading, ["网站标识码", "级别", "名称", "网址"]) == _column_starts(
        row, ["5326250001", "县级", "马关县人民政府", "http://"]
    )


def test_diff_names_each_problem_in_chinese_first(audited):
    _, db_url = audited
    done = govaudit("diff", "1", "1", "--db", db_url)
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith("  [")]
    assert rows and all(re.match(r"  \[[^]]+\] [\u4e00-\u9fff「]", line) for line in rows)
    assert any("空白栏目（column.empty）" in line for line in rows)


def test_rules_prints_chinese():
    done = govaudit("rules")
    assert done.returncode == 0
    assert "Checks that" not in done.stdout and "Why:" not in done.stdout
    options = [line for line in done.stdout.splitlines() if line.strip().startswith("选项 ")]
    assert options and all(re.search(r"）：.*[\u4e00-\u9fff]", line) for line in options)


_SHARED = {
    # flag: the commands a clerk or an operator runs that must all take it
    "--db": ("audit", "run-quarterly", "audit-all", "report"),
    "--config": ("audit", "run-quarterly", "audit-all", "report"),
    "--format": ("audit", "run-quarterly", "audit-all", "report"),
    "--out": ("audit", "run-quarterly", "audit-all", "report"),
    "--screenshots": ("audit", "run-quarterly", "audit-all", "report"),
    "--quiet": ("audit", "run-quarterly", "audit-all"),
    "--as-of": ("audit", "run-quarterly", "audit-all"),
    "--timeout": ("audit", "run-quarterly", "audit-all"),
    "--max-pages": ("audit", "run-quarterly", "audit-all"),
    "--log-file": ("audit", "run-quarterly", "audit-all"),
    "--notify": ("audit", "run-quarterly", "audit-all"),
}


@pytest.mark.parametrize("flag", sorted(_SHARED))
def test_the_commands_take_the_same_flags(flag):
    from audit.cli import main

    for name in _SHARED[flag]:
        options = {opt for param in main.commands[name].params for opt in param.opts}
        assert flag in options, f"govaudit {name} has no {flag}"


def test_audit_all_accepts_quiet(tmp_path):
    done = govaudit("audit-all", "--quiet", "--db", f"sqlite:///{tmp_path / 'x.sqlite'}", cwd=tmp_path)
    # Past the options: the one line about the missing sites, not "No such option".
    assert done.returncode == 2 and "没有登记的网站" in done.stderr and "No such option" not in done.stderr
