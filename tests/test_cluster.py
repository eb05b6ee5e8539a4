"""Many sites, many workers: `audit-all --redis` queues the registered sites, `govaudit worker`
processes audit them (frontier in Redis through scrapy-redis, one PostgreSQL store), and the
results equal single-process audits — also when a worker is SIGKILLed mid-crawl and another takes
over once its lease expires. Real Redis, real PostgreSQL, real HTTP on loopback."""

from __future__ import annotations

import functools
import glob
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import ExitStack
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from databases import fresh_database
from portal_kit import govaudit
from sites.hanweb_jpage import HANWEB_PORTAL, install_dataproxy
from sqlalchemy import create_engine, text
from test_bulletin import _chromium, _headless

from audit.cli.demo.server import SAMPLE_PORTAL, PortalServer, serve_portal
from audit.store.store import engine_url

TRS_PORTAL = HANWEB_PORTAL.parent / "trs"
AS_OF = "2022-10-15"


def _redis() -> str:
    url = os.environ.get("GOVAUDIT_TEST_REDIS")
    if not url:
        pytest.skip("Redis not started: run the tests through scripts/test.sh (scripts/services.sh)")
    return url


@pytest.fixture(scope="module")
def portals():
    """The three sample portals, told apart by host as history tells sites apart (ports do not count)."""
    with ExitStack() as stack:
        demo = stack.enter_context(serve_portal(SAMPLE_PORTAL))
        trs = stack.enter_context(serve_portal(TRS_PORTAL))
        hanweb = PortalServer(HANWEB_PORTAL, host="127.0.0.2")
        install_dataproxy(hanweb)
        stack.enter_context(hanweb)
        yield {
            "5326250001": ("马关县人民政府", demo.base_url),
            "5326250002": ("天保县人民政府", trs.base_url.replace("127.0.0.1", "localhost")),
            "5326250003": ("大汉县人民政府", hanweb.base_url),
        }


def _register(folder, sites: dict, db_url: str) -> None:
    lines = ["sites:"] + [
        f'  - {{name: {name}, url: "{url}", unit: {name}办公室, site_id: "{site_id}", level: 县级}}'
        for site_id, (name, url) in sites.items()
    ]
    (folder / "sites.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    added = govaudit("sites", "add", str(folder / "sites.yaml"), "--db", db_url)
    assert added.returncode == 0, added.stderr


def _fingerprints(path) -> set[str]:
    return {finding["fingerprint"] for finding in json.loads(path.read_text("utf-8"))}


def _worker(db_url: str, redis_url: str, prefix: str, name: str, *args: str, log=None) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "audit.cli",
            "worker",
            "--db",
            db_url,
            "--redis",
            redis_url,
            "--redis-prefix",
            prefix,
            "--name",
            name,
            *args,
        ],
        stdout=subprocess.PIPE,
        stderr=log or subprocess.PIPE,
        text=True,
    )


def _runs(db_url: str) -> list[tuple]:
    engine = create_engine(engine_url(db_url))
    try:
        with engine.connect() as connection:
            return list(connection.execute(text("select id, site_url, status, workers from audit_run order by id")))
    finally:
        engine.dispose()


def _stored_pages(db_url: str) -> int:
    engine = create_engine(engine_url(db_url))
    try:
        with engine.connect() as connection:
            return connection.execute(text("select count(*) from page")).scalar_one()
    except Exception:  # the schema is not there yet
        return 0
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def single(portals, tmp_path_factory):
    """Each portal audited alone by `govaudit audit` (one process, SQLite): the reference."""
    work = tmp_path_factory.mktemp("single")
    found = {}
    for site_id, (_name, url) in portals.items():
        done = govaudit(
            "audit",
            url,
            "--as-of",
            AS_OF,
            "--db",
            f"sqlite:///{work / site_id}.sqlite",
            "--out",
            str(work / site_id),
            "--quiet",
        )
        assert done.returncode == 0, done.stderr
        found[site_id] = _fingerprints(work / site_id / "findings.json")
    return found


