"""run-quarterly (idempotent, per-quarter folder, --force), schedule --print, and the exit codes of
history and diff — through the real CLI against the sample portal on 127.0.0.1."""

import sqlite3
from datetime import date

import pytest
from portal_kit import govaudit

from audit.cli.demo.server import SAMPLE_PORTAL, serve_portal
from audit.run.lifecycle import quarterly_as_of
from crawler.vocabulary.quarters import Quarter, add_working_days

FILES = ("bulletin.html", "findings.json", "findings.xlsx", "findings.csv")


def _runs(db):
    with sqlite3.connect(db) as conn:
        return conn.execute("select id, quarter, as_of, status from audit_run order by id").fetchall()


def test_run_quarterly_is_idempotent_and_forced(tmp_path):
    db = tmp_path / "q.sqlite"
    out = tmp_path / "quarterly"
    with serve_portal(SAMPLE_PORTAL) as portal:
        args = (
            "run-quarterly",
            portal.base_url,
            "--quarter",
            "2022Q3",
            "--as-of",
            "2022-10-15",
            "--out",
            str(out),
            "--db",
            f"sqlite:///{db}",
            "--quiet",
        )
        first = govaudit(*args)
        assert first.returncode == 0, first.stderr
        assert all((out / "2022Q3" / name).stat().st_size > 100 for name in FILES)
        assert [(q, status) for _, q, _, status in _runs(db)] == [("2022Q3", "done")]
        stamp = (out / "2022Q3" / "bulletin.html").stat().st_mtime_ns

        again = govaudit(*args)
        assert again.returncode == 0 and "已检查完成" in again.stdout
        assert len(_runs(db)) == 1
        assert (out / "2022Q3" / "bulletin.html").stat().st_mtime_ns == stamp

        (out / "2022Q3" / "findings.xlsx").unlink()
        restored = govaudit(*args)
        assert restored.returncode == 0 and len(_runs(db)) == 1
        assert (out / "2022Q3" / "findings.xlsx").exists()

        forced = govaudit(*args, "--force")
        assert forced.returncode == 0, forced.stderr
        assert [q for _, q, _, _ in _runs(db)] == ["2022Q3", "2022Q3"]
    html = (out / "2022Q3" / "bulletin.html").read_text("utf-8")
    assert "关于2022年第三季度政府网站监测情况的通报" in html
    # The forced run compares with earlier quarters, not with the run it replaces.
    assert "本季度为首次检查" in html


@pytest.mark.parametrize(
    "args, words",
    [
        (["--quarter", "2022Q5"], "2022Q3"),
        (["--quarter", "2999Q1"], "has not ended"),
        (["--quarter", "2022Q3", "--as-of", "2022-07-15"], "reports on"),
        (["--quarter", "2022Q3", "--format", "odt"], "unknown format"),
    ],
)
def test_run_quarterly_bad_arguments(tmp_path, args, words):
    done = govaudit("run-quarterly", "http://127.0.0.1:9/", *args, "--out", str(tmp_path / "q"), cwd=tmp_path)
    assert done.returncode == 2 and words in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "q").exists()


def test_quarter_dates():
    assert Quarter.parse("2022q3").label == "2022Q3"
    assert Quarter.reported(date(2022, 10, 15)) == Quarter(2022, 3)
    assert Quarter.reported(date(2023, 1, 5)) == Quarter(2022, 4)
    assert Quarter.reported(date(2022, 8, 20)) == Quarter(2022, 3)
    assert quarterly_as_of(Quarter(2022, 3), date(2022, 10, 15)) == date(2022, 10, 15)
    assert quarterly_as_of(Quarter(2022, 3), date(2023, 5, 1)) == date(2022, 9, 30)
    with pytest.raises(ValueError):
        quarterly_as_of(Quarter(2022, 4), date(2022, 11, 1))
    # 2022-10-15 is a Saturday: ten working days later is Friday 2022-10-28.
    assert add_working_days(date(2022, 10, 15), 10) == date(2022, 10, 28)
    # 国庆 2022: 1–7 October off, Saturday 8 and Sunday 9 October are 调休 working days (chinesecalendar).
    assert add_working_days(date(2022, 9, 30), 1) == date(2022, 10, 8)
    assert add_working_days(date(2022, 9, 30), 3) == date(2022, 10, 10)
    # A year the package does not know yet: Monday to Friday, less the configured holidays.
    assert add_working_days(date(2099, 1, 1), 1, holidays=frozenset({date(2099, 1, 2)})) == date(2099, 1, 5)
    assert add_working_days(date(2099, 1, 2), 1, workdays=frozenset({date(2099, 1, 3)})) == date(2099, 1, 3)


