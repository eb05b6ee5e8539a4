"""The processes `worker` and `audit-all` start: no password of the database or of Redis on any
command line while they run (every local user reads those in `ps`), and Redis going away under a
worker is one line and a stop the same worker resumes, never a traceback. Real PostgreSQL, a
private real redis-server per test, real HTTP on loopback."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from databases import fresh_database
from portal_kit import govaudit
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from test_resume import slow_portal  # noqa: F401 — the sample portal, each answer a little late

from audit.store.store import engine_url

AS_OF = "2022-10-15"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _redis_server(port: int, password: str | None = None) -> subprocess.Popen:
    """A redis-server of the test's own on `port`, without persistence; its settings (the password
    too) read from stdin, so its own command line holds none."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server not installed: cannot start a Redis of the test's own")
    settings = f'port {port}\nbind 127.0.0.1\nsave ""\nappendonly no\n'
    if password:
        settings += f"requirepass {password}\n"
    process = subprocess.Popen([server, "-"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    process.stdin.write(settings)
    process.stdin.close()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise AssertionError("redis-server did not start")


@contextmanager
def _redis(password: str | None = None):
    port = _free_port()
    server = _redis_server(port, password)
    try:
        yield port, f"redis://:{password}@127.0.0.1:{port}/0" if password else f"redis://127.0.0.1:{port}/0"
    finally:
        server.kill()
        server.wait()


class _CommandLines:
    """Reads every process's command line (/proc/*/cmdline, as `ps` does) until stopped: the lines
    that held any of `secrets`, and how many reads saw a govaudit audit process at all."""

    def __init__(self, *secrets: str):
        self.secrets = [secret.encode() for secret in secrets]
        self.leaked: set[str] = set()
        self.audits_seen = self.reads = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        while not self._stop.is_set():
            saw_audit = False
            for entry in os.scandir("/proc"):
                if not entry.name.isdigit():
                    continue
                try:
                    with open(f"/proc/{entry.name}/cmdline", "rb") as handle:
                        line = handle.read()
                except OSError:
                    continue
                if any(secret in line for secret in self.secrets):
                    self.leaked.add(line.replace(b"\0", b" ").decode(errors="replace"))
                saw_audit = saw_audit or (b"audit.cli\0audit\0" in line)
            self.reads += 1
            self.audits_seen += saw_audit
            time.sleep(0.02)


def _pg_runs(db_url: str) -> list[tuple]:
    engine = create_engine(engine_url(db_url))
    try:
        with engine.connect() as connection:
            return list(connection.execute(text("select id, status, workers from audit_run order by id")))
    finally:
        engine.dispose()


def test_no_password_reaches_a_command_line_of_worker_or_audit_all(slow_portal, tmp_path):  # noqa: F811
    pg_secret, redis_secret = f"pg{uuid.uuid4().hex[:12]}", f"rd{uuid.uuid4().hex[:12]}"
    (tmp_path / "sites.yaml").write_text(
        f'sites:\n  - {{name: 马关县人民政府, url: "{slow_portal}", unit: 马关县人民政府办公室, site_id: "5326250001"}}\n',
        encoding="utf-8",
    )
    with fresh_database("postgresql", tmp_path) as plain, _redis(redis_secret) as (_, redis_url):
        # The test server trusts loopback and ignores the password; govaudit is given it as a real one.
        db_url = make_url(plain).set(password=pg_secret).render_as_string(hide_password=False)
        assert pg_secret in db_url and redis_secret in redis_url
        # Passwords reach govaudit as they should, in its environment, never on its own command line.
        env = {**os.environ, "GOVAUDIT_DB": db_url}
        assert govaudit("sites", "add", str(tmp_path / "sites.yaml"), env=env).returncode == 0
        with _CommandLines(pg_secret, redis_secret) as lines:
            one_by_one = govaudit("audit-all", "--as-of", AS_OF, "--out", str(tmp_path / "local"), env=env)
            seen_locally = lines.audits_seen
            queued = govaudit(
                "audit-all",
                "--as-of",
                AS_OF,
                "--out",
                str(tmp_path / "queued"),
                "--force",
                env={**env, "GOVAUDIT_REDIS": redis_url},
            )
            worker = subprocess.run(
                [sys.executable, "-m", "audit.cli", "worker", "--until-idle", "--name", "w"],
                env={**env, "GOVAUDIT_REDIS": redis_url},
                capture_output=True,
                text=True,
                timeout=600,
            )
        runs = _pg_runs(db_url)
    assert one_by_one.returncode == 0, one_by_one.stderr
    assert queued.returncode == 0 and "已加入队列" in queued.stdout, queued.stderr
    assert worker.returncode == 0, worker.stderr
    # Both ways of auditing ran their child audits while the command lines were read.
    assert seen_locally > 5 and lines.audits_seen - seen_locally > 5, (seen_locally, lines.audits_seen)
    assert [status for _, status, _ in runs] == ["done", "done"] and runs[1][2] == ["w"]
    assert (tmp_path / "local" / "5326250001" / "findings.json").exists()
    assert (tmp_path / "queued" / "5326250001" / "findings.json").exists()
    assert not lines.leaked, lines.leaked
    for output in (one_by_one, queued, worker):
        assert pg_secret not in output.stdout + output.stderr and redis_secret not in output.stdout + output.stderr


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(db) as connection:
            return connection.execute("select count(*) from page").fetchone()[0]
    except sqlite3.Error:
        return 0


class _Lines:
    """A process's stderr, read line by line as it comes."""

    def __init__(self, stream):
        self.lines: list[str] = []
        self._thread = threading.Thread(target=lambda: self.lines.extend(iter(stream.readline, "")), daemon=True)
        self._thread.start()

    def wait_for(self, words: str, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while not any(words in line for line in self.lines):
            assert time.monotonic() < deadline, f"no line with {words!r}: {self.lines}"
            time.sleep(0.05)

    def text(self) -> str:
        self._thread.join(timeout=10)
        return "".join(self.lines)


def test_redis_gone_under_a_worker_is_one_line_and_the_worker_resumes_the_site(slow_portal, tmp_path):  # noqa: F811
    """Redis dies mid-crawl and comes back empty (the crawl stops resumable, as it should), then dies
    again just as the worker starts the audit once more: the new audit cannot even open its
    frontier. That is one line and exit 1 for the audit, one line for the worker, which waits for
    Redis and then completes the site in the same run."""
    db = tmp_path / "w.sqlite"
    (tmp_path / "sites.yaml").write_text(
        f'sites:\n  - {{name: 马关县人民政府, url: "{slow_portal}", unit: 马关县人民政府办公室, site_id: "5326250001"}}\n',
        encoding="utf-8",
    )
    env = {**os.environ, "GOVAUDIT_DB": f"sqlite:///{db}"}
    assert govaudit("sites", "add", str(tmp_path / "sites.yaml"), env=env).returncode == 0
    port = _free_port()
    redis_url = f"redis://127.0.0.1:{port}/0"
    server = _redis_server(port)
    worker = None
    try:
        queued = govaudit("audit-all", "--as-of", AS_OF, "--out", str(tmp_path / "out"), "--redis", redis_url, env=env)
        assert queued.returncode == 0, queued.stderr
        worker = subprocess.Popen(
            [sys.executable, "-m", "audit.cli", "worker", "--redis", redis_url, "--until-idle"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        log = _Lines(worker.stderr)
        deadline = time.monotonic() + 120
        while _stored(db) < 15 and worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert worker.poll() is None and _stored(db) >= 15, "the crawl ended before Redis could be stopped"
        server.kill()  # gone, as a crash, with everything it held
        server.wait()
        server = _redis_server(port)
        log.wait_for("丢失了待抓取队列")
        log.wait_for("重试 / retrying")  # the worker pauses 2 s before it starts the audit again …
        server.kill()  # … into a Redis that is gone again
        server.wait()
        log.wait_for("Redis 暂时无法访问")
        with sqlite3.connect(db) as connection:
            assert connection.execute("select status from audit_run").fetchall() == [("interrupted",)]
        time.sleep(3)
        server = _redis_server(port)
        worker.wait(timeout=600)
        text = log.text()
    finally:
        if worker is not None and worker.poll() is None:
            worker.kill()
        server.kill()
        server.wait()
    assert worker.returncode == 0, text
    assert "Traceback" not in text and "Unhandled error" not in text, text
    assert text.count("Redis 无法访问，检查已标记为中断") == 1 and text.count("Redis 暂时无法访问") == 1, text
    assert "Redis 已恢复" in text and "完成 / exit 0" in text
    with sqlite3.connect(db) as connection:
        assert connection.execute("select id, status from audit_run").fetchall() == [(1, "done")]
    assert (tmp_path / "out" / "5326250001" / "findings.json").exists()


def test_an_audit_started_while_redis_is_down_is_one_line(tmp_path):
    done = govaudit(
        "audit",
        "http://127.0.0.1:9/",
        "--as-of",
        AS_OF,
        "--db",
        f"sqlite:///{tmp_path / 'a.sqlite'}",
        "--out",
        str(tmp_path / "out"),
        "--quiet",
        "--redis",
        f"redis://127.0.0.1:{_free_port()}/0",
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "Redis 无法访问" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 2  # 开始检查 … and the one line
    with sqlite3.connect(tmp_path / "a.sqlite") as connection:
        assert connection.execute("select status from audit_run").fetchall() == [("interrupted",)]
    assert not (tmp_path / "out" / "findings.json").exists()


def test_audit_all_with_redis_notifies_when_the_sites_are_audited_not_when_queued(slow_portal, tmp_path):  # noqa: F811
    db = tmp_path / "n.sqlite"
    (tmp_path / "sites.yaml").write_text(
        f'sites:\n  - {{name: 马关县人民政府, url: "{slow_portal}", unit: 马关县人民政府办公室, site_id: "5326250001"}}\n'
        # Another host: history tells sites apart by host, not port.
        '  - {name: 停用县人民政府, url: "http://127.0.0.4:9/", unit: 停用县人民政府办公室}\n',
        encoding="utf-8",
    )
    env = {**os.environ, "GOVAUDIT_DB": f"sqlite:///{db}"}
    assert govaudit("sites", "add", str(tmp_path / "sites.yaml"), env=env).returncode == 0
    told = tmp_path / "told.txt"
    hook = f'printf "%s|%s\\n" "$GOVAUDIT_EXIT" "$GOVAUDIT_SUMMARY" >> {told}'
    with _redis() as (_, redis_url):
        env["GOVAUDIT_REDIS"] = redis_url
        queueing = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "audit.cli",
                "audit-all",
                "--as-of",
                AS_OF,
                "--out",
                str(tmp_path / "out"),
                "--notify",
                hook,
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        lines = _Lines(queueing.stdout)
        lines.wait_for("等待工作进程")
        time.sleep(3)
        # Queued, not audited: nothing to tell yet.
        assert queueing.poll() is None and not told.exists()
        worker = subprocess.run(
            [sys.executable, "-m", "audit.cli", "worker", "--until-idle"],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert worker.returncode == 0, worker.stderr
        queueing.wait(timeout=120)
    assert queueing.returncode == 3, lines.text()  # one site unreachable, as `audit-all` without Redis says
    exit_code, summary = told.read_text("utf-8").strip().split("|")
    assert exit_code == "3" and "完成 1，无法访问 1，失败 0" in summary, summary
    assert "马关县人民政府：完成" in lines.text() and "停用县人民政府：网站无法访问" in lines.text()