@pytest.fixture(scope="module")
def cluster(portals, tmp_path_factory):
    """The three portals and a dead one queued twice (the second audit-all adds nothing) and audited by
    two workers."""
    redis_url = _redis()
    work = tmp_path_factory.mktemp("cluster")
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    with fresh_database("postgresql", work) as db_url:
        _register(work, {**portals, "5326250004": ("停用县人民政府", "http://127.0.0.4:9/")}, db_url)
        first = govaudit(
            "audit-all",
            "--as-of",
            AS_OF,
            "--db",
            db_url,
            "--redis",
            redis_url,
            "--redis-prefix",
            prefix,
            "--out",
            str(work / "runs"),
        )
        again = govaudit(
            "audit-all",
            "--as-of",
            AS_OF,
            "--db",
            db_url,
            "--redis",
            redis_url,
            "--redis-prefix",
            prefix,
            "--out",
            str(work / "runs"),
        )
        workers = [_worker(db_url, redis_url, prefix, name, "--until-idle") for name in ("w1", "w2")]
        logs = [worker.communicate(timeout=600) for worker in workers]
        codes = [worker.returncode for worker in workers]
        report = govaudit(
            "report",
            "--all",
            "--quarter",
            "2022Q3",
            "--db",
            db_url,
            "--out",
            str(work / "report"),
            "--format",
            "html,json",
        )
        yield work, first, again, codes, logs, report, _runs(db_url)


def test_two_workers_find_exactly_what_single_audits_find(single, cluster):
    work, first, again, codes, logs, report, runs = cluster
    assert first.returncode == 0 and first.stdout.count("已加入队列") == 4, first.stderr
    assert codes == [0, 0], logs
    assert report.returncode == 0, report.stderr
    for site_id, expected in single.items():
        assert expected, site_id
        assert _fingerprints(work / "report" / site_id / "findings.json") == expected, site_id


def test_the_same_quarter_queued_twice_is_audited_once(cluster):
    _, _, again, _, _, _, runs = cluster
    assert again.returncode == 0 and again.stdout.count("跳过") == 4
    assert [status for _, _, status, _ in runs] == ["done"] * 3 + ["unreachable"]


def test_the_work_is_shared_and_each_run_names_its_worker(cluster):
    *_, runs = cluster
    # The worker that audited the site first; the other one after it if it helped crawl the site.
    assert all(len(set(workers)) == len(workers) and set(workers) <= {"w1", "w2"} for *_, workers in runs)
    assert {workers[0] for *_, workers in runs} == {"w1", "w2"}


def test_an_unreachable_site_holds_up_no_other(cluster):
    work, *_, runs = cluster
    unreachable = json.loads((work / "report" / "5326250004" / "findings.json").read_text("utf-8"))
    assert [finding["rule"] for finding in unreachable] == ["site.unreachable"]


def test_the_combined_bulletin_renders_in_the_real_browser(cluster, tmp_path):
    work, *_, report, _ = cluster
    dumped = _headless(_chromium(), tmp_path / "profile", "--dump-dom", (work / "report" / "combined.html").as_uri())
    assert dumped.returncode == 0, dumped.stderr
    table = dumped.stdout[dumped.stdout.index("<table>") : dumped.stdout.index("</table>")]
    assert all(name in table for name in ("马关县人民政府", "天保县人民政府", "大汉县人民政府", "停用县人民政府"))
    assert "未能访问（待复测）" in table


