"""Printing the PDF and taking screenshots look up no name (issue 27, item 13): the real print_pdf and
screenshot run in a network namespace made by the test (loopback only) whose resolv.conf points at a
stub on 127.0.0.1:53 recording every query (tests/dns_probe.py). The page printed is hostile — links,
dns-prefetch and preconnect hints and an image on named hosts, no CSP — and Chromium with the flags
govaudit used before looked up www.google.com and clients2.google.com (its background services)
besides the page's hosts; the control below shows the recorder sees such lookups."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_bulletin import _chromium

ROOT = Path(__file__).resolve().parents[1]
PROBE = ROOT / "tests" / "dns_probe.py"
HOSTILE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>通报</title>
<link rel="dns-prefetch" href="//prefetch.ceshixian.gov.cn"><link rel="preconnect" href="https://preconnect.ceshixian.gov.cn">
</head><body><h1>关于2022年第三季度政府网站监测情况的通报</h1>
<p><a href="http://www.ceshixian.gov.cn/xxgk/1.html">低保公示</a> <a href="https://zwgk.ceshixian.gov.cn/">政务公开</a></p>
<img src="http://img.ceshixian.gov.cn/logo.png" alt="标志"></body></html>"""
# The flags govaudit started Chromium with before issue 27.
OLD_FLAGS = [
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-sandbox",
]


def _namespaces() -> None:
    try:
        made = subprocess.run(["unshare", "-r", "-n", "-m", "true"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        made = False
    if not made:
        if os.environ.get("CI"):
            pytest.fail("CI needs unshare (util-linux) with user and network namespaces")
        pytest.skip("cannot make a network namespace here (unshare -r -n -m)")


def _lookups(tmp_path: Path, *command: str) -> list[str]:
    """The names looked up while `command` ran in a namespace with nothing but loopback."""
    record = tmp_path / "queries.txt"
    done = subprocess.run(
        ["unshare", "-r", "-n", "-m", sys.executable, str(PROBE), str(record), "--", *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return [name for name in record.read_text().splitlines() if name]


@pytest.fixture
def page(tmp_path):
    _chromium()
    _namespaces()
    path = tmp_path / "bulletin.html"
    path.write_text(HOSTILE, encoding="utf-8")
    return path


def test_the_recorder_sees_what_chromium_looks_up_with_the_old_flags(page, tmp_path):
    names = _lookups(
        tmp_path,
        _chromium(),
        *OLD_FLAGS,
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--print-to-pdf={tmp_path / 'old.pdf'}",
        page.as_uri(),
    )
    assert "img.ceshixian.gov.cn" in names


def test_printing_the_pdf_looks_up_no_name(page, tmp_path):
    pdf = tmp_path / "bulletin.pdf"
    names = _lookups(
        tmp_path,
        sys.executable,
        "-c",
        "import sys; from pathlib import Path; from reports.pdf import print_pdf; "
        "print_pdf(Path(sys.argv[1]), Path(sys.argv[2]))",
        str(page),
        str(pdf),
    )
    assert names == []
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000


def test_a_screenshot_looks_up_no_name(page, tmp_path):
    shot = tmp_path / "shot.png"
    names = _lookups(
        tmp_path,
        sys.executable,
        "-c",
        "import sys; from pathlib import Path; from reports.screenshots import screenshot; "
        "png = screenshot(sys.argv[1], Path(sys.argv[2]), 60); Path(sys.argv[3]).write_bytes(png)",
        _chromium(),
        str(page),
        str(shot),
    )
    assert names == []
    assert shot.read_bytes().startswith(b"\x89PNG")
