"""One audit from start to end: crawl into the store, judge the stored run, write the outputs."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from audit.config import AuditConfig, ConfigError
from crawler.urls import canonical_url
from audit.exports import DEFAULT_FORMATS, write_csv, write_json, write_xlsx
from audit.history import fingerprints
from audit.progress import CrawlProgress
from audit.quarters import Quarter
from audit.report_config import ReportConfig, load_report_config
from audit.scoring import indicator_for
from audit.store import FindingNotes, Store, StoreError
from audit.summary import ColumnSummary, summarise_columns
from audit.units import attribute
from reports.data import build_bulletin
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
    return canonical_url(parts._replace(path=parts.path or "/").geturl())


@dataclass
class AuditOutcome:
    run_id: int
    status: str
    findings: list[Finding]
    columns: list[ColumnSummary]
    pages: int
    findings_path: Path | None
    bulletin_path: Path | None
    # Every file written, by format (html, json, xlsx, csv).
    outputs: dict[str, Path] = field(default_factory=dict)


def evaluate(site: SiteSnapshot, config: AuditConfig) -> list[Finding]:
    """Every registered rule over the stored run, in a stable order."""
    findings = [finding for spec in registered_rules() for finding in spec.findings(site, config)]
    return sorted(findings, key=lambda f: (f.rule, f.column or "", f.url, f.evidence))


def check_rule_settings(config: AuditConfig) -> None:
    """Run every rule once over an empty site, so a bad rule setting in the config stops the
    audit before the crawl (exit 2) rather than after an hour of crawling."""
    empty = SiteSnapshot(site_url="http://settings.check/", as_of=date.today(), scope=None, config=config)
    try:
        evaluate(empty, config)
    except ConfigError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise ConfigError(f"规则配置无效 / invalid rule setting: {type(exc).__name__}: {exc}") from exc


def annotate(findings: list[Finding], site: SiteSnapshot, report_config: ReportConfig) -> list[FindingNotes]:
    """Each finding's fingerprint, 责任单位 and scoring indicator, stored beside it."""
    notes = []
    for finding, fingerprint in zip(findings, fingerprints(findings, site.site_url)):
        units, source = attribute(finding, site, report_config.units)
        notes.append(FindingNotes(fingerprint, units, source, indicator_for(finding, site, report_config.scoring)))
    return notes


def conclude_run(store: Store, run_id: int, config: AuditConfig,
                 report_config: ReportConfig | None = None) -> tuple[list[Finding], SiteSnapshot]:
    """Judge a crawled run, store its findings (with fingerprint, units, indicator), mark it finished."""
    report_config = report_config or load_report_config()
    site = store.snapshot(run_id, config)
    findings = evaluate(site, config)
    store.save_annotated_findings(run_id, list(zip(findings, annotate(findings, site, report_config))))
    unreachable = any(f.rule == UNREACHABLE_RULE for f in findings)
    store.finish_run(run_id, "unreachable" if unreachable else "done")
    return findings, site


def crawl(store: Store, run_id: int, site_url: str, column: str | None, config: AuditConfig,
          progress: CrawlProgress | None = None, resume: bool = False) -> None:
    """Run the portal spider into `run_id`; blocks until the crawl ends (once per process).

    Raises StoreError when the store could not be written (a full disk): the crawl stops at
    once, everything committed before stays, and the run is marked failed where possible.
    """
    from crawler.pipelines import STORE_FAILED
    from crawler.spiders.portal import PortalSpider

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("GOVAUDIT_DB", store.db_url)
    settings.set("GOVAUDIT_RUN_ID", run_id)
    settings.set("GOVAUDIT_RESUME", resume)
    settings.set("DOWNLOAD_TIMEOUT", config.crawl.timeout)
    settings.set("DNS_TIMEOUT", config.crawl.timeout)
    settings.set("CLOSESPIDER_PAGECOUNT", config.crawl.max_pages)
    settings.set("ROBOTSTXT_OBEY", config.crawl.obey_robots)
    # Fetch failures are stored and reported as findings; Scrapy's own log would only repeat them.
    settings.set("LOG_LEVEL", "CRITICAL")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(PortalSpider)
    if progress is not None:
        progress.attach(crawler)
    process.crawl(crawler, url=site_url, column=column, config=config)
    process.start()
    if crawler.stats.get_value("finish_reason") == STORE_FAILED:
        try:
            store.finish_run(run_id, "failed")
        except StoreError:
            pass  # the store that failed the crawl may refuse this too; the run stays "running"
        raise StoreError("数据库写入失败，检查已停止（已保存的内容不受影响）/ the database could not be written; "
                         "the audit stopped and everything stored before is kept")


def write_outputs(store: Store, run_id: int, site: SiteSnapshot, config: AuditConfig,
                  report_config: ReportConfig, out_dir: Path,
                  formats: tuple[str, ...] = DEFAULT_FORMATS) -> dict[str, Path]:
    """Write the run's bulletin and 问题清单 in each of `formats` into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    run = store.run(run_id)
    data = build_bulletin(store, run, site, config, report_config)
    written: dict[str, Path] = {}
    if "json" in formats:
        written["json"] = write_json(out_dir / "findings.json", list(data.findings))
    if "html" in formats:
        path = out_dir / "bulletin.html"
        path.write_text(render_bulletin(data), encoding="utf-8")
        written["html"] = path
    if "xlsx" in formats:
        written["xlsx"] = write_xlsx(out_dir / "findings.xlsx", data)
    if "csv" in formats:
        written["csv"] = write_csv(out_dir / "findings.csv", data)
    return written


def render_stored(store: Store, run_id: int, config: AuditConfig, report_config: ReportConfig, out_dir: Path,
                  formats: tuple[str, ...] = DEFAULT_FORMATS) -> dict[str, Path]:
    """Write the outputs of a run already in the store (no crawl)."""
    return write_outputs(store, run_id, store.snapshot(run_id, config), config, report_config, out_dir, formats)


def run_audit(site_url: str, *, as_of: date, column: str | None, store: Store, config: AuditConfig,
              out_dir: Path, progress: CrawlProgress | None = None, report_config: ReportConfig | None = None,
              formats: tuple[str, ...] = DEFAULT_FORMATS) -> AuditOutcome:
    site_url = check_site_url(site_url)
    if column is not None:
        config.column(column)
    report_config = report_config or load_report_config()
    # The same audit killed before it finished is resumed, not started over.
    interrupted = store.interrupted_run(site_url, as_of, column, config.fingerprint)
    if interrupted is None:
        run_id = store.start_run(site_url, as_of, column, config.fingerprint)
    else:
        run_id = interrupted
        store.claim_run(run_id)
    crawl(store, run_id, site_url, column, config, progress, resume=interrupted is not None)
    findings, site = conclude_run(store, run_id, config, report_config)
    columns = summarise_columns(site)
    outputs = write_outputs(store, run_id, site, config, report_config, out_dir, formats)
    status = store.run(run_id).status
    return AuditOutcome(run_id, status, findings, columns, len(site.pages), outputs.get("json"), outputs.get("html"),
                        outputs)


def quarterly_as_of(quarter: Quarter, today: date) -> date:
    """The as-of date of the quarterly check of `quarter`: today while today reports on it (the month
    after it ends), else the quarter's last day. A quarter that has not ended is a ValueError."""
    if quarter >= Quarter.containing(today):
        raise ValueError(f"{quarter.label} 尚未结束 / quarter {quarter.label} has not ended yet")
    return today if Quarter.reported(today) == quarter else quarter.last_day
