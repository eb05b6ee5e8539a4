#!/usr/bin/env python3
"""N sites × M pages audited through Redis by 1 worker, then by 2 workers (issue 13's figure).

Generates N synthetic portals (scripts/benchmark.py's generator, different seeds), serves each in
its own process on its own loopback address (127.0.0.1, .2, .3 …: sites are told apart by host),
registers them in a fresh PostgreSQL database, queues them with `govaudit audit-all --redis` and
times `govaudit worker --until-idle` — one worker, then two in parallel, each on a fresh database and
Redis prefix. Prints wall time, pages stored and pages/s per setting, and the machine's load.

Needs the services of scripts/services.sh (GOVAUDIT_TEST_PG, GOVAUDIT_TEST_REDIS)::

    source scripts/services.sh && python scripts/benchmark_cluster.py --sites 3 --pages 500
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchmark import generate  # noqa: E402
from benchmark_serve import _free_port  # noqa: E402

from audit.store.store import engine_url  # noqa: E402


def _wait_for(host: str, port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"the portal server did not listen on {host}:{port}")


def _govaudit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "audit.cli", *args], capture_output=True, text=True, check=True)


def _database(server: str) -> str:
    name = f"govaudit_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(engine_url(server), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def _pages(db_url: str) -> int:
    engine = create_engine(engine_url(db_url))
    with engine.connect() as connection:
        count = connection.execute(text("select count(*) from page")).scalar_one()
    engine.dispose()
    return count


def _drop(server: str, db_url: str) -> None:
    admin = create_engine(engine_url(server), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(db_url).database}" WITH (FORCE)'))
    admin.dispose()


def measure(workers: int, sites_yaml: Path, server: str, redis_url: str, work: Path) -> dict:
    db_url = _database(server)
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    _govaudit("sites", "add", str(sites_yaml), "--db", db_url)
    _govaudit(
        "audit-all",
        "--as-of",
        "2022-10-15",
        "--db",
        db_url,
        "--redis",
        redis_url,
        "--redis-prefix",
        prefix,
        "--out",
        str(work / f"out-{workers}"),
    )
    load = os.getloadavg()[0]
    started = time.monotonic()
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "audit.cli",
                "worker",
                "--db",
                db_url,
                "--redis",
                redis_url,
                "--redis-prefix",
                prefix,
                "--until-idle",
                "--name",
                f"w{number}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for number in range(1, workers + 1)
    ]
    codes = [process.wait() for process in processes]
    wall = time.monotonic() - started
    pages = _pages(db_url)
    _drop(server, db_url)
    return {
        "workers": workers,
        "wall": wall,
        "pages": pages,
        "rate": pages / wall,
        "codes": codes,
        "load_before": load,
        "load_after": os.getloadavg()[0],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=3)
    parser.add_argument("--pages", type=int, default=500)
    args = parser.parse_args()
    server, redis_url = os.environ.get("GOVAUDIT_TEST_PG"), os.environ.get("GOVAUDIT_TEST_REDIS")
    if not server or not redis_url:
        print("source scripts/services.sh first (GOVAUDIT_TEST_PG, GOVAUDIT_TEST_REDIS)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="govaudit-cluster-bench-") as scratch:
        work = Path(scratch)
        servers, lines = [], ["sites:"]
        try:
            for number in range(1, args.sites + 1):
                root = work / f"portal{number}"
                generate(root, args.pages, 2024 + number)
                host, port = f"127.0.0.{number}", _free_port()
                process = subprocess.Popen(
                    [sys.executable, "-m", "audit.cli.demo.server", str(root), "--host", host, "--port", str(port)],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                servers.append(process)
                _wait_for(host, port, process)
                lines.append(
                    f'  - {{name: 第{number}县人民政府, url: "http://{host}:{port}/", unit: 第{number}县政府办公室}}'
                )
            sites_yaml = work / "sites.yaml"
            sites_yaml.write_text("\n".join(lines) + "\n", encoding="utf-8")
            print(f"{args.sites} sites × {args.pages} pages, {os.cpu_count()} CPUs")
            for workers in (1, 2):
                row = measure(workers, sites_yaml, server, redis_url, work)
                print(
                    f"{row['workers']} worker(s): {row['wall']:.1f} s wall, {row['pages']} pages stored, "
                    f"{row['rate']:.1f} pages/s, exit codes {row['codes']}, "
                    f"load {row['load_before']:.1f} → {row['load_after']:.1f}",
                    flush=True,
                )
        finally:
            for process in servers:
                process.terminate()
                process.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
