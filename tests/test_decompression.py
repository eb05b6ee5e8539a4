"""Decompression bombs (issue 27, item 1): a ~5 KB answer encoded twice inflates to 1 GB. The crawler
decodes every layer on a bound, records such a page as not read, and finishes the audit in little
memory; an ordinary big page sent compressed is cut at the page cap and read, as a plain one is."""

import os
import resource
import sqlite3
import subprocess
import sys
import time

import pytest
from hostile_server import bomb_portal

# An ordinary audit of this small portal peaks near 200 MB (the crawler, its reader processes are
# separate); decoding the bombs whole needed over 2 GB. The audit runs under an address-space limit so
# a regression fails here instead of taking the machine's memory.
PEAK_RSS_MB = 600
ADDRESS_SPACE_LIMIT = 3 * 1024**3


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_LIMIT, resource.RLIM_INFINITY))


@pytest.fixture(scope="module")
def bombed(tmp_path_factory):
    work = tmp_path_factory.mktemp("bombs")
    with bomb_portal() as server:
        started = time.monotonic()
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "audit.cli",
                "audit",
                server.base_url,
                "--as-of",
                "2022-10-15",
                "--quiet",
                "--out",
                str(work / "out"),
                "--db",
                f"sqlite:///{work / 'b.sqlite'}",
                "--timeout",
                "5",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=_limit_memory,
        )
        stdout, stderr = process.communicate(timeout=300)
        elapsed = time.monotonic() - started
        base = server.base_url
    return {
        "returncode": process.returncode,
        "stderr": stderr,
        "elapsed": elapsed,
        "base": base,
        "db": sqlite3.connect(work / "b.sqlite"),
        "out": work / "out",
    }


def _peak_rss_mb(command: list[str]) -> tuple[int, float, int]:
    """Run `command` as a child; (exit code, seconds, peak RSS in MB of the child or of the largest of
    its own children, the reader processes)."""
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=_limit_memory)
    _, status, usage = os.wait4(process.pid, 0)
    return os.waitstatus_to_exitcode(status), time.monotonic() - started, usage.ru_maxrss // 1024


def test_a_bomb_page_is_recorded_unread_and_the_audit_finishes(bombed):
    assert bombed["returncode"] == 0, bombed["stderr"][-2000:]
    assert "Traceback" not in bombed["stderr"] and "MemoryError" not in bombed["stderr"]
    assert (bombed["out"] / "findings.json").exists()
    assert bombed["db"].execute("select status from audit_run").fetchall() == [("done",)]
    rows = {
        url.removeprefix(bombed["base"]): (unread, text)
        for url, unread, text in bombed["db"].execute("select url, unread, text from page")
    }
    for bomb in ("gzip-gzip.html", "gzip-deflate.html", "files/bomb.pdf"):
        unread, text = rows[bomb]
        assert unread == "未能读取（过大）", bomb
        assert not text, bomb
    # Trap: a small page encoded twice is an ordinary page, read as served.
    assert rows["small-gzip-gzip.html"][0] is None and "内容正常" in rows["small-gzip-gzip.html"][1]
    assert rows["ok.html"][0] is None


def test_a_big_ordinary_page_sent_compressed_is_cut_and_read(bombed):
    truncated, unread, text = (
        bombed["db"].execute("select truncated, unread, text from page where url like '%big-gzip.html'").fetchone()
    )
    assert truncated == 1 and unread is None
    assert "第0段：" in text
    # Cut at the page cap (5 MB of an 8 MB page), not read whole.
    assert "第40000段：" in text and "第60000段：" not in text


def test_the_audit_of_a_bombed_portal_stays_small(tmp_path):
    with bomb_portal() as server:
        code, seconds, peak_mb = _peak_rss_mb(
            [
                sys.executable,
                "-m",
                "audit.cli",
                "audit",
                server.base_url,
                "--as-of",
                "2022-10-15",
                "--quiet",
                "--out",
                str(tmp_path / "out"),
                "--db",
                f"sqlite:///{tmp_path / 'b.sqlite'}",
                "--timeout",
                "5",
            ]
        )
    print(f"bombed portal: exit {code}, {seconds:.1f} s, peak RSS {peak_mb} MB")
    assert code == 0
    assert peak_mb < PEAK_RSS_MB
    assert seconds < 120


def test_each_layer_is_decoded_on_a_bound():
    from hostile_server import _gzip, bomb_layer

    from crawler.crawl.middlewares import decode_bounded

    body, more = decode_bounded(_gzip(bomb_layer(64)), [b"gzip", b"gzip"], 1024 * 1024)
    assert more and len(body) <= 1024 * 1024
    body, more = decode_bounded(bomb_layer(2), [b"gzip"], 4 * 1024 * 1024)
    assert not more and len(body) > 2 * 1024 * 1024 and body.startswith(b"<!DOCTYPE html>")
