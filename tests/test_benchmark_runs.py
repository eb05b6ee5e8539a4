"""scripts/benchmark.py, the instrument the speed, memory and storage figures come from, still runs the
real audit: a small portal through the polite row, every page answered, the phases timed (its
wrapper patches the run's functions by name, so a rename in the code breaks it — as one did)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_benchmark_audits_a_small_portal_and_times_its_phases(tmp_path):
    figures_file = tmp_path / "bench.json"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "benchmark.py"),
            "--pages",
            "150",
            "--rows",
            "polite",
            "--server",
            "python",
            "--json",
            str(figures_file),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    figures = json.loads(figures_file.read_text("utf-8"))
    [row] = figures["rows"]
    assert "failed" not in row, row
    assert row["exit_code"] == 0 and row["pages_fetched"] >= 150, row
    assert {"crawl", "snapshot", "rules", "outputs"} <= set(figures["phases"]), figures["phases"]
    assert figures["db_mb"] > 0
