"""The evidence package of a run through the real path (issue 26): the demo portal served on 127.0.0.1
with ETag and Last-Modified, audited by the CLI into every distributed format, `govaudit evidence` run
under umask 000, the zip unpacked by the real `unzip` and checked by the real `sha256sum -c`."""

import hashlib
import io
import json
import os
import re
import stat
import subprocess
import sys
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from portal_kit import govaudit

from audit.cli.demo.server import SAMPLE_PORTAL, PortalServer

DEMO_CONFIG = str(Path(__file__).resolve().parents[1] / "audit" / "cli" / "demo" / "county.yaml")
# The resident ID number the demo's 低保 page publishes in full.
PERSON = "532625195807141014"
DIBAO = "/xxgk/gsgg/202209/t20220930_1101.html"


@pytest.fixture(scope="module")
def packaged(tmp_path_factory):
    work = tmp_path_factory.mktemp("evidence")
    db_url = f"sqlite:///{work / 'audit.sqlite'}"
    with PortalServer(SAMPLE_PORTAL, validators=True) as portal:
        audited = govaudit(
            "audit",
            portal.base_url,
            "--as-of",
            "2022-10-15",
            "--config",
            DEMO_CONFIG,
            "--format",
            "html,docx,xlsx,csv,json",
            "--out",
            str(work / "out"),
            "--db",
            db_url,
            "--quiet",
        )
        # The next quarter's run of the same site finds the same problem (show lists both copies).
        next_quarter = govaudit(
            "audit",
            portal.base_url,
            "--as-of",
            "2023-01-15",
            "--config",
            DEMO_CONFIG,
            "--out",
            str(work / "q4"),
            "--db",
            db_url,
            "--quiet",
        )
        base_url = portal.base_url
    assert audited.returncode == 0, audited.stderr
    assert next_quarter.returncode == 0, next_quarter.stderr
    done = _govaudit_under_umask_000(f"evidence 1 --out {work / 'package'} --db {db_url} --config {DEMO_CONFIG}")
    assert done.returncode == 0, done.stderr
    unpacked = work / "unpacked"
    unzip = subprocess.run(["unzip", "-q", str(work / "package" / "evidence-1.zip"), "-d", str(unpacked)])
    assert unzip.returncode == 0
    return work, db_url, base_url, done, unpacked


