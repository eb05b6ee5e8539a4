"""Hostile files handed to the tool by its operator's colleagues: YAML alias bombs (config,
sites.yaml), a site_id that is a path, register files built to blow up the importer. Each is
refused with one line (Chinese, then English) and exit 2, nothing stored changes, and the child
process stays small: every bomb runs under an address-space cap, so a regression fails the test
instead of eating the machine's memory."""
from __future__ import annotations

import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The CLI alone (Python, Scrapy, SQLAlchemy, pydantic imported) maps ~0.5 GB of address space.
ADDRESS_SPACE_MB = 1536


@dataclass
class Bounded:
    returncode: int
    stdout: str
    stderr: str
    peak_rss_mb: float

    def refused(self, *words: str) -> str:
        """The one error line; asserts exit 2, no traceback and the words in it."""
        assert self.returncode == 2, (self.returncode, self.stderr[-2000:])
        assert "Traceback" not in self.stderr and "MemoryError" not in self.stderr, self.stderr[-2000:]
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, self.stderr
        for word in words:
            assert word in lines[0], lines[0]
        return lines[0]


def govaudit_bounded(*args: str, cwd: Path, memory_mb: int = ADDRESS_SPACE_MB, seconds: float = 120) -> Bounded:
    """`python -m audit.cli ARGS` with its address space capped at `memory_mb`; its own peak RSS
    (os.wait4's rusage of this child only)."""
    def cap():
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as errors:
        process = subprocess.Popen([sys.executable, "-m", "audit.cli", *args], cwd=cwd, stdout=out, stderr=errors,
                                   stdin=subprocess.DEVNULL, preexec_fn=cap)
        timer = threading.Timer(seconds, process.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        errors.seek(0)
        return Bounded(process.returncode, out.read().decode("utf-8", "replace"),
                       errors.read().decode("utf-8", "replace"), usage.ru_maxrss / 1024)


# --- YAML alias bombs ----------------------------------------------------------------------------

def _laughs(levels: int, width: int = 9) -> list[str]:
    """Anchors a0..aN, each a list of `width` aliases of the one before: width**N "lol"s."""
    lines = ['  a0: &a0 "lol"']
    lines += [f"  a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * width) + "]" for i in range(1, levels + 1)]
    return lines


def test_a_billion_laughs_sites_yaml_is_refused_small_and_nothing_is_registered(tmp_path):
    sites = tmp_path / "sites.yaml"
    bomb = ["x:", *_laughs(9), "sites:", "  - {name: 测试县, url: 'http://127.0.0.1:9/', unit: *a9}"]
    sites.write_text("\n".join(bomb) + "\n", encoding="utf-8")
    assert sites.stat().st_size < 600
    db = f"sqlite:///{tmp_path / 'govaudit.sqlite'}"
    result = govaudit_bounded("sites", "add", str(sites), "--db", db, cwd=tmp_path)
    result.refused("sites.yaml", "不予读取", "not read")
    assert result.peak_rss_mb < 400
    listed = govaudit_bounded("sites", "list", "--db", db, cwd=tmp_path)
    assert listed.returncode == 0 and "没有登记的网站" in listed.stdout


def test_a_config_alias_bomb_is_refused_before_anything_runs(tmp_path):
    config = tmp_path / "govaudit.yaml"
    config.write_text("\n".join(["units:", *_laughs(9)]) + "\n", encoding="utf-8")
    result = govaudit_bounded("report", "1", "--config", str(config), "--db", f"sqlite:///{tmp_path / 'x.sqlite'}",
                              "--out", str(tmp_path / "out"), cwd=tmp_path)
    result.refused("govaudit.yaml", "配置文件不予读取", "config refused")
    assert result.peak_rss_mb < 400
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("text, words", [
    ("sites: &s [*s]\n", ["*s", "recursive"]),
    ("sites:\n" + "".join(f"  - &a{i} {{name: n{i}}}\n" for i in range(101)) + "x: [" + ",".join(f"*a{i}" for i in range(101)) + "]\n",
     ["100", "aliases"]),
    ("sites: " + "[" * 80 + "]" * 80 + "\n", ["64", "nested"]),
    ("sites: '" + "长" * 400_000 + "'\n", ["1024 KB", "not read"]),
])
def test_other_hostile_yaml_shapes_are_refused(tmp_path, text, words):
    sites = tmp_path / "sites.yaml"
    sites.write_text(text, encoding="utf-8")
    result = govaudit_bounded("sites", "add", str(sites), "--db", f"sqlite:///{tmp_path / 'x.sqlite'}", cwd=tmp_path)
    result.refused("sites.yaml", *words)


def test_a_few_aliases_in_an_ordinary_sites_yaml_still_work(tmp_path):
    """The trap: a shared unit written once with an anchor is normal YAML and is read."""
    sites = tmp_path / "sites.yaml"
    sites.write_text("sites:\n"
                     "  - {name: 甲县人民政府, url: 'http://127.0.0.1:9/', unit: &office 州政府办公室, site_id: '5326250001'}\n"
                     "  - {name: 乙县人民政府, url: 'http://127.0.0.2:9/', unit: *office}\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    result = govaudit_bounded("sites", "add", str(sites), "--db", db, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    listed = govaudit_bounded("sites", "list", "--db", db, cwd=tmp_path)
    assert listed.stdout.count("州政府办公室") == 2


def test_python_tags_stay_refused(tmp_path):
    config = tmp_path / "govaudit.yaml"
    marker = tmp_path / "pwned"
    config.write_text(f"units: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    result = govaudit_bounded("report", "1", "--config", str(config), "--db", f"sqlite:///{tmp_path / 'x.sqlite'}",
                              cwd=tmp_path)
    result.refused("not valid YAML", "python/object/apply")
    assert not marker.exists()


# --- site_id is a folder name, never a path -------------------------------------------------------

@pytest.mark.parametrize("site_id", ["../escaped", "/tmp/abs-site", "a/b", "..", "5326\n250001", "a" * 33])
def test_a_site_id_that_is_a_path_is_refused_by_sites_add(tmp_path, site_id):
    sites = tmp_path / "sites.yaml"
    sites.write_text(f"sites:\n  - {{name: 甲县, url: 'http://127.0.0.1:9/', unit: 办公室, site_id: {json.dumps(site_id)}}}\n",
                     encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    result = govaudit_bounded("sites", "add", str(sites), "--db", db, cwd=tmp_path)
    result.refused("site_id", "letters, digits, - or _")
    listed = govaudit_bounded("sites", "list", "--db", db, cwd=tmp_path)
    assert "没有登记的网站" in listed.stdout


def test_a_stored_site_id_that_is_a_path_writes_nothing_outside_out(tmp_path):
    """A register added before site_ids were checked: audit-all and report --all refuse it before
    auditing or writing anything; a plain site_id (the trap) is a folder under --out."""
    sites = tmp_path / "sites.yaml"
    sites.write_text("sites:\n  - {name: 甲县, url: 'http://127.0.0.1:9/', unit: 办公室, site_id: '5326250009'}\n",
                     encoding="utf-8")
    db_file = tmp_path / "x.sqlite"
    db = f"sqlite:///{db_file}"
    assert govaudit_bounded("sites", "add", str(sites), "--db", db, cwd=tmp_path).returncode == 0
    with sqlite3.connect(db_file) as conn:
        conn.execute("update site set site_id = '../escaped'")
    out = tmp_path / "out" / "runs"
    result = govaudit_bounded("audit-all", "--db", db, "--out", str(out), "--as-of", "2022-10-15", cwd=tmp_path)
    result.refused("'../escaped'", "not a plain name inside the output folder", "sites add")
    report = govaudit_bounded("report", "--all", "--quarter", "2022Q3", "--db", db, "--out", str(out), cwd=tmp_path)
    report.refused("'../escaped'")
    assert not (tmp_path / "out" / "escaped").exists()
    assert not any(path.name in ("findings.json", "bulletin.html") for path in tmp_path.rglob("*"))

    with sqlite3.connect(db_file) as conn:
        conn.execute("update site set site_id = '5326250009'")
    plain = govaudit_bounded("audit-all", "--db", db, "--out", str(out), "--as-of", "2022-10-15", cwd=tmp_path)
    assert plain.returncode == 3, plain.stderr  # the site cannot be reached: site.unreachable
    assert (out / "5326250009" / "findings.json").exists()
