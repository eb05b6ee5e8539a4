"""`python -m audit.cli` under an address-space cap, with the CLI's own peak RSS: how the hostile-input
and decompression-bomb tests run the tool, so a memory regression fails a test instead of eating the
machine's memory."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

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
    """`python -m audit.cli ARGS` with its address space capped at `memory_mb`; its own peak RSS.

    A small Python sets the cap, starts the CLI and writes down the CLI's rusage: a direct child of
    this test process would carry pytest's own peak RSS (~480 MB late in the suite) in its ru_maxrss,
    since it starts as a copy of it."""
    limit = memory_mb * 1024 * 1024
    measured = (
        "import os, pathlib, resource, subprocess, sys; "
        f"resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit})); "
        "cli = subprocess.Popen([sys.executable, '-m', 'audit.cli', *sys.argv[2:]]); "
        "_, status, usage = os.wait4(cli.pid, 0); "
        "pathlib.Path(sys.argv[1]).write_text(str(usage.ru_maxrss)); "
        "sys.exit(os.waitstatus_to_exitcode(status) % 256)"
    )
    with tempfile.TemporaryDirectory() as scratch, tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as errors:
        peak = Path(scratch) / "peak"
        process = subprocess.Popen(
            [sys.executable, "-c", measured, str(peak), *args],
            cwd=cwd,
            stdout=out,
            stderr=errors,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()
        out.seek(0)
        errors.seek(0)
        return Bounded(
            process.returncode,
            out.read().decode("utf-8", "replace"),
            errors.read().decode("utf-8", "replace"),
            int(peak.read_text() if peak.exists() else "0") / 1024,
        )
