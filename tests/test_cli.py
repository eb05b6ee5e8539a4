"""The command line: help, clear one-line errors (exit 2), the rule catalogue, and `scrapy crawl`."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from portal_kit import govaudit

from audit.cli.demo.server import SAMPLE_PORTAL, serve_portal

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("command", [[], ["audit"], ["demo"], ["rules"], ["extract"]])
def test_help(command):
    done = govaudit(*command, "--help")
    assert done.returncode == 0 and "Usage" in done.stdout


@pytest.mark.parametrize(
    "args, words",
    [
        (["audit", "ftp://example.gov.cn/"], "http://"),
        (["audit", "http:///nohost"], "host"),
        (["audit", "not a url"], "http://"),
        (["audit", "http://127.0.0.1:9/", "--column", "nosuch"], "unknown column"),
        (["audit", "http://127.0.0.1:9/", "--as-of", "2022-02-30"], "YYYY-MM-DD"),
        (["audit", "http://127.0.0.1:9/", "--config", "/nonexistent/govaudit.yaml"], "cannot read config"),
        (["audit", "http://127.0.0.1:9/", "--db", "nosuchdialect://x"], "cannot open database"),
        (["extract", "/nonexistent/page.html"], "cannot read"),
    ],
)
def test_bad_arguments_exit_2_without_traceback(tmp_path, args, words):
    done = govaudit(*args, cwd=tmp_path)
    assert done.returncode == 2
    assert words in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_bad_config_file(tmp_path):
    config = tmp_path / "bad.yaml"
    config.write_text("columns: [unclosed", encoding="utf-8")
    done = govaudit("audit", "http://127.0.0.1:9/", "--config", str(config), cwd=tmp_path)
    assert done.returncode == 2 and "YAML" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "settings, words",
    [
        # A typo in an option: named, with the option meant.
        (
            "rules:\n  interpretation.missing:\n    title_word: [解读]\n",
            ["unknown config key: rules.interpretation.missing.title_word", "did you mean: title_words"],
        ),
        (
            "rules:\n  column.due_soon:\n    warn_days: abc\n",
            ["wrong type", "rules.column.due_soon.warn_days", "'abc'"],
        ),
        (
            "rules:\n  column.stael:\n    warn_days: 3\n",
            ["unknown rule: rules.column.stael", "did you mean: column.stale"],
        ),
        ("colums:\n  lqhm: {stale_days: 90}\n", ["unknown config key: colums", "did you mean: columns"]),
        ("rule:\n  column.stale: {}\n", ["unknown config key: rule", "did you mean: rules"]),
        # The scoring table names rules by pattern: one that matches no rule is named.
        (
            "scoring:\n  indicators:\n    attachments:\n      rules: [attachment.*, normative.no_download]\n",
            ["no rule matches scoring.indicators.attachments.rules: 'attachment.*'"],
        ),
        (
            "scoring:\n  veto_counts:\n    column.emtpy: {count: 5}\n",
            ["no rule matches scoring.veto_counts.column.emtpy", "did you mean: column.empty"],
        ),
    ],
)
def test_bad_settings_stop_before_the_crawl_naming_the_key(tmp_path, settings, words):
    # More shapes of bad settings are in tests/test_config.py.
    config = tmp_path / "rules.yaml"
    config.write_text(settings, encoding="utf-8")
    done = govaudit("audit", "http://127.0.0.1:9/", "--config", str(config), cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and str(config) in done.stderr
    for word in words:
        assert word in done.stderr
    assert not (tmp_path / "out").exists()


def test_rules_lists_every_rule_from_its_metadata():
    done = govaudit("rules")
    assert done.returncode == 0
    for rule_id in (
        "site.unreachable",
        "site.stale",
        "column.missing",
        "column.empty",
        "column.stale",
        "label.missing",
        "label.conflict",
        "label.not_public",
    ):
        assert rule_id in done.stdout
    assert "单项否决" in done.stdout and "国办秘函〔2019〕19号" in done.stdout
    # Each rule's options with type and default, from the rule's own declaration.
    assert (
        "选项 warn_days（int，默认 14）" in done.stdout
        and '选项 title_words（list[str]，默认 ["解读"]）' in done.stdout
    )
    # What a one-column check (--column) does with rules that read outside the column.
    listed = done.stdout.split("\n\n")
    [stale] = [entry for entry in listed if entry.lstrip().startswith("site.stale ")]
    assert "单栏目检查：不检查（全站检查项）" in stale
    [missing] = [entry for entry in listed if entry.lstrip().startswith("interpretation.missing ")]
    assert "单栏目检查：另读取网站的政策解读栏目；找不到该栏目时不检查" in missing
    [label] = [entry for entry in listed if entry.lstrip().startswith("label.missing ")]
    assert "单栏目检查" not in label


def test_extract_prints_what_the_reader_reads():
    page = SAMPLE_PORTAL / "xxgk" / "gfxwj" / "202112" / "t20211220_1039.html"
    done = govaudit("extract", str(page), "--url", "http://www.maguan.gov.cn/xxgk/gfxwj/202112/t20211220_1039.html")
    assert done.returncode == 0
    import json

    reading = json.loads(done.stdout)
    assert reading["doc_number"] == "马政办规〔2021〕12号"
    assert set(reading["labels"]) == {"此件公开发布", "此件删减后公开"}


def test_scrapy_crawl_stores_the_run(tmp_path):
    db = tmp_path / "scrapy.sqlite"
    env = {**os.environ, "GOVAUDIT_DB": f"sqlite:///{db}"}
    with serve_portal(SAMPLE_PORTAL) as portal:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "scrapy",
                "crawl",
                "portal",
                "-a",
                f"url={portal.base_url}",
                "-s",
                "LOG_LEVEL=WARNING",
            ],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("select status from audit_run").fetchone() == ("done",)
        assert conn.execute("select count(*) from page").fetchone()[0] >= 90
        # Concluded by the same lifecycle as `govaudit audit` (audit.extension): judged, with findings.
        assert conn.execute("select count(*) from finding where rule = 'label.not_public'").fetchone()[0] >= 1
        rules = {row[0] for row in conn.execute("select rule from finding")}
    assert {"column.missing", "label.not_public"} <= rules


def test_extract_masks_personal_data_like_every_other_output(tmp_path):
    page = tmp_path / "gs.html"
    page.write_text(
        '<html><head><meta charset="utf-8"><title>张三532625198503122010低保公示</title></head><body>'
        '<ul><li><a href="/f/532625198503122010.html">张三532625198503122010低保 13812345678</a>'
        "<span>2022-09-01</span></li></ul></body></html>",
        encoding="utf-8",
    )
    done = govaudit("extract", str(page), "--url", "http://www.maguan.gov.cn/gs.html")
    assert done.returncode == 0, done.stderr
    assert "532625198503122010" not in done.stdout and "13812345678" not in done.stdout
    assert "532625********2010" in done.stdout
