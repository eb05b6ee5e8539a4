"""One audit from start to end: crawl into the store, judge the stored run, write the outputs."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from audit.config import AuditConfig
from audit.progress import CrawlProgress
from audit.store import Store
from audit.summary import ColumnSummary, summarise_columns
from reports.render import render_bulletin
from rules import Finding, registered_rules
from rules.snapshot import SiteSnapshot

UNREACHABLE_RULE = "site.unreachable"


class BadSiteURL(ValueError):
    """The address to audit is not an http(s) URL with a host."""


def check_site_url(url: str) -> str:
    """The URL to audit, normalised (a bare host path gets a trailing /), or BadSiteURL."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        raise BadSiteURL(f"网址必须以 http:// 或 https:// 开头 / URL must start with http:// or https://: {url!r}")
    if not parts.hostname:
        raise BadSiteURL(f"网址缺少主机名 / URL has no host: {url!r}")
    try:
        parts.port
    except ValueError as exc:
        raise BadSiteURL(f"网址端口无效 / URL has an invalid port: {url!r}") from exc
    return parts._replace(path=parts.path or "/").geturl()


@dataclass
class AuditOutcome:
    run_id: int
    status: str
    findings: list[Finding]
    columns: list[ColumnSummary]
    pages: int
    findings_path: Path
    bulletin_path: Path


def evaluate(site: SiteSnapshot, config: AuditConfig) -> list[Finding]:
    """Every registered rule over the stored run, in a stable order."""
    findings = [finding for spec in registered_rules() for finding in spec.findings(site, config)]
    return sorted(findings, key=lambda f: (f.rule, f.column or "", f.url, f.evidence))


def conclude_run(store: Store, run_id: int, config: AuditConfig) -> tuple[list[Finding], SiteSnapshot]:
    """Judge a crawled run, store its findings and mark it finished."""
    site = store.snapshot(run_id, config)
    findings = evaluate(site, config)
    store.save_findings(run_id, findings)
    unreachable = any(f.rule == UNREACHABLE_RULE for f in findings)
    store.finish_run(run_id, "unreachable" if unreachable else "done")
    return findings, site


def crawl(store: Store, run_id: int, site_url: str, column: str | None, config: AuditConfig,
          progress: CrawlProgress | None = None) -> None:
    """Run the portal spider into `run_id`; blocks until the crawl ends (once per process)."""
    from crawler.spiders.portal import PortalSpider

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("GOVAUDIT_DB", store.db_url)
    settings.set("GOVAUDIT_RUN_ID", run_id)
    settings.set("DOWNLOAD_TIMEOUT", config.crawl.timeout)
    settings.set("CLOSESPIDER_PAGECOUNT", config.crawl.max_pages)
    # Fetch failures are stored and reported as findings; Scrapy's own log would only repeat them.
    settings.set("LOG_LEVEL", "CRITICAL")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(PortalSpider)
    if progress is not None:
        progress.attach(crawler)
    process.crawl(crawler, url=site_url, column=column, config=config)
    process.start()


def write_outputs(out_dir: Path, findings: list[Finding], site: SiteSnapshot, columns: list[ColumnSummary],
                  config: AuditConfig) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    findings_path = out_dir / "findings.json"
    findings_path.write_text(
        json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    bulletin_path = out_dir / "bulletin.html"
    bulletin_path.write_text(render_bulletin(site, findings, columns, config), encoding="utf-8")
    return findings_path, bulletin_path


def run_audit(site_url: str, *, as_of: date, column: str | None, store: Store, config: AuditConfig,
              out_dir: Path, progress: CrawlProgress | None = None) -> AuditOutcome:
    site_url = check_site_url(site_url)
    if column is not None:
        config.column(column)
    run_id = store.start_run(site_url, as_of, column, config.fingerprint)
    crawl(store, run_id, site_url, column, config, progress)
    findings, site = conclude_run(store, run_id, config)
    columns = summarise_columns(site)
    findings_path, bulletin_path = write_outputs(out_dir, findings, site, columns, config)
    status = store.run(run_id).status
    return AuditOutcome(run_id, status, findings, columns, len(site.pages), findings_path, bulletin_path)
