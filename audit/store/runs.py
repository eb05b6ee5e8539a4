"""The store's runs: starting, claiming, resuming, finishing and listing audit runs, and whether a
run's process is alive."""

from __future__ import annotations

import os
import socket
from datetime import date

from sqlalchemy import delete, func, select, update

from audit.store.common import StoreError, _now
from audit.store.models import UNFINISHED, AuditRun, RunStatus
from crawler.vocabulary.quarters import Quarter


class Runs:
    """Audit runs and who owns them (a part of audit.store.Store, whose sessions it uses)."""

    def start_run(self, site_url: str, as_of: date, scope: str | None, config_fingerprint: str) -> int:
        with self.unit_of_work() as session:
            run = AuditRun(
                site_url=site_url,
                as_of=as_of,
                scope=scope,
                config_fingerprint=config_fingerprint,
                started_at=_now(),
                status=RunStatus.RUNNING.value,
                quarter=Quarter.reported(as_of).label,
                owner_host=socket.gethostname(),
                owner_pid=os.getpid(),
            )
            session.add(run)
            session.flush()
            return run.id

    def interrupted_run(self, site_url: str, as_of: date, scope: str | None, config_fingerprint: str) -> int | None:
        """The latest run of this same audit that was left unfinished by a process that is gone
        (interrupted by a signal, killed, crashed, machine restarted): the one to resume. None when
        there is none."""
        with self.reading() as session:
            runs = session.scalars(
                select(AuditRun)
                .where(
                    AuditRun.site_url == site_url,
                    AuditRun.as_of == as_of,
                    AuditRun.config_fingerprint == config_fingerprint,
                    AuditRun.status.in_([status.value for status in UNFINISHED]),
                    AuditRun.scope.is_(None) if scope is None else AuditRun.scope == scope,
                )
                .order_by(AuditRun.id.desc())
            ).all()
        for run in runs:
            if not _process_alive(run.owner_host, run.owner_pid):
                return run.id
        return None

    def claim_run(self, run_id: int) -> bool:
        """Make this process the owner of a run it resumes; False when another process claimed it
        first (compare-and-set on the owner, so two processes never resume one run)."""
        with self.unit_of_work() as session:
            run = session.get(AuditRun, run_id)
            claimed = session.execute(
                update(AuditRun)
                .where(
                    AuditRun.id == run_id,
                    AuditRun.owner_host.is_(None) if run.owner_host is None else AuditRun.owner_host == run.owner_host,
                    AuditRun.owner_pid.is_(None) if run.owner_pid is None else AuditRun.owner_pid == run.owner_pid,
                )
                .values(owner_host=socket.gethostname(), owner_pid=os.getpid(), status=RunStatus.RUNNING.value)
                .execution_options(synchronize_session=False)
            )
            return claimed.rowcount == 1

    def join_run(self, run_id: int, worker: str) -> None:
        """Record that `worker` takes part in the run (crawls it, resumes it or concludes it)."""
        with self.unit_of_work() as session:
            run = session.get(AuditRun, run_id)
            if worker not in (run.workers or []):
                run.workers = [*(run.workers or []), worker]

    def release_abandoned(self, site_url: str, as_of: date, worker: str) -> list[int]:
        """Hand over the unfinished runs of a site that `worker` was crawling when its lease ran out
        (the worker is gone, possibly with its machine): they become resumable by any process. The
        lease, not the owner's pid, says the owner is gone: a pid on another machine cannot be checked."""
        with self.unit_of_work() as session:
            runs = session.scalars(
                select(AuditRun).where(
                    AuditRun.site_url == site_url,
                    AuditRun.as_of == as_of,
                    AuditRun.status.in_([status.value for status in UNFINISHED]),
                )
            ).all()
            # The worker owned the run or helped it (helpers join a run after its owner).
            released = [run for run in runs if worker in (run.workers or [])]
            for run in released:
                run.status, run.owner_host, run.owner_pid = RunStatus.INTERRUPTED.value, None, None
            return [run.id for run in released]

    def owns_run(self, run_id: int) -> bool:
        """Whether this process still owns the run (no other process took it over)."""
        run = self.run(run_id)
        return run.owner_host == socket.gethostname() and run.owner_pid == os.getpid()

    def owner_alive(self, run: AuditRun) -> bool:
        """Whether the process that owns `run` still runs (an owner on another machine counts as alive)."""
        return _process_alive(run.owner_host, run.owner_pid)

    def discard_run(self, run_id: int) -> None:
        """Remove a run that stood down before it stored anything."""
        with self.unit_of_work() as session:
            session.execute(delete(AuditRun).where(AuditRun.id == run_id))

    def finish_run(
        self,
        run_id: int,
        status: RunStatus,
        unjudged_rules: list[str] | None = None,
        rule_overruns: list[list[str]] | None = None,
    ) -> None:
        with self.unit_of_work() as session:
            run = session.get(AuditRun, run_id)
            run.status = RunStatus(status).value
            run.finished_at = _now()
            if unjudged_rules is not None:
                run.unjudged_rules = unjudged_rules
            if rule_overruns is not None:
                run.rule_overruns = rule_overruns

    def run(self, run_id: int) -> AuditRun:
        with self._sessions() as session:
            run = session.get(AuditRun, run_id)
            if run is None:
                raise StoreError(f"没有编号为 {run_id} 的检查 / no audit run {run_id}")
            return run

    def runs(self) -> list[AuditRun]:
        """Every stored run, oldest first."""
        with self._sessions() as session:
            return list(session.scalars(select(AuditRun).order_by(AuditRun.id)))

    def set_reader_version(self, run_id: int, version: str) -> None:
        with self.unit_of_work() as session:
            session.get(AuditRun, run_id).reader_version = version

    def add_bytes_received(self, run_id: int, received: int) -> None:
        with self.unit_of_work() as session:
            session.execute(
                update(AuditRun)
                .where(AuditRun.id == run_id)
                .values(bytes_received=func.coalesce(AuditRun.bytes_received, 0) + received)
                .execution_options(synchronize_session=False)
            )

    def record_page_cap(self, run_id: int, cap: int, left: int | None) -> None:
        """--max-pages stopped the crawl at `cap` pages with `left` requests still queued (None: not known,
        the queue being shared with other processes)."""
        with self.unit_of_work() as session:
            run = session.get(AuditRun, run_id)
            run.page_cap, run.pages_left = cap, left


def _process_alive(host: str | None, pid: int | None) -> bool:
    """Whether the process that owns a run still runs; an owner on another machine counts as alive."""
    if pid is None:
        return False
    if host != socket.gethostname():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
