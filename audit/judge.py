"""Judging a crawled run: every rule over the stored pages, each finding annotated with its
fingerprint, 责任单位 and scoring indicator, and stored. Used by the audit run and by the pipeline
when the spider runs alone under `scrapy crawl`."""
from __future__ import annotations

from audit.config import AuditConfig
from audit.store import FindingNotes, Store
from audit.store.history import fingerprints, previous_home
from reports.config import ReportConfig, load_report_config
from reports.scoring import indicator_for
from reports.units import attribute
from rules import Finding, registered_rules
from rules.snapshot import SiteSnapshot

UNREACHABLE_RULE = "site.unreachable"


def evaluate(site: SiteSnapshot, config: AuditConfig) -> list[Finding]:
    """Every registered rule whose evidence the run read over the stored run, in a stable order.
    A rule whose evidence lies in pages the run did not read reports nothing: it is 未检查."""
    findings = [finding for spec in registered_rules() if site.reads(spec.needs)
                for finding in spec.findings(site, config)]
    return sorted(findings, key=lambda f: (f.rule, f.column or "", f.url, f.evidence))


def unjudged_rules(site: SiteSnapshot) -> list[str]:
    """The rules the run could not judge: what they need lies in pages it did not read."""
    return [spec.id for spec in registered_rules() if not site.reads(spec.needs)]


def annotate(findings: list[Finding], site: SiteSnapshot, report_config: ReportConfig) -> list[FindingNotes]:
    """Each finding's fingerprint, 责任单位, scoring indicator and why its page belongs to its
    column, stored beside it."""
    notes = []
    for finding, fingerprint in zip(findings, fingerprints(findings, site.site_url)):
        units, source = attribute(finding, site, report_config.units)
        notes.append(FindingNotes(fingerprint, units, source, indicator_for(finding, site, report_config.scoring),
                                  site.membership_note(finding.url, finding.column)))
    return notes


def conclude_run(store: Store, run_id: int, config: AuditConfig,
                 report_config: ReportConfig | None = None) -> tuple[list[Finding], SiteSnapshot]:
    """Judge a crawled run, store its findings (with fingerprint, units, indicator), mark it finished."""
    report_config = report_config or load_report_config()
    site = store.snapshot(run_id, config)
    site.previous_home = previous_home(store, store.run(run_id))
    findings = evaluate(site, config)
    store.save_annotated_findings(run_id, list(zip(findings, annotate(findings, site, report_config))))
    unreachable = any(f.rule == UNREACHABLE_RULE for f in findings)
    store.finish_run(run_id, "unreachable" if unreachable else "done", unjudged_rules(site))
    return findings, site
