"""The `govaudit` command: audit a portal, run the bundled demo, list rules, read one page."""
from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from dataclasses import replace
from datetime import date
from importlib import resources
from pathlib import Path

import click
from rich.console import Console

from audit.config import AuditConfig, ConfigError, load_config
from audit.progress import CrawlProgress
from audit.runner import AuditOutcome, BadSiteURL, check_site_url, run_audit
from audit.store import Store, StoreError, default_db_url
from rules import registered_rules

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_UNREACHABLE = 3

# The sample portal's content is dated up to 2022-10-10: the demo audits it as of this day.
DEMO_AS_OF = date(2022, 10, 15)

# markup/highlight off: crawled titles with [brackets] must print as they are.
err = Console(stderr=True, markup=False, highlight=False, emoji=False, soft_wrap=True)


def _fail_usage(message: str) -> None:
    err.print(f"错误 / error: {message}")
    sys.exit(EXIT_USAGE)


def _parse_date(_ctx, _param, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD: {value!r}") from None


def _open(config_path: str | None, db_url: str | None) -> tuple[AuditConfig, Store]:
    try:
        config = load_config(config_path)
        store = Store(db_url or default_db_url())
    except (ConfigError, StoreError) as exc:
        _fail_usage(str(exc))
    return config, store


@click.group(epilog="示例 / example: govaudit audit http://127.0.0.1:8000/ --as-of 2022-10-15 --out out/")
@click.version_option(package_name="govaudit")
def main() -> None:
    """govaudit — 县级政府门户网站政务公开检查工具。

    Crawls a county government portal, checks the required columns, disclosure labels and
    freshness, stores everything in a database and writes findings.json and bulletin.html.
    """


def _audit_options(func):
    func = click.option("--as-of", "as_of", callback=_parse_date, metavar="YYYY-MM-DD",
                        help="检查基准日（默认今天）/ the date freshness is judged against (default: today).")(func)
    func = click.option("--column", metavar="KEY",
                        help="只检查一个栏目（lqhm, jbml, gfxwj, ggqsy, xzxk）/ audit one column only.")(func)
    func = click.option("--db", "db_url", envvar="GOVAUDIT_DB", metavar="URL",
                        help="SQLAlchemy 数据库地址（默认当前目录 govaudit.sqlite；也可用 GOVAUDIT_DB）.")(func)
    func = click.option("--config", "config_path", type=click.Path(dir_okay=False), metavar="FILE",
                        help="YAML 配置文件，覆盖默认栏目表和阈值 / YAML file overriding columns and thresholds.")(func)
    func = click.option("--timeout", type=click.FloatRange(min=0.1), metavar="SECONDS",
                        help="每个请求的超时秒数（默认15）/ per-request timeout (default 15).")(func)
    func = click.option("--max-pages", type=click.IntRange(min=1), metavar="N",
                        help="最多抓取页面数（默认20000）/ stop after this many pages (default 20000).")(func)
    func = click.option("--quiet", is_flag=True, help="不显示进度 / no progress display.")(func)
    return func


def _with_overrides(config: AuditConfig, timeout: float | None, max_pages: int | None) -> AuditConfig:
    crawl = config.crawl
    if timeout is not None:
        crawl = replace(crawl, timeout=timeout)
    if max_pages is not None:
        crawl = replace(crawl, max_pages=max_pages)
    return replace(config, crawl=crawl)


def _run(url: str, as_of: date, column: str | None, config: AuditConfig, store: Store, out_dir: Path,
         quiet: bool) -> AuditOutcome:
    if column is not None and column not in {spec.key for spec in config.columns}:
        keys = ", ".join(spec.key for spec in config.columns)
        _fail_usage(f"未知栏目 / unknown column {column!r}（可选 / choose from: {keys}）")
    try:
        url = check_site_url(url)
    except BadSiteURL as exc:
        _fail_usage(str(exc))
    err.print(f"开始检查 / auditing {url}（基准日 as-of {as_of.isoformat()}）")
    progress = None if quiet else CrawlProgress(err)
    try:
        return run_audit(url, as_of=as_of, column=column, store=store, config=config, out_dir=out_dir,
                         progress=progress)
    except StoreError as exc:
        err.print(f"错误 / error: {exc}")
        sys.exit(1)


def _report(outcome: AuditOutcome) -> int:
    counts: dict[str, int] = {}
    for finding in outcome.findings:
        counts[finding.severity.value] = counts.get(finding.severity.value, 0) + 1
    summary = "，".join(f"{name} {n}" for name, n in counts.items()) or "无"
    click.echo(f"检查完成：页面 {outcome.pages} 个，问题 {len(outcome.findings)} 个（{summary}）")
    for column in outcome.columns:
        where = column.url or "未找到"
        newest = column.newest_date.isoformat() if column.newest_date else "—"
        click.echo(f"  {column.name}（{column.key}）：{where}　条目 {column.item_count}　最新 {newest}")
    click.echo(f"问题清单 / findings: {outcome.findings_path}")
    click.echo(f"通报 / bulletin: {outcome.bulletin_path}")
    if outcome.status == "unreachable":
        err.print("网站无法访问 / site unreachable")
        return EXIT_UNREACHABLE
    return EXIT_OK


@main.command()
@click.argument("url")
@_audit_options
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("out"),
              show_default=True, help="输出目录（findings.json, bulletin.html）/ output directory.")
