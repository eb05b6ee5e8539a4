"""Unattended operation without surprises: a database password is never echoed, a typo in a SQLite
path is an error (not a new tree of folders), two run-quarterly started together record the quarter
once, and jieba's cache lives in the user's own cache folder, not in a /tmp file shared by all users."""

import os
import sqlite3
import subprocess
import sys

import pytest
from portal_kit import govaudit

from audit.cli.demo.server import SAMPLE_PORTAL, serve_portal

SECRET = "Pa55-w0rd-secret"


@pytest.mark.parametrize(
    "db_url",
    [
        f"postgresql://auditor:{SECRET}@127.0.0.1:1/govaudit",
        f"postgresql://auditor:{SECRET}@db host:/govaudit",  # unparsable port
        f"postgresql://127.0.0.1:1/govaudit?password={SECRET}",  # the password in the query
        f"mysql://auditor:{SECRET}@127.0.0.1:1/govaudit",  # driver missing
    ],
)
def test_the_database_password_is_never_echoed(db_url):
    done = govaudit("history", "--db", db_url)
    assert done.returncode == 2
    assert SECRET not in done.stdout + done.stderr
    assert "无法打开数据库" in done.stderr and "Traceback" not in done.stderr


def test_a_typo_in_a_sqlite_path_creates_nothing(tmp_path):
    done = govaudit("history", "--db", f"sqlite:///{tmp_path / 'typo-folder' / 'sub' / 'govaudit.sqlite'}")
    assert done.returncode == 2
    assert "数据库所在目录不存在" in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_two_run_quarterly_at_once_record_the_quarter_once(tmp_path):
    db = tmp_path / "q.sqlite"
    with serve_portal(SAMPLE_PORTAL) as portal:
        command = [
            sys.executable,
            "-m",
            "audit.cli",
            "run-quarterly",
            portal.base_url,
            "--quarter",
            "2022Q3",
            "--as-of",
            "2022-10-15",
            "--out",
            str(tmp_path / "q"),
            "--db",
            f"sqlite:///{db}",
            "--quiet",
        ]
        runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    with sqlite3.connect(db) as conn:
        assert conn.execute("select quarter, status from audit_run").fetchall() == [("2022Q3", "done")]
    assert sum("不重复检查" in stdout for stdout, _ in outputs) == 1
    assert (tmp_path / "q" / "2022Q3" / "bulletin.html").exists()


def test_jieba_caches_in_the_users_cache_folder(tmp_path):
    script = (
        "from rules.text.wrong_expression import Matcher; "
        "list(Matcher((), ('测试词',))._tokenizer.tokenize('马关县人民政府关于测试词的通知'))"
    )
    (tmp_path / "tmp").mkdir()
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "TMPDIR": str(tmp_path / "tmp")}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert list((tmp_path / "cache" / "govaudit").glob("jieba*.cache"))
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_crawl_opens_no_remote_control_into_itself(tmp_path):
    """Scrapy 2.19 starts a code-executing control server for every crawl and leaves its job file in
    the user's state folder; an audit of someone else's site runs with it off."""
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    done = govaudit(
        "demo", "--out", str(tmp_path / "out"), "--db", f"sqlite:///{tmp_path / 'demo.sqlite'}", "--quiet", env=env
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "bulletin.html").exists()
    assert not (tmp_path / "state" / "scrapy").exists()
