"""One site, many workers: a worker with no site to take helps the worker auditing one, fetching and
storing that site's queued requests while the owner keeps every decision of the crawl. The findings
equal a single-process audit — also when the helper is SIGKILLed holding requests (its leases expire
and the owner puts them back). Real Redis, real PostgreSQL, real HTTP on loopback."""

from __future__ import annotations

import functools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import redis
from databases import fresh_database
from portal_kit import govaudit
from sqlalchemy import create_engine, text
from test_cluster import AS_OF, _fingerprints, _redis, _register, _runs, _worker

from audit.store.store import engine_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from benchmark import generate  # noqa: E402

PAGES = 300


class _SlowHandler(SimpleHTTPRequestHandler):
    """A server a little slow to answer, as real portals are: the crawl lasts long enough for a
    second worker to join it, without costing the machine CPU."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        time.sleep(0.1)
        super().do_GET()

    def do_HEAD(self):
        time.sleep(0.1)
        super().do_HEAD()


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    """A generated portal of a few hundred pages (scripts/benchmark.py), big enough to be shared."""
    root = tmp_path_factory.mktemp("portal")
    generate(root, PAGES, 2031)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_SlowHandler, directory=str(root)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield {"5326250101": ("共享县人民政府", f"http://127.0.0.1:{server.server_address[1]}/")}
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def single(portal, tmp_path_factory):
    """The portal audited by one `govaudit audit` process (SQLite): the reference."""
    work = tmp_path_factory.mktemp("single")
    [(_name, url)] = portal.values()
    done = govaudit(
        "audit",
        url,
        "--as-of",
        AS_OF,
        "--db",
        f"sqlite:///{work / 'single.sqlite'}",
        "--out",
        str(work / "out"),
        "--quiet",
    )
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(work / "single.sqlite") as connection:
        pages = connection.execute("select count(*) from page").fetchone()[0]
    found = _fingerprints(work / "out" / "findings.json")
    assert found and pages > PAGES
    return found, pages


def _pages(db_url: str) -> int:
    engine = create_engine(engine_url(db_url))
    try:
        with engine.connect() as connection:
            return connection.execute(text("select count(*) from page")).scalar_one()
    finally:
        engine.dispose()


def _helped(log: str) -> int:
    """How many answers the worker's helper children say they fetched."""
    return sum(
        int(line.split("抓取 ")[1].split(" ")[0])
        for line in log.splitlines()
        if "协助检查 " in line and "抓取 " in line
    )


def _audit(portal, work: Path, db_url: str, redis_url: str, prefix: str) -> None:
    _register(work, portal, db_url)
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


def _report(work: Path, db_url: str) -> set[str]:
    report = govaudit("report", "--all", "--quarter", "2022Q3", "--db", db_url, "--out", str(work / "report"))
    assert report.returncode == 0, report.stderr
    return _fingerprints(work / "report" / "5326250101" / "findings.json")


def _done_as_single(db_url: str, work: Path, single, workers: list[str], log: str) -> None:
    [(_, _, status, run_workers)] = _runs(db_url)
    assert status == "done" and run_workers == workers, log
    assert _pages(db_url) == single[1]
    assert _report(work, db_url) == single[0]


def _holding_the_job(worker: subprocess.Popen, redis_url: str, prefix: str) -> subprocess.Popen:
    """The worker started first, once it holds the site's job (so the next one, finding none, helps)."""
    client, deadline = redis.Redis.from_url(redis_url), time.monotonic() + 60
    while not client.zcard(f"{prefix}:leased") and time.monotonic() < deadline:
        time.sleep(0.05)
    return worker


def test_two_workers_share_one_site_and_find_what_one_audit_finds(portal, single, tmp_path):
    redis_url = _redis()
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    with fresh_database("postgresql", tmp_path) as db_url:
        _audit(portal, tmp_path, db_url, redis_url, prefix)
        owner = _holding_the_job(_worker(db_url, redis_url, prefix, "w1", "--until-idle"), redis_url, prefix)
        helper = _worker(db_url, redis_url, prefix, "w2", "--until-idle")
        logs = [worker.communicate(timeout=600)[1] for worker in (owner, helper)]
        assert [owner.returncode, helper.returncode] == [0, 0], logs
        assert _helped(logs[1]) > 0, logs[1]
        _done_as_single(db_url, tmp_path, single, ["w1", "w2"], "\n".join(logs))
        # Nothing of the run is left in Redis: queue, leases, notices, the advertisement.
        assert not redis.Redis.from_url(redis_url).keys(f"{prefix}:run:*")
        assert not redis.Redis.from_url(redis_url).hgetall(f"{prefix}:joinable")