def test_schedule_print(tmp_path):
    done = govaudit(
        "schedule", "http://www.example.gov.cn/", "--print", "--at", "03:15", "--out", "reports", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    cron = next(
        line for line in done.stdout.splitlines() if "run-quarterly" in line and not line.startswith(("#", "Exec"))
    )
    fields = cron.split()
    assert fields[:5] == ["15", "3", "1-15", "1,4,7,10", "*"]
    assert "http://www.example.gov.cn/" in cron and str(tmp_path / "reports") in cron
    assert "OnCalendar=*-01,04,07,10-01..15 03:15:00" in done.stdout
    assert "Type=oneshot" in done.stdout and "Persistent=true" in done.stdout
    assert "ExecStart=" in done.stdout and "WantedBy=timers.target" in done.stdout


def test_schedule_escapes_percent(tmp_path):
    done = govaudit("schedule", "http://www.example.gov.cn/a%20b/", "--print", cwd=tmp_path)
    assert done.returncode == 0
    cron = next(line for line in done.stdout.splitlines() if line[:1].isdigit())
    assert "a\\%20b" in cron
    assert "a%%20b" in next(line for line in done.stdout.splitlines() if line.startswith("ExecStart="))


@pytest.mark.parametrize(
    "args, words",
    [
        (["schedule", "http://www.example.gov.cn/"], "--print"),
        (["schedule", "ftp://x/", "--print"], "http://"),
        (["schedule", "http://x/", "--print", "--at", "25:00"], "HH:MM"),
        (["diff", "1", "2"], "no audit run"),
    ],
)
def test_usage_errors_exit_2(tmp_path, args, words):
    done = (
        govaudit(*args, "--db", f"sqlite:///{tmp_path / 'e.sqlite'}")
        if args[0] == "diff"
        else govaudit(*args, cwd=tmp_path)
    )
    assert done.returncode == 2 and words in done.stderr and "Traceback" not in done.stderr


def test_history_on_an_empty_database(tmp_path):
    done = govaudit("history", "--db", f"sqlite:///{tmp_path / 'empty.sqlite'}")
    assert done.returncode == 0 and "no audit runs" in done.stdout


def test_diff_refuses_runs_of_different_scopes(tmp_path):
    db = f"sqlite:///{tmp_path / 'd.sqlite'}"
    with serve_portal(SAMPLE_PORTAL) as portal:
        for extra in ((), ("--column", "gfxwj")):
            done = govaudit(
                "audit",
                portal.base_url,
                "--as-of",
                "2022-10-15",
                "--out",
                str(tmp_path / "o"),
                "--db",
                db,
                "--quiet",
                *extra,
            )
            assert done.returncode == 0, done.stderr
    html = (tmp_path / "o" / "bulletin.html").read_text("utf-8")
    assert "关于2022年第三季度「规章和行政规范性文件库」栏目检查情况的报告" in html
    refused = govaudit("diff", "1", "2", "--db", db)
    assert refused.returncode == 2 and "different sites or scopes" in refused.stderr
    same = govaudit("diff", "1", "1", "--db", db)
    assert same.returncode == 0 and "新增 0" in same.stdout
