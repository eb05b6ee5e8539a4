"""Writing a concluded run's outputs (the bulletin and the 问题清单 in each format asked for), and
reading a stored run back for `report` and `show`."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from audit.judging.context import report_context
from audit.judging.history import rows_of
from audit.store import Store
from audit.store.models import AuditRun
from reports.data import ReportRow, build_bulletin
from reports.evidence import write_copies
from reports.files import check_writable, write_text
from reports.formats import DEFAULT_FORMATS, Rendered, write_formats
from reports.render import render_bulletin
from reports.screenshots import with_thumbnails
from rules.settings import Settings
from rules.snapshot import SiteSnapshot


def write_outputs(
    store: Store,
    run_id: int,
    site: SiteSnapshot,
    config: Settings,
    out_dir: Path,
    formats: tuple[str, ...] = DEFAULT_FORMATS,
    screenshots: bool = False,
) -> dict[str, Path]:
    """Write the run's bulletin and 问题清单 in each of `formats` into `out_dir`, each file whole or not
    at all (reports.files), with the kept copy of every problem page in out_dir/evidence/ (and its
    thumbnail in the annex with `screenshots`); OutputError when one cannot be written."""
    check_writable(out_dir)
    run = store.run(run_id)
    data = write_copies(store, build_bulletin(report_context(store, run, site, config)), out_dir)
    if screenshots:
        data = with_thumbnails(data, out_dir)
    return write_formats(Rendered(data, render_bulletin(data), config.bulletin.fonts), out_dir, formats)


def find_finding(store: Store, fingerprint: str, config: Settings) -> tuple[AuditRun, ReportRow] | None:
    """The latest stored run with a finding whose fingerprint begins with `fingerprint`, and that
    finding as the run's bulletin shows it (state, unit, deadline, page as fetched)."""
    for run in sorted(store.runs(), key=lambda r: r.id, reverse=True):
        if not any(row.fingerprint.startswith(fingerprint) for row in rows_of(store, run)):
            continue
        data = build_bulletin(report_context(store, run, store.snapshot(run.id, config), config))
        found = next((row for row in data.rows if row.fingerprint.startswith(fingerprint)), None)
        if found is not None:
            return run, found
    return None


def render_stored(
    store: Store,
    run_id: int,
    config: Settings,
    out_dir: Path,
    formats: tuple[str, ...] = DEFAULT_FORMATS,
    screenshots: bool = False,
) -> dict[str, Path]:
    """Write the outputs of a run already in the store (no crawl)."""
    written = write_outputs(store, run_id, store.snapshot(run_id, config), config, out_dir, formats, screenshots)
    if pending_run(store, out_dir) == run_id:
        clear_pending(out_dir)
    return written


# In the output folder from the moment a run is concluded until its outputs are written: a run
# interrupted in between (SIGTERM, a crash) is finished in the store while the folder holds the
# outputs of an earlier run, or none; the same command then writes this run's outputs, not a new run.
PENDING = ".govaudit-pending.json"


def _database_id(store: Store) -> str:
    return hashlib.sha256(store.db_url.encode()).hexdigest()[:16]


def mark_pending(store: Store, out_dir: Path, run_id: int) -> None:
    check_writable(out_dir)  # a run started from code (run_audit) has not made the folder yet
    write_text(out_dir / PENDING, json.dumps({"database": _database_id(store), "run_id": run_id}))


def clear_pending(out_dir: Path) -> None:
    (out_dir / PENDING).unlink(missing_ok=True)


def pending_run(store: Store, out_dir: Path) -> int | None:
    """The run of this database whose outputs `out_dir` is still waiting for, if any."""
    try:
        marker = json.loads((out_dir / PENDING).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(marker, dict) or marker.get("database") != _database_id(store):
        return None
    run_id = marker.get("run_id")
    return run_id if isinstance(run_id, int) else None