def audit(url, as_of, column, db_url, config_path, timeout, max_pages, quiet, out_dir):
    """检查一个政府网站 / audit the portal at URL (its host only).

    Exit status: 0 audit done (with or without findings), 2 bad arguments, 3 site unreachable.
    """
    config, store = _open(config_path, db_url)
    config = _with_overrides(config, timeout, max_pages)
    outcome = _run(url, as_of or date.today(), column, config, store, out_dir, quiet)
    sys.exit(_report(outcome))


@main.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("demo-report"),
              show_default=True, help="输出目录 / output directory.")
@click.option("--db", "db_url", metavar="URL", help="数据库地址（默认输出目录下 govaudit.sqlite）.")
@click.option("--quiet", is_flag=True, help="不显示进度 / no progress display.")
def demo(out_dir, db_url, quiet):
    """用内置示例网站演示（不联网）/ serve the bundled sample portal on 127.0.0.1 and audit it.

    The sample portal (fictional 马关县人民政府) carries a seeded problem for every rule and
    traps that must not fire; it is audited as of 2022-10-15.
    """
    from audit.portal_server import PortalServer

    out_dir.mkdir(parents=True, exist_ok=True)
    config, store = _open(None, db_url or f"sqlite:///{(out_dir / 'govaudit.sqlite').resolve()}")
    root = Path(str(resources.files("audit").joinpath("sample_portal")))
    server = PortalServer(root)
    server.start()
    try:
        err.print(f"示例网站 / sample portal: {server.base_url}")
        outcome = _run(server.base_url, DEMO_AS_OF, None, config, store, out_dir, quiet)
    finally:
        server.stop()
    sys.exit(_report(outcome))


@main.command(name="rules")
def list_rules():
    """列出全部检查规则 / list every rule with its severity and the clause it enforces."""
    for spec in registered_rules():
        summary = " ".join(spec.doc.split("\n\n")[0].split())
        click.echo(f"{spec.id:<18} {spec.severity.value}  {spec.title}")
        click.echo(f"{'':<18} 依据：{spec.clause}")
        click.echo(f"{'':<18} {summary}\n")


@main.command()
@click.argument("source")
@click.option("--url", metavar="URL", help="页面原始地址（解析相对链接）/ the page's original URL.")
@click.option("--encoding", metavar="NAME", help="强制使用的字符编码 / force this text encoding.")
def extract(source, url, encoding):
    """显示抓取器从一个页面读到的内容（JSON）/ print what the crawler reads from one page.

    SOURCE is a saved file or an http(s) URL.
    """
    from crawler.reading import read_page

    content_type = None
    if source.startswith(("http://", "https://")):
        try:
            check_site_url(source)
            with urllib.request.urlopen(source, timeout=15) as response:
                body = response.read(30 * 1024 * 1024)
                content_type = response.headers.get("Content-Type")
                url = url or response.geturl()
        except (BadSiteURL, urllib.error.URLError, OSError, ValueError) as exc:
            _fail_usage(f"无法获取页面 / cannot fetch {source}: {exc}")
    else:
        path = Path(source)
        try:
            body = path.read_bytes()
        except OSError as exc:
            _fail_usage(f"无法读取文件 / cannot read {source}: {exc.strerror or exc}")
        url = url or path.resolve().as_uri()
    reading = read_page(body, url, content_type=content_type, encoding=encoding)
    click.echo(json.dumps(reading.to_json(), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
