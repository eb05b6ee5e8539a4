"""Comparison rows for scripts/benchmark.py: measured child processes, wget, LinkChecker, the machine.

Every row is one child process, timed by wall clock, with its peak RSS (the largest process) and CPU
seconds (all of them) over the child and every descendant it waited for — the audit's reader
processes — and nothing of the rows before it.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

LINKCHECKER_REQUIREMENT = "linkchecker"
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


@dataclass
class Measured:
    seconds: float
    exit_code: int
    peak_rss_mb: float
    cpu_seconds: float  # user + system


def run_measured(command: list[str], cwd: Path, stdout: Path, stderr: Path, nice: int = 0) -> Measured:
    """Run `command` to its end. Peak RSS and CPU seconds come from GNU time when it is there: a
    child forked from this (large) Python process inherits its high-water RSS across exec, so
    os.wait4's own figure would be at least this process's size."""
    timed = cwd / "time.out"
    if GNU_TIME:
        command = [GNU_TIME, "--format", "%M %U %S", "--output", str(timed), *command]
    if nice:
        command = ["nice", "-n", str(nice), *command]  # nice execs the command: same process
    with stdout.open("wb") as out, stderr.open("wb") as err:
        start = time.monotonic()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - start
    process.returncode = os.waitstatus_to_exitcode(status)  # already reaped: keep Popen from waiting
    peak_mb, cpu = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
    if GNU_TIME:
        # "Command exited with non-zero status N" may come first; the figures are the last line.
        lines = timed.read_text().strip().splitlines() if timed.exists() else []
        fields = lines[-1].split() if lines else []
        if len(fields) == 3:
            peak_mb, cpu = int(fields[0]) / 1024, float(fields[1]) + float(fields[2])
    return Measured(seconds, process.returncode, peak_mb, cpu)


# -- wget -------------------------------------------------------------------------------------


def wget_command(base_url: str) -> list[str] | str:
    """`wget --spider -r` over the whole site (the floor: fetch and link extraction), or why not."""
    wget = shutil.which("wget")
    if wget is None:
        return "wget is not installed"
    return [
        wget,
        "--spider",
        "--recursive",
        "--level=inf",
        "--no-verbose",
        "-e",
        "robots=off",
        "--no-directories",
        base_url,
    ]


# wget exits 8 when the server answered an error (the portal's broken links do).
WGET_OK = (0, 8)


# -- Scrapy alone ----------------------------------------------------------------------------


def scrapy_command(base_url: str) -> list[str]:
    """Scrapy with a spider that only follows links (scripts/bare_scrapy_spider.py): the ceiling of a
    Scrapy-based crawler on this machine."""
    spider = Path(__file__).resolve().with_name("bare_scrapy_spider.py")
    return [sys.executable, "-m", "scrapy", "runspider", str(spider), "-a", f"url={base_url}"]


# -- LinkChecker ------------------------------------------------------------------------------


def linkchecker_command(tools: Path, base_url: str, work: Path) -> list[str] | str:
    """LinkChecker (pip, in its own venv under `tools`) over the site with its rate limit lifted, or
    why it cannot be had."""
    venv = tools / "linkchecker-venv"
    executable = venv / "bin" / "linkchecker"
    if not executable.exists():
        made = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True)
        if made.returncode != 0:
            return f"cannot make a venv for LinkChecker: {made.stderr.strip()[-200:]}"
        installed = subprocess.run(
            [str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check", LINKCHECKER_REQUIREMENT],
            capture_output=True,
            text=True,
        )
        if installed.returncode != 0 or not executable.exists():
            lines = [line for line in installed.stderr.strip().splitlines() if line.startswith("ERROR")]
            return f"pip install linkchecker failed: {(lines or ['?'])[-1][:200]}"
    # 1000 a second is no limit on 127.0.0.1; LinkChecker honours more than 10 only for a host that
    # answers with a "LinkChecker" header, which the benchmark's servers send.
    config = work / "linkcheckerrc"
    config.write_text("[checking]\nmaxrequestspersecond=1000\nthreads=10\n[output]\nstatus=0\n")
    return [str(executable), "--config", str(config), "--output", "none", "--no-warnings", base_url]


# LinkChecker exits 1 when it found broken links (the portal has some), 2 on its own errors.
LINKCHECKER_OK = (0, 1)


def linkchecker_version(command: list[str]) -> str:
    out = subprocess.run([command[0], "--version"], capture_output=True, text=True)
    return (out.stdout.splitlines() or ["LinkChecker"])[0].split(" released")[0]


# -- the machine ------------------------------------------------------------------------------


def machine() -> dict:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = {}
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            name, value = line.split(":", 1)
            if name in ("MemTotal", "MemAvailable"):
                memory[name] = int(value.split()[0]) / 2**20
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)),
        "cpu_model": model,
        "ram_gb": round(memory.get("MemTotal", 0), 1),
        "ram_available_gb": round(memory.get("MemAvailable", 0), 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "load_start": [round(load, 2) for load in os.getloadavg()],
    }
