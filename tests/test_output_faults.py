"""Outputs that cannot be written: an unusable --out is refused before the crawl (exit 2); a full
disk on the output folder (a real 1 MB tmpfs) gives one line and exit 4 — not the database's exit 1 —
and leaves the previous outputs byte for byte; a write cut short never leaves a partial file."""

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from portal_kit import govaudit

from audit.cli.demo.server import SAMPLE_PORTAL, serve_portal
from reports.files import OutputError, atomic_path, write_text

OUTPUTS = ("bulletin.html", "technical.html", "findings.json", "findings.xlsx", "findings.csv")


def test_an_unusable_out_folder_is_refused_before_the_crawl(tmp_path):
    (tmp_path / "a-file").write_text("x")
    with serve_portal(SAMPLE_PORTAL) as portal:
        done = govaudit(
            "audit",
            portal.base_url,
            "--out",
            str(tmp_path / "a-file" / "out"),
            "--quiet",
            "--db",
            f"sqlite:///{tmp_path / 'a.sqlite'}",
        )
    assert done.returncode == 2
    assert "输出目录不可写" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    # Refused before any run was started.
    with sqlite3.connect(tmp_path / "a.sqlite") as conn:
        assert conn.execute("select count(*) from audit_run").fetchone() == (0,)


def _can_mount_tmpfs() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _can_mount_tmpfs(), reason="needs unshare -rm to mount a small tmpfs")
def test_a_full_output_disk_keeps_the_previous_outputs(tmp_path):
    mount, saved = tmp_path / "disk", tmp_path / "saved"
    mount.mkdir()
    db = f"sqlite:///{tmp_path / 'a.sqlite'}"
    with serve_portal(SAMPLE_PORTAL) as portal:
        audit = [
            sys.executable,
            "-m",
            "audit.cli",
            "audit",
            portal.base_url,
            "--as-of",
            "2022-10-15",
            "--quiet",
            "--format",
            "html,json,xlsx,csv",
            "--out",
            f"{mount}/out",
            "--db",
            db,
        ]
        # In a private mount namespace: a 1 MB disk for the outputs only (the database is elsewhere).
        script = (
            'set -e; mount -t tmpfs -o size=1m tmpfs "$DISK"; "$@"; cp -a "$DISK/out" "$SAVED"; '
            'dd if=/dev/zero of="$DISK/filler" bs=4k 2>/dev/null || true; set +e; "$@" 2>"$DISK/../stderr"; '
            'echo $? > "$DISK/../rc"; cmp -s "$DISK/out/bulletin.html" "$SAVED/bulletin.html" && '
            'cmp -s "$DISK/out/findings.json" "$SAVED/findings.json" && '
            'cmp -s "$DISK/out/findings.xlsx" "$SAVED/findings.xlsx" && '
            'cmp -s "$DISK/out/findings.csv" "$SAVED/findings.csv" && echo same > "$DISK/../same"; '
            'ls -A "$DISK/out" > "$DISK/../listing"; ls -A "$DISK/out/evidence" > "$DISK/../kept"'
        )
        done = subprocess.run(
            ["unshare", "-rm", "sh", "-c", script, "sh", *audit],
            capture_output=True,
            text=True,
            timeout=600,
            env={
                "DISK": str(mount),
                "SAVED": str(saved),
                "PATH": "/usr/bin:/bin",
                "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
            },
        )
    assert done.returncode == 0, done.stderr
    assert all((saved / name).stat().st_size > 100 for name in OUTPUTS)
    assert (tmp_path / "rc").read_text().strip() == "4"
    stderr = (tmp_path / "stderr").read_text()
    assert "磁盘空间不足" in stderr and "Traceback" not in stderr
    assert (tmp_path / "same").exists(), "the earlier outputs were changed"
    # No temporary file left, beside the outputs or among the kept copies of the pages (evidence/).
    assert sorted((tmp_path / "listing").read_text().split()) == sorted((*OUTPUTS, "evidence"))
    kept = (tmp_path / "kept").read_text().split()
    assert kept and all(re.fullmatch(r"page-[0-9a-f]{12}\.html", name) for name in kept)


def test_a_write_cut_short_leaves_the_old_file(tmp_path):
    target = tmp_path / "bulletin.html"
    write_text(target, "旧的完整通报")

    class Killed(BaseException):
        pass

    with pytest.raises(Killed):
        with atomic_path(target) as temporary:
            temporary.write_text("新的通报写到一半")
            raise Killed
    assert target.read_text() == "旧的完整通报"
    assert [p.name for p in tmp_path.iterdir()] == ["bulletin.html"]
    with pytest.raises(OutputError):
        write_text(tmp_path / "missing-folder" / "x.html", "x")
    assert Path(tmp_path / "missing-folder").exists() is False
