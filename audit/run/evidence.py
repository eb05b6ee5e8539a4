"""The office's evidence of a run (issue 26): the package of originals, masked copies and digests
(`govaudit evidence`)."""

from __future__ import annotations

from pathlib import Path

from audit.judging.context import report_context
from audit.store import Store
from audit.store.models import AuditRun
from reports.data import build_bulletin
from reports.evidence_package import PackageSummary, write_package
from rules.settings import Settings


def package_run(store: Store, run: AuditRun, config: Settings, out_dir: Path) -> PackageSummary:
    """out_dir/evidence-<run>.zip of the run's problem pages (reports.evidence_package)."""
    data = build_bulletin(report_context(store, run, store.snapshot(run.id, config), config))
    return write_package(store, data, out_dir)
