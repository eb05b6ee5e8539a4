"""An audit killed (SIGKILL) mid-crawl and started again with the same command resumes the same
run, and what it stores equals what an uninterrupted audit stores."""

import functools
import json
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from portal_kit import signal_when_stored
from stored_views import readable

from audit.cli.demo.server import SAMPLE_PORTAL


class _SlowHandler(SimpleHTTPRequestHandler):
    """The sample portal, each answer a little late, so there is a 'mid-crawl' to kill in."""

    def log_message(self, *args):
        pass

    served: list[str] = []

    def do_GET(self):
        self.served.append(self.path)
        time.sleep(0.1)
        super().do_GET()


@pytest.fixture
def slow_portal():
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_SlowHandler, directory=str(SAMPLE_PORTAL)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def _command(base_url, db, out):
    return [
        sys.executable,
        "-m",
        "audit.cli",
        "audit",
        base_url,
        "--as-of",
        "2022-10-15",
        "--quiet",
        "--out",
        str(out),
        "--db",
        f"sqlite:///{db}",
    ]


def _stored(db, base_url):
    strip = lambda url: url.replace(base_url, "/")  # noqa: E731
    with readable(sqlite3.connect(db)) as conn:
        [(run_id, status)] = conn.execute("select id, status from audit_run").fetchall()
        pages = {(strip(url), status_code) for url, status_code in conn.execute("select url, status from page")}
        links = {(strip(a), strip(b), tag) for a, b, tag in conn.execute("select from_url, to_url, tag from link")}
        items = {(strip(p), strip(u), d) for p, u, d in conn.execute("select page_url, url, date from list_item")}
        members = {(c, strip(u), r) for c, u, r in conn.execute('select "column", url, role from column_page')}
        checks = {(strip(u), s) for u, s in conn.execute("select url, status from link_check")}
    return status, pages, links, items, members, checks


def _findings(out, base_url):
    return {
        (f["rule"], f["url"].replace(base_url, "/"), f["column"])
        for f in json.loads((out / "findings.json").read_text("utf-8"))
    }


def test_killed_run_resumes_to_the_same_result(slow_portal, tmp_path):
    killed_db, whole_db = tmp_path / "killed.sqlite", tmp_path / "whole.sqlite"
    crawl = subprocess.Popen(
        _command(slow_portal, killed_db, tmp_path / "out1"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    stored = signal_when_stored(crawl, killed_db, 25, signal.SIGKILL)
    crawl.wait(timeout=30)
    assert crawl.returncode == -signal.SIGKILL, "the crawl ended before it could be killed"
    with sqlite3.connect(killed_db) as conn:
        assert conn.execute("select status from audit_run").fetchone() == ("running",)

    before = len(_SlowHandler.served)
    resumed = subprocess.run(
        _command(slow_portal, killed_db, tmp_path / "out1"), capture_output=True, text=True, timeout=300
    )
    assert resumed.returncode == 0, resumed.stderr
    fetched_on_resume = len(_SlowHandler.served) - before
    before = len(_SlowHandler.served)
    whole = subprocess.run(
        _command(slow_portal, whole_db, tmp_path / "out2"), capture_output=True, text=True, timeout=300
    )
    assert whole.returncode == 0, whole.stderr
    # What the killed run had stored was read back, not fetched again.
    assert fetched_on_resume <= len(_SlowHandler.served) - before - stored + 5

    resumed_state, whole_state = _stored(killed_db, slow_portal), _stored(whole_db, slow_portal)
    assert resumed_state[0] == whole_state[0] == "done"
    for got, expected in zip(resumed_state[1:], whole_state[1:]):
        assert got == expected
    assert _findings(tmp_path / "out1", slow_portal) == _findings(tmp_path / "out2", slow_portal)