def _killable_worker(db_url: str, redis_url: str, prefix: str, name: str, *args: str) -> subprocess.Popen:
    """A worker in a process group of its own, so that it and its child can be SIGKILLed at once."""
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
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _kill_once_leased(doomed: subprocess.Popen, client: redis.Redis, prefix: str) -> None:
    """SIGKILL the doomed worker and its child once the run's helper holds requests (the owner takes
    requests without a lease: leases are a helper's)."""
    deadline, leased = time.monotonic() + 120, 0
    while time.monotonic() < deadline and doomed.poll() is None and not leased:
        runs = [json.loads(advert)["keys"] for advert in client.hgetall(f"{prefix}:joinable").values()]
        leased = client.zcard(f"{runs[0]}:leases") if runs else 0
        time.sleep(0.02)
    os.killpg(doomed.pid, signal.SIGKILL)
    doomed.wait()
    assert leased, "the crawl ended before the helper took a request"


def test_a_helper_killed_holding_requests_loses_none(portal, single, tmp_path):
    redis_url = _redis()
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    with fresh_database("postgresql", tmp_path) as db_url:
        _audit(portal, tmp_path, db_url, redis_url, prefix)
        owner = _holding_the_job(_worker(db_url, redis_url, prefix, "w1", "--until-idle"), redis_url, prefix)
        _kill_once_leased(
            _killable_worker(db_url, redis_url, prefix, "doomed"), redis.Redis.from_url(redis_url), prefix
        )
        # The helper's leases expire and the owner puts their requests back in the queue.
        _, log = owner.communicate(timeout=600)
        assert owner.returncode == 0, log
        _done_as_single(db_url, tmp_path, single, ["w1", "doomed"], log)


def test_an_owner_killed_while_helped_is_taken_over_with_what_the_helper_stored(portal, single, tmp_path):
    redis_url = _redis()
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    with fresh_database("postgresql", tmp_path) as db_url:
        _audit(portal, tmp_path, db_url, redis_url, prefix)
        doomed = _holding_the_job(
            _killable_worker(db_url, redis_url, prefix, "doomed", "--lease", "4"), redis_url, prefix
        )
        heir = _worker(db_url, redis_url, prefix, "heir", "--until-idle", "--lease", "4")
        _kill_once_leased(doomed, redis.Redis.from_url(redis_url), prefix)
        # The helper stops once the owner is presumed gone; its worker then takes the site over.
        _, log = heir.communicate(timeout=600)
        assert heir.returncode == 0, log
        assert "协助检查" in log and "接手" in log
        _done_as_single(db_url, tmp_path, single, ["doomed", "heir"], log)


def test_a_re_audit_shared_between_workers_reuses_unchanged_pages_as_one_process_does(portal, tmp_path):
    """The next quarter's audit asks for the pages conditionally: what the helper gets answered 304
    is taken over from the last audit and followed by the owner as a page it read."""
    redis_url = _redis()
    [(_name, url)] = portal.values()
    reference = f"sqlite:///{tmp_path / 'single.sqlite'}"
    for as_of in (AS_OF, "2023-01-10"):
        done = govaudit("audit", url, "--as-of", as_of, "--db", reference, "--out", str(tmp_path / as_of), "--quiet")
        assert done.returncode == 0, done.stderr
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    with fresh_database("postgresql", tmp_path) as db_url:
        _register(tmp_path, portal, db_url)
        done = govaudit("audit", url, "--as-of", AS_OF, "--db", db_url, "--out", str(tmp_path / "q3"), "--quiet")
        assert done.returncode == 0, done.stderr
        queued = govaudit(
            "audit-all",
            "--as-of",
            "2023-01-10",
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
        owner = _holding_the_job(_worker(db_url, redis_url, prefix, "w1", "--until-idle"), redis_url, prefix)
        helper = _worker(db_url, redis_url, prefix, "w2", "--until-idle")
        logs = [worker.communicate(timeout=600)[1] for worker in (owner, helper)]
        assert [owner.returncode, helper.returncode] == [0, 0], logs
        assert _helped(logs[1]) > 0, logs[1]
        engine = create_engine(engine_url(db_url))
        with engine.connect() as connection:
            reused = connection.execute(text("select count(*) from page where run_id = 2 and not_modified")).scalar()
        engine.dispose()
        assert reused > PAGES / 2
        report = govaudit("report", "--all", "--quarter", "2022Q4", "--db", db_url, "--out", str(tmp_path / "report"))
        assert report.returncode == 0, report.stderr
        expected = _fingerprints(tmp_path / "2023-01-10" / "findings.json")
        assert expected and _fingerprints(tmp_path / "report" / "5326250101" / "findings.json") == expected