def test_a_worker_killed_mid_crawl_is_taken_over_with_the_same_result(portals, single, tmp_path):
    redis_url = _redis()
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    demo = {"5326250001": portals["5326250001"]}
    with fresh_database("postgresql", tmp_path) as db_url:
        _register(tmp_path, demo, db_url)
        queued = govaudit(
            "audit-all",
            "--as-of",
            AS_OF,
            "--db",
            db_url,
            "--redis",
            redis_url,
            "--redis-prefix",
            prefix,
            "--out",
            str(tmp_path / "runs"),
        )
        assert queued.returncode == 0, queued.stderr
        doomed = _worker(db_url, redis_url, prefix, "doomed", "--lease", "4", log=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while _stored_pages(db_url) < 25 and doomed.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        doomed.send_signal(signal.SIGKILL)
        doomed.wait()
        [(_, _, status, workers)] = _runs(db_url)
        assert status == "running" and workers == ["doomed"], "the crawl ended before the worker could be killed"
        # The killed worker's audit died with it: nothing renews the lease, nothing writes any more.
        stored = _stored_pages(db_url)
        time.sleep(1)
        assert _stored_pages(db_url) == stored

        heir = _worker(db_url, redis_url, prefix, "heir", "--until-idle", "--lease", "4")
        _, log = heir.communicate(timeout=600)
        assert heir.returncode == 0, log
        assert "接手" in log and "doomed" in log
        [(run_id, _, status, workers)] = _runs(db_url)
        assert status == "done" and workers == ["doomed", "heir"]
        report = govaudit("report", "--all", "--quarter", "2022Q3", "--db", db_url, "--out", str(tmp_path / "report"))
        assert report.returncode == 0, report.stderr
        assert _fingerprints(tmp_path / "report" / "5326250001" / "findings.json") == single["5326250001"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_worker_waits_for_redis_and_says_so_once(tmp_path):
    _redis()
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server not installed: cannot start a Redis late")
    port = _free_port()
    worker = _worker(f"sqlite:///{tmp_path / 'db.sqlite'}", f"redis://127.0.0.1:{port}/0", "late", "w", "--until-idle")
    waiting = [worker.stderr.readline() for _ in range(2)]
    assert "Redis 暂时无法访问" in waiting[1], waiting
    time.sleep(3)  # a few retries, each silent
    redis_server = subprocess.Popen(
        [server, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        _, log = worker.communicate(timeout=60)
    finally:
        redis_server.terminate()
        redis_server.wait()
    assert worker.returncode == 0, log
    assert "暂时无法访问" not in log and "Redis 已恢复" in log
    assert "Traceback" not in log


class _CountingHandler(SimpleHTTPRequestHandler):
    """The sample portal, each answer a little late, counting the requests waiting at once."""

    lock = threading.Lock()
    active = most = served = 0

    def log_message(self, *args):
        pass

    def _counted(self, answer):
        # Counted while the request waits, before any byte of the answer: the client holds its slot
        # at least that long, however early it drops the connection or however late this thread
        # runs again after the last byte.
        cls = type(self)
        with cls.lock:
            cls.active += 1
            cls.served += 1
            cls.most = max(cls.most, cls.active)
        time.sleep(0.05)
        with cls.lock:
            cls.active -= 1
        answer()

    def do_GET(self):
        self._counted(super().do_GET)

    def do_HEAD(self):
        self._counted(super().do_HEAD)


def test_per_host_concurrency_holds_across_processes(tmp_path):
    """Two audits of one server at once, each allowed 2 requests at a time: the server never sees
    more than 2 in progress (each process alone would allow 2, together 4)."""
    redis_url = _redis()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_CountingHandler, directory=str(SAMPLE_PORTAL)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    try:
        audits = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "audit.cli",
                    "audit",
                    url,
                    "--as-of",
                    AS_OF,
                    "--quiet",
                    "--db",
                    f"sqlite:///{tmp_path / f'{number}.sqlite'}",
                    "--out",
                    str(tmp_path / str(number)),
                    "--concurrency",
                    "2",
                    "--redis",
                    redis_url,
                    "--redis-prefix",
                    prefix,
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for number in (1, 2)
        ]
        for audit in audits:
            _, log = audit.communicate(timeout=300)
            assert audit.returncode == 0, log
    finally:
        server.shutdown()
        server.server_close()
    assert _CountingHandler.served >= 100
    assert _CountingHandler.most == 2


def _stored_sqlite(db) -> int:
    import sqlite3

    try:
        with sqlite3.connect(db) as connection:
            return connection.execute("select count(*) from page").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_redis_restarted_without_its_data_mid_crawl_loses_nothing(portals, single, tmp_path):
    """Redis restarts empty while a site is crawled: the audit does not end as if the site were read
    whole; it stops resumable, and the same command again completes it with the same findings."""
    _redis()
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server not installed: cannot restart a Redis of the test's own")
    port = _free_port()
    start = [server, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]
    db = tmp_path / "audit.sqlite"
    command = [
        sys.executable,
        "-m",
        "audit.cli",
        "audit",
        portals["5326250001"][1],
        "--as-of",
        AS_OF,
        "--quiet",
        "--db",
        f"sqlite:///{db}",
        "--out",
        str(tmp_path / "out"),
        "--redis",
        f"redis://127.0.0.1:{port}/0",
    ]
    redis_server = subprocess.Popen(start, stdout=subprocess.DEVNULL)
    try:
        audit = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while _stored_sqlite(db) < 25 and audit.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        redis_server.kill()
        redis_server.wait()
        redis_server = subprocess.Popen(start, stdout=subprocess.DEVNULL)
        _, log = audit.communicate(timeout=300)
        assert audit.returncode == 1 and "丢失了待抓取队列" in log, log
        assert not (tmp_path / "out" / "findings.json").exists()
        again = subprocess.run(command, capture_output=True, text=True, timeout=300)
        assert again.returncode == 0, again.stderr
    finally:
        redis_server.kill()
        redis_server.wait()
    assert _fingerprints(tmp_path / "out" / "findings.json") == single["5326250001"]


def _pg_bin() -> str:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda path: [int(part) for part in re.findall(r"\d+", path)]
    )
    if not found:
        pytest.skip("PostgreSQL's programs are not installed: cannot restart a PostgreSQL of the test's own")
    return found[-1]


def _as_owner(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root: the cluster belongs to the postgres user then.
    return ["runuser", "-u", "postgres", "--", *command] if os.getuid() == 0 else command


def test_a_worker_waits_out_a_postgresql_restart_mid_crawl(portals, single):
    """PostgreSQL stops mid-crawl (an immediate shutdown, as a crash) and is back a few seconds later:
    the worker retries with growing pauses, resumes the run from what was committed, and the site's
    findings equal a single audit's."""
    redis_url = _redis()
    pg_bin = _pg_bin()
    folder = tempfile.mkdtemp(prefix="govaudit-pg-restart-")
    if os.getuid() == 0:
        shutil.chown(folder, "postgres")
    data, port = os.path.join(folder, "data"), _free_port()
    control = [
        f"{pg_bin}/pg_ctl",
        "-D",
        data,
        "-l",
        os.path.join(folder, "server.log"),
        "-w",
        "-o",
        f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off",
    ]
    subprocess.run(
        _as_owner([f"{pg_bin}/initdb", "-D", data, "-U", "govaudit", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]),
        check=True,
        capture_output=True,
    )
    subprocess.run(_as_owner([*control, "start"]), check=True, capture_output=True)
    try:
        admin = create_engine(
            engine_url(f"postgresql://govaudit@127.0.0.1:{port}/postgres"), isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as connection:
            connection.execute(text('CREATE DATABASE "audit"'))
        admin.dispose()
        db_url = f"postgresql://govaudit@127.0.0.1:{port}/audit"
        prefix = f"test-{uuid.uuid4().hex[:8]}"
        work = pathlib.Path(folder)
        _register(work, {"5326250001": portals["5326250001"]}, db_url)
        queued = govaudit(
            "audit-all",
            "--as-of",
            AS_OF,
            "--db",
            db_url,
            "--redis",
            redis_url,
            "--redis-prefix",
            prefix,
            "--out",
            str(work / "runs"),
        )
        assert queued.returncode == 0, queued.stderr
        worker = _worker(db_url, redis_url, prefix, "w", "--until-idle", "--lease", "4")
        deadline = time.monotonic() + 120
        while _stored_pages(db_url) < 25 and worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        subprocess.run(_as_owner([*control, "-m", "immediate", "stop"]), check=True, capture_output=True)
        [(_, _, status, _)] = _runs_when_up(db_url, control)
        assert status == "running", "the crawl ended before PostgreSQL could be stopped"
        _, log = worker.communicate(timeout=600)
        assert worker.returncode == 0, log
        # Whichever store call met the outage says so in one line (no traceback); the worker tries again.
        assert "Traceback" not in log and "重试" in log, log
        runs = _runs(db_url)
        assert [status for _, _, status, _ in runs] == ["done"], runs
        report = govaudit("report", "--all", "--quarter", "2022Q3", "--db", db_url, "--out", str(work / "report"))
        assert report.returncode == 0, report.stderr
        assert _fingerprints(work / "report" / "5326250001" / "findings.json") == single["5326250001"]
    finally:
        subprocess.run(_as_owner([*control, "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def _runs_when_up(db_url: str, control: list[str]) -> list[tuple]:
    """PostgreSQL started again after three seconds down; the runs it holds then."""
    time.sleep(3)
    subprocess.run(_as_owner([*control, "start"]), check=True, capture_output=True)
    return _runs(db_url)
