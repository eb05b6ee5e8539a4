"""Writing a concluded run's outputs (the bulletin and the 问题清单 in each format asked for), and
reading a stored run back for `report` and `show`."""
from __future__ import annotations

from pathlib import Path

from audit.store import Store
from audit.judging.context import report_context
from audit.judging.history import rows_of
from audit.store.models import AuditRun
from reports.data import ReportRow, build_bulletin
from reports.evidence import write_copies
from reports.files import check_writable
from reports.formats import DEFAULT_FORMATS, Rendered, write_formats
from reports.render import render_bulletin
from reports.screenshots import with_thumbnails
from rules.settings import Settings
from rules.snapshot import SiteSnapshot


def write_outputs(store: Store, run_id: int, site: SiteSnapshot, config: Settings, out_dir: Path,
                  formats: tuple[str, ...] = DEFAULT_FORMATS, screenshots: bool = False) -> dict[str, Path]:
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


def render_stored(store: Store, run_id: int, config: Settings, out_dir: Path,
                  formats: tuple[str, ...] = DEFAULT_FORMATS, screenshots: bool = False) -> dict[str, Path]:
    """Write the outputs of a run already in the store (no crawl)."""
    return write_outputs(store, run_id, store.snapshot(run_id, config), config, out_dir, formats,
                         screenshots)
