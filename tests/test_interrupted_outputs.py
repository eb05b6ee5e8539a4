"""SIGTERM after a run was concluded and before its outputs were written: the run is finished in the
store while the output folder still holds the previous run's bulletin. The same command then writes
the outputs of the finished run — it does not crawl the site again into a second run.

The signal comes at a known point, not at a guess: the audit takes screenshots (--screenshots)
after concluding the run and before writing any output file, through the browser GOVAUDIT_CHROMIUM
names. Here that is a script that records it was called and then waits; the test sends SIGTERM once
it has been called. A real govaudit process, a real signal, the sample portal on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from portal_kit import govaudit

from audit.cli.demo.server import SAMPLE_PORTAL, serve_portal


def _runs(db) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute("select id, status, as_of from audit_run order by id").fetchall()


@pytest.mark.parametrize("command", ["audit", "run-quarterly"])
def test_sigterm_between_conclusion_and_outputs_is_finished_by_the_same_command(tmp_path, command):
    called = tmp_path / "browser-called"
    browser = tmp_path / "chromium"
    # The first call waits (the audit is signalled meanwhile); later ones fail at once (no thumbnail).
    browser.write_text(f"#!/bin/sh\n[ -e {called} ] && exit 1\ntouch {called}\nexec sleep 300\n", encoding="utf-8")
    browser.chmod(0o755)
    db, out = tmp_path / "q.sqlite", tmp_path / "out"
    with serve_portal(SAMPLE_PORTAL) as portal:
        if command == "audit":
            # Last quarter's audit into the same folder; this quarter's is the one interrupted.
            earlier = govaudit(
                "audit",
                portal.base_url,
                "--as-of",
                "2022-07-15",
                "--out",
                str(out),
                "--db",
                f"sqlite:///{db}",
                "--quiet",
            )
            args = ["audit", portal.base_url, "--as-of", "2022-10-15", "--out", str(out)]
            folder = out
        else:
            # The quarter audited once; audited again with --force, and that run is interrupted.
            earlier = govaudit(
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
                "--format",
                "html,json",
            )
            args = [
                "run-quarterly",
                portal.base_url,
                "--quarter",
                "2022Q3",
                "--as-of",
                "2022-10-15",
                "--force",
                "--out",
                str(out),
                "--format",
                "html,json",
            ]
            folder = out / "2022Q3"
        assert earlier.returncode == 0, earlier.stderr
        before = {name: (folder / name).read_bytes() for name in ("bulletin.html", "findings.json")}
        args += ["--db", f"sqlite:///{db}", "--quiet", "--screenshots"]
        env = {**os.environ, "GOVAUDIT_CHROMIUM": str(browser)}
        audit = subprocess.Popen(
            [sys.executable, "-m", "audit.cli", *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 300
        while not called.exists() and audit.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert called.exists(), audit.communicate()[1]
        # The run is concluded (the screenshots come after it) and no output of it is written yet.
        assert [status for _, status, _ in _runs(db)] == ["done", "done"]
        assert {name: (folder / name).read_bytes() for name in before} == before
        audit.send_signal(signal.SIGTERM)
        _, cut = audit.communicate(timeout=120)
        assert audit.returncode == 143, cut
        assert "Traceback" not in cut
        # The previous bulletin is still there: the interrupted run wrote nothing.
        assert {name: (folder / name).read_bytes() for name in before} == before

        again = subprocess.run(
            [sys.executable, "-m", "audit.cli", *args], env=env, capture_output=True, text=True, timeout=600
        )
    assert again.returncode == 0, again.stderr
    # One run per quarter: the finished run's outputs, written from the store; no third run.
    assert [run_id for run_id, _, _ in _runs(db)] == [1, 2], _runs(db)
    assert "检查完成：页面" in again.stdout and "问题 21 个" in again.stdout
    after = {name: (folder / name).read_bytes() for name in before}
    assert all(after[name] != before[name] for name in before)
    assert not (folder / ".govaudit-pending.json").exists()
    if command == "audit":
        # This quarter's bulletin: it compares with last quarter's run, which the earlier one could not.
        assert "本季度为首次检查" in before["bulletin.html"].decode("utf-8")
        assert "对上次检查（" in after["bulletin.html"].decode("utf-8")
    assert not list(folder.glob("*.tmp"))
