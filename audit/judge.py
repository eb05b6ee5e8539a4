"""Judging a crawled run: every rule over the stored pages, each finding annotated with its
fingerprint, 责任单位 and scoring indicator, and stored. Used by the audit run and by the pipeline
when the spider runs alone under `scrapy crawl`."""
from __future__ import annotations

from audit.store import FindingNotes, RunStatus, Store
from audit.store.history import fingerprints, previous_home
from reports.scoring import indicator_for
from reports.units import attribute
from rules import Finding, registered_rules
from rules.settings import Settings
from rules.snapshot import SiteSnapshot

UNREACHABLE_RULE = "site.unreachable"


def evaluate(site: SiteSnapshot, config: Settings) -> list[Finding]:
    """Every registered rule whose evidence the run read over the stored run, in a stable order.
    A rule whose evidence lies in pages the run did not read reports nothing: it is 未检查."""
    findings = [finding for spec in registered_rules() if site.reads(spec.needs)
                for finding in spec.findings(site, config)]
    return sorted(findings, key=lambda f: (f.rule, f.column or "", f.url, f.evidence))


def unjudged_rules(site: SiteSnapshot) -> list[str]:
    """The rules the run could not judge: what they need lies in pages it did not read."""
    return [spec.id for spec in registered_rules() if not site.reads(spec.needs)]


def annotate(findings: list[Finding], site: SiteSnapshot, config: Settings) -> list[FindingNotes]:
    """Each finding's fingerprint, 责任单位, scoring indicator and why its page belongs to its
    column, stored beside it."""
    notes = []
    for finding, fingerprint in zip(findings, fingerprints(findings, site.site_url)):
        units, source = attribute(finding, site, config.units)
        notes.append(FindingNotes(fingerprint, units, source, indicator_for(finding, site, config.scoring),
                                  site.membership_note(finding.url, finding.column)))
    return notes


def conclude_run(store: Store, run_id: int, config: Settings) -> tuple[list[Finding], SiteSnapshot]:
    """Judge a crawled run, store its findings (with fingerprint, units, indicator), mark it finished."""
    site = store.snapshot(run_id, config)
    site.previous_home = previous_home(store, store.run(run_id))
    findings = evaluate(site, config)
    store.save_annotated_findings(run_id, list(zip(findings, annotate(findings, site, config))))
    unreachable = any(f.rule == UNREACHABLE_RULE for f in findings)
    store.finish_run(run_id, RunStatus.UNREACHABLE if unreachable else RunStatus.DONE, unjudged_rules(site))
    return findings, site
