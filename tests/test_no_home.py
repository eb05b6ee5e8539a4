"""A user with no usable home (HOME unset, or not a writable folder — a service account, a cron
job with a bare environment): the audit leaves nothing behind in the temporary directory but one
cache folder of its own, reused by every run (each run used to leave the jieba cache and phrase
variants, 10 MB). Real `govaudit demo` runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from crawler.reading.browser import find_chromium


@pytest.mark.parametrize("home", [None, "/dev/null"])
def test_no_usable_home_leaves_no_temporary_folders(tmp_path, home):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {name: value for name, value in os.environ.items() if name not in ("HOME", "XDG_CACHE_HOME")}
    env["TMPDIR"] = str(scratch)
    if home is not None:
        env["HOME"] = home
    left = []
    for number in (1, 2):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "audit.cli",
                "demo",
                "--out",
                str(tmp_path / f"out{number}"),
                "--quiet",
                "--format",
                "html,json",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert (tmp_path / f"out{number}" / "bulletin.html").stat().st_size > 10_000
        left.append(sorted(path.name for path in scratch.iterdir()))
    # The same one folder after the first run and after the second (without a usable home,
    # Python's home lookup falls back to the account's entry: then nothing at all is left here).
    assert left[0] == left[1] and set(left[1]) <= {f"govaudit-cache-{os.getuid()}"}, left


@pytest.mark.skipif(find_chromium() is None, reason="Chromium is not installed")
def test_printing_without_a_home_leaves_no_chromium_folder(tmp_path):
    """Chromium's crash reporter keeps a database in its config folder whatever the profile: without
    a usable HOME that used to be a new `.config/chromium` in the temporary directory each print."""
    # A short temporary directory, as /tmp is: Chromium's socket paths must fit in 108 bytes.
    scratch = Path(tempfile.mkdtemp(prefix="nohome-", dir="/tmp"))
    page = tmp_path / "bulletin.html"
    page.write_text("<html><body><h1>关于2022年第三季度政府网站监测情况的通报</h1></body></html>", encoding="utf-8")
    env = {name: value for name, value in os.environ.items() if name not in ("HOME", "XDG_CONFIG_HOME")}
    env["TMPDIR"] = str(scratch)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from reports.pdf import print_pdf; "
            "print_pdf(Path(sys.argv[1]), Path(sys.argv[2]))",
            str(page),
            str(tmp_path / "bulletin.pdf"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "bulletin.pdf").read_bytes().startswith(b"%PDF")
    left = sorted(path.name for path in scratch.iterdir())
    shutil.rmtree(scratch)
    assert left == []
