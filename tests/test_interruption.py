"""Ctrl-C (SIGINT) or SIGTERM mid-crawl, sent to a real govaudit process crawling a portal on
127.0.0.1: the crawl stops cleanly, the run is stored as interrupted (never done), no report that
looks complete is written, the exit status says which signal (130/143), `history` and
`run-quarterly` do not count it as a finished quarter, and the same command resumes the same run."""

import signal
import sqlite3
import subprocess
import sys

import pytest
from portal_kit import govaudit, signal_when_stored
from test_resume import slow_portal  # noqa: F401 — the sample portal, each answer a little late

OUTPUTS = ("bulletin.html", "findings.json", "findings.xlsx", "findings.csv")


def _runs(db):
    with sqlite3.connect(db) as conn:
        return conn.execute("select id, status, quarter from audit_run order by id").fetchall()


def _interrupt_after(command: list[str], db, pages: int, signum: int) -> subprocess.CompletedProcess:
    crawl = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    signal_when_stored(crawl, db, pages, signum)
    stdout, stderr = crawl.communicate(timeout=60)
    return subprocess.CompletedProcess(command, crawl.returncode, stdout, stderr)


@pytest.mark.parametrize("signum, command", [(signal.SIGINT, "audit"), (signal.SIGTERM, "run-quarterly")])
def test_a_signal_mid_crawl_is_an_honest_interruption_and_resumes(slow_portal, tmp_path, signum, command):  # noqa: F811
    db, out = tmp_path / "i.sqlite", tmp_path / "out"
    args = (
        [command, slow_portal, "--as-of", "2022-10-15", "--out", str(out)]
        + (["--quarter", "2022Q3"] if command == "run-quarterly" else ["--format", "html,json,xlsx,csv"])
        + ["--db", f"sqlite:///{db}", "--quiet"]
    )
    cut = _interrupt_after([sys.executable, "-m", "audit.cli", *args], db, 15, signum)

    assert cut.returncode == 128 + signum, cut.stderr
    assert "检查已中断" in cut.stderr and "Traceback" not in cut.stderr
    assert "检查完成" not in cut.stdout
    assert _runs(db) == [(1, "interrupted", "2022Q3")]
    folder = out / "2022Q3" if command == "run-quarterly" else out
    assert not [name for name in OUTPUTS if (folder / name).exists()]
    assert not list(out.rglob("*.tmp"))

    history = govaudit("history", "--db", f"sqlite:///{db}")
    assert "检查未完成" in history.stdout and "分" not in history.stdout.split("\n", 1)[1]

    resumed = govaudit(*args)
    assert resumed.returncode == 0, resumed.stderr
    assert "已检查完成" not in resumed.stdout
    # The same run, finished: not a second run of the quarter.
    assert _runs(db) == [(1, "done", "2022Q3")]
    assert all((folder / name).stat().st_size > 100 for name in OUTPUTS)