def _govaudit_under_umask_000(arguments: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """govaudit run with umask 000: what it writes private is private whatever the umask."""
    command = f"umask 000 && {sys.executable} -m audit.cli {arguments}"
    return subprocess.run(command, shell=True, capture_output=True, text=True, cwd=cwd, timeout=300)


def _entry(unpacked: Path, url: str) -> dict:
    manifest = json.loads((unpacked / "manifest.json").read_text("utf-8"))
    return next(entry for entry in manifest["pages"] if entry["url"] == url)


def test_manifest_verifies_with_sha256sum(packaged):
    _, _, _, done, unpacked = packaged
    checked = subprocess.run(["sha256sum", "-c", "MANIFEST.sha256"], cwd=unpacked, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    listed = {line.split("  ", 1)[1] for line in (unpacked / "MANIFEST.sha256").read_text("utf-8").splitlines()}
    on_disk = {str(path.relative_to(unpacked)) for path in unpacked.rglob("*") if path.is_file()}
    assert listed == on_disk - {"MANIFEST.sha256"}
    assert "0600" in done.stdout and "evidence-1.zip" in done.stdout


def test_one_changed_byte_fails_the_check(packaged, tmp_path):
    work, _, base_url, _, unpacked = packaged
    tampered = tmp_path / "tampered"
    subprocess.run(["unzip", "-q", str(work / "package" / "evidence-1.zip"), "-d", str(tampered)], check=True)
    original = tampered / _entry(unpacked, base_url.rstrip("/") + DIBAO)["original"]
    body = bytearray(original.read_bytes())
    body[-20] ^= 0x01
    original.write_bytes(bytes(body))
    checked = subprocess.run(["sha256sum", "-c", "MANIFEST.sha256"], cwd=tampered, capture_output=True, text=True)
    assert checked.returncode != 0
    assert f"{original.relative_to(tampered)}: FAILED" in checked.stdout


def test_manifest_records_the_answer_and_beijing_time(packaged):
    _, _, base_url, _, unpacked = packaged
    entry = _entry(unpacked, base_url.rstrip("/") + DIBAO)
    original = (unpacked / entry["original"]).read_bytes()
    assert entry["status"] == 200 and entry["content_type"].startswith("text/html")
    assert re.fullmatch(r'"[0-9a-f]{20}"', entry["etag"]) and entry["last_modified"].endswith("GMT")
    assert entry["sha256"] == hashlib.sha256(original).hexdigest()
    assert {problem["rule"] for problem in entry["problems"]} >= {"privacy.id_number"}
    assert all(re.fullmatch(r"[0-9a-f]{16}", problem["fingerprint"]) for problem in entry["problems"])
    utc = datetime.strptime(entry["fetched_at_utc"], "%Y-%m-%dT%H:%M:%SZ")
    assert entry["fetched_at_beijing"] == f"{utc + timedelta(hours=8):%Y-%m-%d %H:%M:%S} 北京时间"
    # The masked copy (the same as beside the bulletin) says when in 北京时间 too.
    assert f"抓取时间：{entry['fetched_at_beijing']}" in (unpacked / entry["copy"]).read_text("utf-8")
    # The served bytes themselves: what the server sends for the page now is what the original holds.
    assert original == (SAMPLE_PORTAL / DIBAO.lstrip("/")).read_bytes()


def _holds(path: Path, needle: str) -> bool:
    data = path.read_bytes()
    if zipfile.is_zipfile(io.BytesIO(data)):  # docx, xlsx: the XML inside
        with zipfile.ZipFile(io.BytesIO(data)) as inner:
            return any(needle.encode() in inner.read(name) for name in inner.namelist())
    return needle.encode() in data


def test_only_the_original_holds_the_unmasked_number(packaged):
    work, _, base_url, _, unpacked = packaged
    original = unpacked / _entry(unpacked, base_url.rstrip("/") + DIBAO)["original"]
    assert _holds(original, PERSON)
    distributed = [path for path in (work / "out").rglob("*") if path.is_file() and "sqlite" not in path.name]
    suffixes = {path.suffix for path in distributed}
    assert {".html", ".docx", ".xlsx", ".csv", ".json"} <= suffixes, suffixes
    distributed += list((unpacked / "copies").iterdir()) + [unpacked / "manifest.json"]
    assert [path for path in distributed if _holds(path, PERSON)] == []
    others = [path for path in (unpacked / "originals").iterdir() if path != original]
    assert not any(_holds(path, PERSON) for path in others)


def test_package_and_originals_are_owner_only(packaged):
    work, _, _, _, unpacked = packaged
    zipped = work / "package" / "evidence-1.zip"
    assert stat.S_IMODE(zipped.stat().st_mode) == 0o600  # written under umask 000
    with zipfile.ZipFile(zipped) as archive:
        modes = {stat.S_IMODE(member.external_attr >> 16) for member in archive.infolist()}
    assert modes == {0o600}
    originals = list((unpacked / "originals").iterdir())
    assert originals and {stat.S_IMODE(path.stat().st_mode) for path in originals} == {0o600}
    assert not any(name.startswith(".evidence-1.zip") for name in os.listdir(work / "package"))


def test_unknown_or_unfinished_run_is_one_line(packaged, tmp_path):
    _, db_url, _, _, _ = packaged
    done = govaudit("evidence", "99", "--out", str(tmp_path / "package"), "--db", db_url)
    assert done.returncode == 2
    assert done.stderr.startswith("错误 / error: ") and len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr and not (tmp_path / "package").exists()


def _fingerprint(work: Path, rule: str) -> str:
    findings = json.loads((work / "out" / "findings.json").read_text("utf-8"))
    return next(finding["fingerprint"] for finding in findings if finding["rule"] == rule)


def test_show_lists_every_quarters_copy_in_beijing_time(packaged, tmp_path):
    work, db_url, _, _, _ = packaged
    fingerprint = _fingerprint(work, "privacy.id_number")
    done = govaudit("show", fingerprint, "--db", db_url, "--config", DEMO_CONFIG, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    digest = hashlib.sha256((SAMPLE_PORTAL / DIBAO.lstrip("/")).read_bytes()).hexdigest()
    copies = [line for line in done.stdout.splitlines() if line.startswith("  20")]
    assert [line.split()[0:3:2] for line in copies] == [["2022Q3", "1"], ["2022Q4", "2"]]
    for line in copies:
        assert re.search(r" \d{4}-\d\d-\d\d \d\d:\d\d:\d\d 北京时间 ", line) and f"SHA-256 {digest}" in line
    assert re.search(r"^抓取时间：\d{4}-\d\d-\d\d \d\d:\d\d 北京时间$", done.stdout, re.M)
    # Without --original nothing is exported and nothing logged.
    assert sorted(os.listdir(tmp_path)) == [] and PERSON not in done.stdout


def test_show_original_exports_owner_only_and_logs_it(packaged, tmp_path):
    work, db_url, _, _, _ = packaged
    fingerprint = _fingerprint(work, "privacy.id_number")
    out = tmp_path / "exported" / "dibao.html"
    out.parent.mkdir()
    done = _govaudit_under_umask_000(f"show {fingerprint} --original --out {out} --db {db_url}", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    original = (SAMPLE_PORTAL / DIBAO.lstrip("/")).read_bytes()
    assert out.read_bytes() == original and PERSON.encode() in original
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "0600" in done.stdout and PERSON not in done.stdout
    logged = (tmp_path / "govaudit-originals.log").read_text("utf-8").splitlines()
    assert len(logged) == 1
    digest = hashlib.sha256(original).hexdigest()
    for part in (fingerprint, f"SHA-256 {digest}", str(out), "操作人 ", "北京时间", DIBAO):
        assert part in logged[0], part


def test_show_unknown_fingerprint_exports_and_logs_nothing(packaged, tmp_path):
    _, db_url, _, _, _ = packaged
    for args in ((), ("--original",)):
        done = govaudit("show", "abcdef0123456789", *args, "--db", db_url, cwd=tmp_path)
        assert done.returncode == 2
        assert done.stderr.startswith("错误 / error: 没有指纹为") and len(done.stderr.strip().splitlines()) == 1
        assert "Traceback" not in done.stderr
    assert os.listdir(tmp_path) == []
