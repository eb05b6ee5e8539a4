"""Running govaudit without a person watching: `demo --serve` as a stand-in portal, `scrapy crawl`
typed by hand, log files, `schedule` and the notify hook — through the real CLI, real loopback
HTTP and real shell commands."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from portal_kit import govaudit

REPO = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve_demo(port: int) -> tuple[subprocess.Popen, str]:
    """`govaudit demo --serve --port PORT` running, and the URL it printed."""
    server = subprocess.Popen([sys.executable, "-m", "audit.cli", "demo", "--serve", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = server.stdout.readline()
    assert "sample portal" in first, server.stderr.read() if server.poll() is not None else first
    return server, first.split(": ", 1)[1].split("（")[0]


@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 0)])
def test_demo_serve_keeps_the_sample_portal_up_until_stopped(signum, code):
    port = _free_port()
    server, url = _serve_demo(port)
    try:
        assert url == f"http://127.0.0.1:{port}/"
        with urllib.request.urlopen(url, timeout=10) as home:
            assert home.status == 200 and "马关县人民政府" in home.read().decode("utf-8")
        # The port is taken: a second server says so in one line.
        taken = govaudit("demo", "--serve", "--port", str(port))
        assert taken.returncode == 2 and "try another --port" in taken.stderr
        assert len(taken.stderr.strip().splitlines()) == 1 and "Traceback" not in taken.stderr
        server.send_signal(signum)
        _, stderr = server.communicate(timeout=20)
    finally:
        if server.poll() is None:
            server.kill()
    assert server.returncode == code and "Traceback" not in stderr and "stopped" in stderr
    with pytest.raises(OSError):
        urllib.request.urlopen(url, timeout=5)


def test_demo_port_without_serve_is_a_usage_error():
    done = govaudit("demo", "--port", "8000")
    assert done.returncode == 2 and "--serve" in done.stderr


@pytest.mark.parametrize("args", [[], ["-a", "url=ftp://www.example.gov.cn/"], ["-a", "url=http://127.0.0.1:99999/"]])
def test_scrapy_crawl_without_a_usable_url_prints_usage(args, tmp_path):
    env = {**os.environ, "GOVAUDIT_DB": f"sqlite:///{tmp_path / 'unused.sqlite'}"}
    done = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "portal", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "usage: scrapy crawl portal -a url=" in done.stderr
    assert "Traceback" not in done.stderr and "TypeError" not in done.stderr
