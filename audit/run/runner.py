"""Writing a concluded run's outputs (the bulletin and the 问题清单 in each format asked for), and
reading a stored run back for `report` and `show`."""
from __future__ import annotations

import tempfile
from pathlib import Path

from audit.store import Store
from audit.judging.history import rows_of
from audit.store.models import AuditRun
from reports.data import ReportRow, build_bulletin
from reports.evidence import write_copies
from reports.exports import DEFAULT_FORMATS, write_csv, write_json, write_xlsx
from reports.files import check_writable, write_text
from reports.pdf import print_pdf
from reports.render import render_bulletin
from reports.screenshots import with_thumbnails
from reports.word import write_docx
from rules.settings import Settings
from rules.snapshot import SiteSnapshot


def write_outputs(store: Store, run_id: int, site: SiteSnapshot, config: Settings, out_dir: Path,
                  formats: tuple[str, ...] = DEFAULT_FORMATS, screenshots: bool = False) -> dict[str, Path]:
    """Write the run's bulletin and 问题清单 in each of `formats` into `out_dir`, each file whole or not
    at all (reports.files), with the kept copy of every problem page in out_dir/evidence/ (and its
    thumbnail in the annex with `screenshots`); OutputError when one cannot be written."""
    check_writable(out_dir)
    run = store.run(run_id)
    data = write_copies(store, build_bulletin(store, run, site, config), out_dir)
    if screenshots:
        data = with_thumbnails(data, out_dir)
    written: dict[str, Path] = {}
    if "json" in formats:
        written["json"] = write_json(out_dir / "findings.json", list(data.findings))
    html = render_bulletin(data)
    if "html" in formats:
        written["html"] = write_text(out_dir / "bulletin.html", html)
    if "xlsx" in formats:
        written["xlsx"] = write_xlsx(out_dir / "findings.xlsx", data)
    if "csv" in formats:
        written["csv"] = write_csv(out_dir / "findings.csv", data)
    if "docx" in formats:
        written["docx"] = write_docx(out_dir / "bulletin.docx", html, data.title, config.bulletin.fonts)
    if "pdf" in formats:
        written["pdf"] = _write_pdf(out_dir, html, written.get("html"))
    return written


def _write_pdf(out_dir: Path, html: str, html_path: Path | None) -> Path:
    """bulletin.pdf, printed from bulletin.html (or from a temporary copy when html is not asked for)."""
    if html_path is not None:
        return print_pdf(html_path, out_dir / "bulletin.pdf")
    with tempfile.TemporaryDirectory(prefix="govaudit-") as scratch:
        source = Path(scratch) / "bulletin.html"
        source.write_text(html, encoding="utf-8")
        return print_pdf(source, out_dir / "bulletin.pdf")


def find_finding(store: Store, fingerprint: str, config: Settings) -> tuple[AuditRun, ReportRow] | None:
    """The latest stored run with a finding whose fingerprint begins with `fingerprint`, and that
    finding as the run's bulletin shows it (state, unit, deadline, page as fetched)."""
    for run in sorted(store.runs(), key=lambda r: r.id, reverse=True):
        if not any(row.fingerprint.startswith(fingerprint) for row in rows_of(store, run)):
            continue
        data = build_bulletin(store, run, store.snapshot(run.id, config), config)
        found = next((row for row in data.rows if row.fingerprint.startswith(fingerprint)), None)
        if found is not None:
            return run, found
    return None


def render_stored(store: Store, run_id: int, config: Settings, out_dir: Path,
                  formats: tuple[str, ...] = DEFAULT_FORMATS, screenshots: bool = False) -> dict[str, Path]:
    """Write the outputs of a run already in the store (no crawl)."""
    return write_outputs(store, run_id, store.snapshot(run_id, config), config, out_dir, formats,
                         screenshots)
