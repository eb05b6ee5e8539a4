"""Judging a crawled run: every rule over the stored pages, each finding annotated with its
fingerprint, 责任单位 and scoring indicator, and stored. Used by the audit run and by the pipeline
when the spider runs alone under `scrapy crawl`."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from audit.judging.availability import period_probes
from audit.judging.history import fingerprints, previous_home
from audit.judging.scoring import indicator_for
from audit.judging.units import attribute
from audit.store import FindingNotes, RunStatus, Store
from audit.store.registers import set_unjudged_rules
from rules import Finding, registered_rules
from rules.base import RuleSpec, judges_register
from rules.settings import Settings
from rules.snapshot import PageView, SiteSnapshot

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Overrun:
    """A rule that spent its budget on one page: its verdict there is 未能完整检查."""

    rule: str
    url: str


class _OverBudget(Exception):
    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


class PageBudget:
    """CPU seconds each rule may spend on each page it reads through site.audited_pages().

    A timer on the process's CPU time (ITIMER_VIRTUAL: a busy machine does not push a page over) is
    set as each page is handed to the rule and cleared when the rule asks for the next one. When it
    fires, the rule is stopped where it is and run again without that page, its findings of the
    stopped attempt dropped (a rule may gather over pages before it reports); the page is an Overrun.
    Signals reach only the main thread: judged elsewhere, pages are timed but not stopped.
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._current: str | None = None

    def findings(self, spec: RuleSpec, site: SiteSnapshot, config: Settings) -> tuple[list[Finding], list[Overrun]]:
        skipped: list[str] = []
        while True:
            try:
                with self._timer():
                    found = list(spec.findings(_BudgetedSite(site, self, frozenset(skipped)), config))
                return found, [Overrun(spec.id, url) for url in skipped]
            except _OverBudget as over:
                log.warning("rule %s over its budget of %s CPU seconds on %s", spec.id, self.seconds, over.url)
                skipped.append(over.url)

    def pages(self, pages: Iterator[PageView], skipped: frozenset[str]) -> Iterator[PageView]:
        for page in pages:
            if page.url in skipped:
                continue
            self._current = page.url
            signal.setitimer(signal.ITIMER_VIRTUAL, self.seconds)
            try:
                yield page
            finally:
                signal.setitimer(signal.ITIMER_VIRTUAL, 0)
                self._current = None

    @contextmanager
    def _timer(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = signal.signal(signal.SIGVTALRM, self._expired)
        try:
            yield
        finally:
            # Cleared before the handler goes: SIGVTALRM's default action ends the process.
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
            self._current = None
            signal.signal(signal.SIGVTALRM, previous)

    def _expired(self, _signum, _frame) -> None:
        if self._current is not None:
            raise _OverBudget(self._current)


class _BudgetedSite:
    """The snapshot as one rule sees it under a PageBudget: the same, but its pages are timed."""

    def __init__(self, site: SiteSnapshot, budget: PageBudget, skipped: frozenset[str]):
        self._site, self._budget, self._skipped = site, budget, skipped

    def __getattr__(self, name: str):
        return getattr(self._site, name)

    def audited_pages(self) -> Iterator[PageView]:
        return self._budget.pages(self._site.audited_pages(), self._skipped)


def judge(site: SiteSnapshot, config: Settings) -> tuple[list[Finding], list[Overrun]]:
    """Every registered rule whose evidence the run read over the stored run, its findings in a
    stable order, and the pages a rule could not finish within config.crawl.rule_seconds each.
    A rule whose evidence lies in pages the run did not read reports nothing: it is 未检查."""
    budget = PageBudget(config.crawl.rule_seconds)
    findings: list[Finding] = []
    overruns: list[Overrun] = []
    for spec in registered_rules():
        if site.reads(spec.needs) and site.registers.judges(spec.id):
            found, over = budget.findings(spec, site, config)
            findings += found
            overruns += over
    return sorted(findings, key=lambda f: (f.rule, f.column or "", f.url, f.evidence)), overruns


def unjudged_rules(site: SiteSnapshot) -> list[str]:
    """The rules the run could not judge: what they need lies in pages it did not read, or in a
    register not imported for the quarter, or in a column the imported register does not have."""
    return [spec.id for spec in registered_rules() if not site.reads(spec.needs) or not site.registers.judges(spec.id)]


def annotate(findings: list[Finding], site: SiteSnapshot, config: Settings) -> list[FindingNotes]:
    """Each finding's fingerprint, 责任单位, scoring indicator and why its page belongs to its
    column, stored beside it."""
    notes = []
    for finding, fingerprint in zip(findings, fingerprints(findings, site.site_url)):
        units, source = attribute(finding, site, config.units)
        notes.append(
            FindingNotes(
                fingerprint,
                units,
                source,
                indicator_for(finding, site, config.scoring),
                site.membership_note(finding.url, finding.column),
            )
        )
    return notes


def conclude_run(store: Store, run_id: int, config: Settings) -> tuple[list[Finding], SiteSnapshot]:
    """Judge a crawled run, store its findings (with fingerprint, units, indicator), mark it finished."""
    site = store.snapshot(run_id, config)
    run = store.run(run_id)
    site.previous_home = previous_home(store, run)
    site.probes = period_probes(store, run)
    findings, overruns = judge(site, config)
    store.save_annotated_findings(run_id, list(zip(findings, annotate(findings, site, config))))
    # Nothing else could be judged when the audit could not open the home page, whatever the probes say.
    unreachable = site.home_failure() is not None
    store.finish_run(
        run_id,
        RunStatus.UNREACHABLE if unreachable else RunStatus.DONE,
        unjudged_rules(site),
        [[over.rule, over.url] for over in overruns],
    )
    return findings, site


def rejudge_registers(store: Store, run_id: int, config: Settings) -> list[Finding]:
    """The register rules judged again against a finished run, with the registers imported for its
    quarter now (a register that reached the office after the run): the run's register findings
    are replaced, its website findings kept, and its unjudged rules brought up to date, so its
    reports and the history states that follow from them count the register problems. Nothing is
    crawled again. Returns the register findings."""
    site = store.snapshot(run_id, config)
    register_rules = [spec for spec in registered_rules() if judges_register(spec.id)]
    findings: list[Finding] = []
    for spec in register_rules:
        if site.reads(spec.needs) and site.registers.judges(spec.id):
            findings += spec.findings(site, config)
    findings.sort(key=lambda f: (f.rule, f.column or "", f.url, f.evidence))
    store.save_annotated_findings(
        run_id, list(zip(findings, annotate(findings, site, config))), [spec.id for spec in register_rules]
    )
    set_unjudged_rules(store, run_id, unjudged_rules(site))
    return findings
