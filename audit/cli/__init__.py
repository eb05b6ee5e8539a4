"""The `govaudit` command: audit a portal, run the bundled demo, list rules, read one page."""

from __future__ import annotations

import functools
import getpass
import json
import signal
import socket
import sys
import threading
import traceback
import urllib.error
import urllib.request
from contextlib import ExitStack
from datetime import date, datetime, timezone
from importlib import resources
from pathlib import Path

import click
from rich.cells import cell_len
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError

from audit.cli.county import init
from audit.cli.options import (
    as_of_option,
    column_option,
    config_option,
    crawl_options,
    db_option,
    format_option,
    politeness_options,
    quiet_option,
)
from audit.config import ConfigError, check_notify, load_settings
from audit.judging.verdicts import COLUMN_CHECK
from audit.run.crawl import AuditInterrupted, FrontierLost, help_crawl
from audit.run.lifecycle import AuditOutcome, QuarterTaken, quarterly_as_of, run_audit
from audit.run.logfile import append_line, command_log, write_line
from audit.run.notify import RunNote, send
from audit.run.progress import CrawlProgress
from audit.run.runner import find_finding, pending_run, render_stored
from audit.run.share import RedisUnavailable, SharedCrawl
from audit.store import FINISHED, RunStatus, Store, StoreError, default_db_url
from crawler.reading.browser import find_chromium
from crawler.vocabulary.quarters import BadQuarter, Quarter
from crawler.vocabulary.urls import BadSiteURL, check_site_url
from reports.files import OutputError, check_writable, output_path
from reports.formats import BY_NAME, BadFormat, parse_formats
from reports.masking import clean, for_terminal
from reports.summary import column_place, page_cap_note
from reports.times import beijing_time
from rules import registered_rules
from rules.catalogue import basis_text, markdown_reference, option_lines
from rules.registers import KINDS, RegisterKind, kind_named
from rules.settings import Settings

EXIT_OK = 0
EXIT_DATABASE = 1
EXIT_USAGE = 2
EXIT_UNREACHABLE = 3
EXIT_OUTPUT = 4

# The sample portal's content is dated up to 2022-10-10: the demo audits it as of this day.
DEMO_AS_OF = date(2022, 10, 15)
# `govaudit demo --serve` listens here unless --port says otherwise (the port the README's examples use).
DEMO_PORT = 8000
# `govaudit show --original` records each export here (who, when, which page, its digest).
EXPORT_LOG = "govaudit-originals.log"

# markup/highlight off: crawled titles with [brackets] must print as they are.
err = Console(stderr=True, markup=False, highlight=False, emoji=False, soft_wrap=True)


def _fail_usage(message: str) -> None:
    err.print(f"错误 / error: {message}")
    sys.exit(EXIT_USAGE)


# Where the command's settings are kept for the notify hook (click's per-invocation meta).
_SETTINGS = "govaudit.settings"


def _open(config_path: str | None, db_url: str | None) -> tuple[Settings, Store]:
    """The command's settings (loaded and checked once) and its store, or one line and exit 2."""
    try:
        settings = load_settings(config_path)
        store = Store(db_url or default_db_url())
    except (ConfigError, StoreError) as exc:
        _fail_usage(str(exc))
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.meta[_SETTINGS] = settings
    return settings, store


def _check_out(out_dir: Path) -> None:
    """A folder the outputs cannot be written to is found before the crawl, not after it."""
    try:
        check_writable(out_dir)
    except OutputError as exc:
        _fail_usage(str(exc))


def _fail_output(exc: OutputError) -> None:
    err.print(f"错误 / error: {exc}（已有的输出文件未改动 / earlier outputs are left as they were）")
    sys.exit(EXIT_OUTPUT)


def _finished_run(store: Store, run_id: int, refusal: str):
    """The stored run `run_id`, or one line and exit 2 when there is none or it is not finished."""
    try:
        run = store.run(run_id)
    except StoreError as exc:
        _fail_usage(str(exc))
    if run.status not in FINISHED:
        _fail_usage(f"检查 {run_id} 尚未完成，{refusal} / run {run_id} is not finished")
    return run


def _formats(value: str | None) -> tuple[str, ...]:
    try:
        formats = parse_formats(value)
    except BadFormat as exc:
        _fail_usage(str(exc))
    if "pdf" in formats and find_chromium() is None:
        # Said before the crawl, not after an hour of it.
        _fail_usage(
            "--format pdf 需要 Chromium（Debian: apt-get install chromium，或设置 GOVAUDIT_CHROMIUM）/ "
            "--format pdf needs Chromium on PATH or in GOVAUDIT_CHROMIUM"
        )
    return formats


class _Commands(click.Group):
    """The commands, and one `<kind> import` group per register kind, read from rules.registers.KINDS
    when asked (so the list of kinds is the only place a kind is named)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | {kind.name for kind in KINDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        kind = kind_named(name)
        return _register_group(kind) if kind is not None else super().get_command(ctx, name)


@click.group(
    cls=_Commands, epilog="示例 / example: govaudit audit http://127.0.0.1:8000/ --as-of 2022-10-15 --out out/"
)
@click.version_option(package_name="govaudit")
def main() -> None:
    """govaudit — 县级政府门户网站政务公开检查工具。

    Crawls a county government portal, checks the required columns, disclosure labels and
    freshness, stores everything in a database and writes findings.json and bulletin.html.
    """


def _audit_options(func):
    for option in reversed(
        (
            as_of_option(),
            column_option,
            db_option(),
            config_option(),
            crawl_options,
            politeness_options,
            quiet_option,
            format_option(),
        )
    ):
        func = option(func)
    return func


def _notify_option(_ctx, _param, value: str | None) -> str | None:
    try:
        return None if value is None else check_notify(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


# Where the notify hook finds what the command learnt (click's per-invocation meta).
_NOTE = "govaudit.note"


def _note(**fields) -> None:
    """Record facts for the notify hook (nothing outside the unattended commands)."""
    ctx = click.get_current_context(silent=True)
    note = ctx.meta.get(_NOTE) if ctx is not None else None
    if note is not None:
        for name, value in fields.items():
            setattr(note, name, value)


def _unattended(command):
    """--log-file, --verbose and --notify for the commands cron and systemd run: the log gets every
    line printed (timed, masked), and the hook runs once the command's exit code is known."""

    @click.option(
        "--log-file",
        "log_file",
        type=click.Path(dir_okay=False, path_type=Path),
        metavar="FILE",
        help="把输出和警告（带时间）追加到此文件，目录不存在时建立 / append output and warnings, "
        "time-stamped, to FILE.",
    )
    @click.option(
        "--verbose",
        is_flag=True,
        help="更多细节：Scrapy 的 INFO 日志、每个抓取的页面（写入 --log-file，否则显示在终端）/ "
        "more detail: Scrapy INFO and every page fetched.",
    )
    @click.option(
        "--notify",
        metavar="CMD|URL",
        callback=_notify_option,
        help="结束后运行的命令（环境变量 GOVAUDIT_EXIT 等）或接收 JSON 的 http(s) 地址；"
        "默认取配置 notify / command or webhook run after the audit.",
    )
    @click.option("--no-notify", is_flag=True, help="不运行配置中的通知 / skip the configured notify hook.")
    @functools.wraps(command)
    def run(*args, log_file, verbose, notify, no_notify, **kwargs):
        note = RunNote(click.get_current_context().info_name)
        click.get_current_context().meta[_NOTE] = note
        with ExitStack() as stack:
            try:
                log = stack.enter_context(command_log(log_file, verbose))
            except OSError as exc:
                _fail_usage(f"无法写入日志文件 / cannot write the log file {log_file}: {exc.strerror or exc}")
            write_line(log, f"—— govaudit {' '.join(sys.argv[1:])}")
            code = 1  # what Python exits with on an error nothing caught
            try:
                command(*args, **kwargs)
                code = EXIT_OK
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else EXIT_OK if exc.code is None else EXIT_DATABASE
                raise
            except KeyboardInterrupt:
                code = 128 + signal.SIGINT
                raise
            except SQLAlchemyError as exc:
                # The database went away after it was opened (restarted, connection lost): one line and the
                # database's exit code; run again (a worker does, with pauses), the audit resumes its run.
                code = EXIT_DATABASE
                err.print(
                    f"错误 / error: 数据库暂时无法访问，已保存的内容不受影响，重新运行即从中断处继续 / "
                    f"the database became unavailable; what was stored is kept and a new run resumes: "
                    f"{str(getattr(exc, 'orig', None) or exc).strip().splitlines()[0]}"
                )
                sys.exit(code)
            except Exception as exc:
                if _redis_gone(exc):
                    # Redis went away where nothing waits for it: one line, exit 1; the run is interrupted
                    # and the same command resumes it (a worker waits for Redis and does).
                    code = EXIT_DATABASE
                    err.print(f"错误 / error: {RedisUnavailable()}: {str(exc).strip().splitlines()[0]}")
                    sys.exit(code)
                write_line(log, f"内部错误 / internal error:\n{traceback.format_exc()}")
                raise
            finally:
                write_line(log, f"—— 结束 / finished: 退出码 exit {code}")
                settings = click.get_current_context().meta.get(_SETTINGS)
                target = None if no_notify else notify or (settings.notify if settings is not None else None)
                if target is not None:
                    allowed = settings.notify_allow_internal if settings is not None else ()
                    for line in send(target, note.payload(code, log_file), allowed):
                        err.print(line)

    return run


def _redis_gone(exc: Exception) -> bool:
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeout
    except ImportError:
        return False
    return isinstance(exc, (RedisConnectionError, RedisTimeout))


def _screenshots_option(func):
    return click.option(
        "--screenshots",
        is_flag=True,
        help="为每个问题页面生成截图放在附件1中（需要 Chromium，渲染保存的页面副本，不联网）/ "
        "a thumbnail of each problem page, rendered offline from its kept copy.",
    )(func)


def _with_overrides(
    settings: Settings,
    timeout: float | None,
    max_pages: int | None,
    concurrency: int | None = None,
    delay: float | None = None,
) -> Settings:
    """The settings with the crawl limits given on the command line (the fingerprint stays: as before,
    a run resumed with another --timeout is the same run)."""
    given = {"timeout": timeout, "max_pages": max_pages, "concurrency": concurrency, "delay": delay}
    crawl = settings.crawl.model_copy(update={name: value for name, value in given.items() if value is not None})
    return settings.model_copy(update={"crawl": crawl})


def _run(
    url: str,
    as_of: date,
    column: str | None,
    config: Settings,
    store: Store,
    out_dir: Path,
    quiet: bool,
    formats: tuple[str, ...] = ("html", "json"),
    once_per_quarter: bool = False,
    shared: SharedCrawl | None = None,
    screenshots: bool = False,
) -> AuditOutcome:
    audited = [spec.key for spec in config.columns if spec.required]
    if column is not None and column not in audited:
        keys = ", ".join(audited)
        _fail_usage(f"未知栏目 / unknown column {column!r}（可选 / choose from: {keys}）")
    try:
        url = check_site_url(url)
    except BadSiteURL as exc:
        _fail_usage(str(exc))
    _check_out(out_dir)
    _note(url=url, out=str(out_dir.resolve()), quarter=Quarter.reported(as_of).label)
    err.print(f"开始检查 / auditing {url}（基准日 as-of {as_of.isoformat()}）")
    progress = None if quiet else CrawlProgress(err)
    try:
        return run_audit(
            url,
            as_of=as_of,
            column=column,
            store=store,
            config=config,
            out_dir=out_dir,
            progress=progress,
            formats=formats,
            once_per_quarter=once_per_quarter,
            shared=shared,
            screenshots=screenshots,
        )
    except QuarterTaken as exc:
        _note(run_id=exc.run_id, summary=f"该季度已由检查 {exc.run_id} 检查或正在检查，本次未重复检查")
        click.echo(
            f"该季度已由检查 {exc.run_id} 检查或正在检查，本次不重复检查 / "
            f"run {exc.run_id} has audited or is auditing this quarter"
        )
        sys.exit(EXIT_OK)
    except StoreError as exc:
        err.print(f"错误 / error: {exc}")
        sys.exit(EXIT_DATABASE)
    except FrontierLost:
        err.print(
            "错误 / error: Redis 重启后丢失了待抓取队列，检查已标记为中断；再次运行同一命令即从数据库补全 / "
            "Redis lost the frontier; run the same command again to resume from the store"
        )
        sys.exit(EXIT_DATABASE)
    except RedisUnavailable as exc:
        err.print(f"错误 / error: {exc}")
        sys.exit(EXIT_DATABASE)
    except OutputError as exc:
        _fail_output(exc)
    except AuditInterrupted as exc:
        err.print(
            f"检查已中断（{exc}），未生成报告；再次运行同一命令即从中断处继续 / "
            f"audit interrupted, no report written; run the same command again to resume"
        )
        sys.exit(128 + exc.signum)


def _help_crawl(store: Store, shared: SharedCrawl, joined: str, config: Settings) -> int:
    """Help another worker crawl its site (`--join`): one line of what this process fetched."""
    try:
        helped = help_crawl(store, shared, joined, config)
    except (StoreError, RedisUnavailable) as exc:
        err.print(f"错误 / error: {exc}")
        return EXIT_DATABASE
    if helped is not None:
        site, fetched = helped
        err.print(f"协助检查 {for_terminal(site)}：抓取 {fetched} 个页面 / helped crawl {site}: {fetched} fetched")
    return EXIT_OK


def _print_outputs(outputs: dict[str, Path]) -> None:
    for kind, path in outputs.items():
        click.echo(f"{BY_NAME[kind].label}: {path}")


def _report(outcome: AuditOutcome) -> int:
    counts: dict[str, int] = {}
    for finding in outcome.findings:
        counts[finding.severity.value] = counts.get(finding.severity.value, 0) + 1
    summary = "，".join(f"{name} {n}" for name, n in counts.items()) or "无"
    done = f"检查完成：页面 {outcome.pages} 个，问题 {len(outcome.findings)} 个（{summary}）"
    click.echo(done)
    _note(
        run_id=outcome.run_id,
        status=outcome.status,
        pages=outcome.pages,
        findings=len(outcome.findings),
        severities=counts,
        summary=done if outcome.status != RunStatus.UNREACHABLE else f"网站无法访问；{done}",
    )
    received = f"下载 {outcome.bytes_received / 1_000_000:.1f} MB"
    if outcome.pages_not_modified:
        received += (
            f"，其中 {outcome.pages_not_modified} 个页面自上次检查以来未改变（服务器答复 304），沿用上次读取的内容"
        )
    click.echo(received)
    if outcome.page_cap is not None:
        click.echo(page_cap_note(outcome.page_cap, outcome.pages_left, outcome.pages))
    settings = click.get_current_context().meta.get(_SETTINGS)
    max_clicks = (settings or load_settings(None)).crawl.max_clicks
    for column in outcome.columns:
        # The bulletin's words: found (with its click path), found too deep, or not found.
        where = for_terminal(column_place(column, max_clicks))
        newest = column.newest_date.isoformat() if column.newest_date else "—"
        click.echo(f"  {for_terminal(column.name)}（{column.key}）：{where}　条目 {column.item_count}　最新 {newest}")
    _print_outputs(outcome.outputs)
    if outcome.status == RunStatus.UNREACHABLE:
        err.print("网站无法访问 / site unreachable")
        return EXIT_UNREACHABLE
    return EXIT_OK


def _redis_options(func):
    func = click.option(
        "--redis",
        "redis_url",
        envvar="GOVAUDIT_REDIS",
        metavar="URL",
        help="Redis 地址（redis://主机:端口/库号；也可用 GOVAUDIT_REDIS），多个工作进程共享抓取队列 / "
        "the shared Redis.",
    )(func)
    func = click.option(
        "--redis-prefix",
        envvar="GOVAUDIT_REDIS_PREFIX",
        default="govaudit",
        show_default=True,
        metavar="NAME",
        help="Redis 键名前缀，一个 Redis 上的多套检查互不干扰 / Redis key prefix.",
    )(func)
    return func


def _queue(redis_url: str, prefix: str, lease: float | None = None):
    """The job queue in Redis, or one line and exit 2 when it cannot be had."""
    try:
        from audit.run.cluster import LEASE_SECONDS, ClusterError, JobQueue, connect
    except ImportError as exc:
        _fail_usage(
            f"缺少 {exc.name}，请 pip install 'govaudit[cluster]' / missing {exc.name}: pip install 'govaudit[cluster]'"
        )
    try:
        return JobQueue(connect(redis_url), prefix, lease or LEASE_SECONDS)
    except ClusterError as exc:
        _fail_usage(str(exc))


@main.command()
@click.argument("url")
@_audit_options
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="输出目录（findings.json, bulletin.html）/ output directory.",
)
@_redis_options
# Set by `govaudit worker` for the audits it runs: recorded on the run as a worker that took part;
# the worker's job, with which the run is offered to other workers to help; or (--join) the run this
# process helps another worker crawl.
@click.option("--worker", "worker", hidden=True)
@click.option("--job", "job", hidden=True)
@click.option("--join", "joined", hidden=True)
@_unattended
@_screenshots_option
def audit(
    url,
    as_of,
    column,
    db_url,
    config_path,
    timeout,
    max_pages,
    concurrency,
    delay,
    quiet,
    formats,
    out_dir,
    redis_url,
    redis_prefix,
    worker,
    job,
    joined,
    screenshots,
):
    """检查一个政府网站 / audit the portal at URL (its host only).

    Exit status: 0 audit done (with or without findings), 1 database write failure, 2 bad arguments
    (an unwritable --out included), 3 site unreachable, 4 an output file could not be written,
    130/143 interrupted (SIGINT/SIGTERM; the same command resumes it).
    """
    formats = _formats(formats)
    config, store = _open(config_path, db_url)
    config = _with_overrides(config, timeout, max_pages, concurrency, delay)
    shared = None
    if redis_url is not None:
        _queue(redis_url, redis_prefix)
        shared = SharedCrawl(redis_url, redis_prefix, worker, job)
    if joined is not None:
        if shared is None:
            _fail_usage("--join 需要 --redis / --join needs --redis")
        sys.exit(_help_crawl(store, shared, joined, config))
    outcome = _run(
        url,
        as_of or date.today(),
        column,
        config,
        store,
        out_dir,
        quiet,
        formats,
        shared=shared,
        screenshots=screenshots,
    )
    sys.exit(_report(outcome))


@main.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-report"),
    show_default=True,
    help="输出目录 / output directory.",
)
@db_option(
    "数据库地址（默认输出目录下 govaudit.sqlite）/ database URL (default: govaudit.sqlite in --out).", envvar=None
)
@quiet_option
@format_option()
@click.option("--serve", is_flag=True, help="只启动示例网站，直到 Ctrl-C / only serve the sample portal until Ctrl-C.")
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    metavar="PORT",
    help=f"--serve 的端口（默认 {DEMO_PORT}）/ port for --serve (default {DEMO_PORT}).",
)
def demo(out_dir, db_url, quiet, formats, serve, port):
    """用内置示例网站演示（不联网）/ serve the bundled sample portal on 127.0.0.1 and audit it.

    The sample portal (fictional 马关县人民政府) carries a seeded problem for every rule and
    traps that must not fire; it is audited as of 2022-10-15. With --serve it is only served, on
    127.0.0.1:PORT, for other commands (audit, run-quarterly, schedule) to be tried against it.
    """
    from audit.cli.demo.server import PortalServer

    if port is not None and not serve:
        _fail_usage("--port 只与 --serve 一起使用 / --port goes with --serve")
    if serve:
        sys.exit(_serve_demo(port or DEMO_PORT))
    formats = _formats(formats)
    out_dir.mkdir(parents=True, exist_ok=True)
    demo_files = Path(str(resources.files("audit.cli.demo")))
    config, store = _open(demo_files / "county.yaml", db_url or f"sqlite:///{(out_dir / 'govaudit.sqlite').resolve()}")
    root = demo_files / "sample_portal"
    server = PortalServer(root)
    server.start()
    try:
        err.print(f"示例网站 / sample portal: {server.base_url}")
        outcome = _run(server.base_url, DEMO_AS_OF, None, config, store, out_dir, quiet, formats=formats)
    finally:
        server.stop()
    sys.exit(_report(outcome))


def _serve_demo(port: int) -> int:
    """Serve the sample portal until SIGINT (exit 130) or SIGTERM (exit 0, a normal stop)."""
    from audit.cli.demo.server import PortalServer

    stopped: list[int] = []
    done = threading.Event()

    def stop(signum, _frame):
        stopped.append(signum)
        done.set()

    root = Path(str(resources.files("audit.cli.demo").joinpath("sample_portal")))
    try:
        server = PortalServer(root, port=port).start()
    except OSError as exc:
        _fail_usage(
            f"无法在 127.0.0.1:{port} 上提供服务（{exc.strerror or exc}），请换一个 --port / "
            f"cannot listen on 127.0.0.1:{port}, try another --port"
        )
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, stop)
    click.echo(f"示例网站 / sample portal: {server.base_url}（按 Ctrl-C 停止 / Ctrl-C to stop）")
    click.echo(
        f"另开一个终端检查它 / in another terminal: govaudit run-quarterly {server.base_url} "
        f"--quarter 2022Q3 --as-of {DEMO_AS_OF.isoformat()}"
    )
    sys.stdout.flush()
    while not done.wait(1):
        pass
    server.stop()
    err.print("示例网站已停止 / sample portal stopped")
    return 128 + signal.SIGINT if stopped[0] == signal.SIGINT else EXIT_OK


main.add_command(init)


@main.command(name="rules")
@click.option(
    "--markdown", is_flag=True, help="输出规则参考 docs/rules.md（Markdown）/ print docs/rules.md, the rule reference."
)
def list_rules(markdown):
    """列出全部检查规则 / list every rule with its severity, the clause it enforces and its options."""
    if markdown:
        click.echo(markdown_reference(COLUMN_CHECK), nl=False)
        return
    for spec in registered_rules():
        click.echo(f"{spec.id:<18} {spec.severity.value}  {spec.title}")
        click.echo(f"{'':<18} 何时报告：{spec.summary}")
        click.echo(f"{'':<18} 依据：{basis_text(spec)}")
        for line in option_lines(spec):
            click.echo(f"{'':<18} 选项 {line}")
        if spec.needs in COLUMN_CHECK:
            click.echo(f"{'':<18} {COLUMN_CHECK[spec.needs]}")
        click.echo()


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
    # Personal data masked here as in every other output (the reader itself keeps it whole).
    click.echo(json.dumps(clean(reading.to_json()), ensure_ascii=False, indent=2))


# A run's status as the clerk reads it in `history`.
_STATUS_WORDS = {
    RunStatus.RUNNING: "正在检查",
    RunStatus.DONE: "完成",
    RunStatus.UNREACHABLE: "网站无法访问",
    RunStatus.INTERRUPTED: "中断",
    RunStatus.FAILED: "失败",
}


def _cells(text: str, width: int, align: str = "<") -> str:
    """`text` padded to `width` terminal cells (a Chinese character takes two)."""
    gap = " " * max(width - cell_len(text), 0)
    return gap + text if align == ">" else text + gap


# history's columns: (heading, width in terminal cells, alignment).
_HISTORY_COLUMNS = (
    ("编号", 4, ">"),
    ("季度", 7, "<"),
    ("基准日", 10, "<"),
    ("范围", 6, "<"),
    ("状态", 12, "<"),
    ("问题", 4, ">"),
    ("结果", 18, "<"),
)


def _history_line(cells: tuple[str, ...], site: str) -> str:
    line = "  ".join(_cells(text, width, align) for text, (_, width, align) in zip(cells, _HISTORY_COLUMNS))
    return f"{line}  {site}"


def _run_line(run, findings: int, result: str) -> str:
    status = _STATUS_WORDS.get(run.status, str(run.status))
    cells = (str(run.id), run.quarter or "—", run.as_of.isoformat(), run.scope or "全站", status, str(findings), result)
    return _history_line(cells, for_terminal(run.site_url))


@main.command()
@db_option()
@config_option("YAML 配置文件（评分表）/ YAML config (scoring table).")
@click.option("--site", "site_url", metavar="URL", help="只列出这个网站的检查 / only runs of this site.")
def history(db_url, config_path, site_url):
    """列出历次检查 / list the stored audit runs with quarter, scope, status, problems and result.

    Under each finished run: its problems by class and by state against the run before it, counted
    from the run's problem list as its bulletin counts them.
    """
    from audit.judging.history import site_key, with_history
    from audit.judging.review import reviewed_problem_list
    from audit.judging.scoring import result_text, score
    from rules import registered_rules

    config, store = _open(config_path, db_url)
    titles = {spec.id: spec.title for spec in registered_rules()}
    runs = store.runs()
    if site_url:
        runs = [run for run in runs if site_key(run.site_url) == site_key(site_url)]
    if not runs:
        click.echo("没有检查记录 / no audit runs stored")
        return
    click.echo(_history_line(tuple(heading for heading, _, _ in _HISTORY_COLUMNS), "网站"))
    for run in runs:
        if run.status in FINISHED:
            problems, _ = reviewed_problem_list(store, with_history(store, run), config.bulletin, {})
            result = score(problems.current, config.scoring, titles)
            click.echo(_run_line(run, problems.total, result_text(result, run.status)))
            click.echo(f"      {_counts_text(problems.by_severity())}；{_counts_text(problems.by_state())}")
        else:
            click.echo(_run_line(run, 0, "检查未完成" if run.status == RunStatus.INTERRUPTED else "—"))


def _counts_text(counts) -> str:
    return " ".join(f"{name}{count}" for name, count in counts)


@main.command()
@click.argument("fingerprint")
@click.option(
    "--original",
    is_flag=True,
    help="导出该页面抓取时收到的原件（含个人信息，权限 0600，记入日志）/ export the page's original bytes (logged).",
)
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="原件写入此文件（默认当前目录 original-指纹.html）/ file the original is written to.",
)
@click.option(
    "--log-file",
    "log_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=EXPORT_LOG,
    show_default=True,
    metavar="FILE",
    help="记录原件导出（谁、何时、什么）的日志 / log recording who exported which original when.",
)
@db_option()
@config_option("YAML 配置文件（责任单位、整改期限）/ YAML file (units, deadlines).")
def show(fingerprint, original, out_file, log_file, db_url, config_path):
    """显示一个问题及其证据 / print one finding with its evidence.

    FINGERPRINT is the finding's fingerprint (findings.json, 附件2 技术说明), or its first 6+ characters;
    the latest run that has it is shown, with the copy every quarter kept of the same problem (北京时间,
    SHA-256). --original exports the page's bytes as received (mode 0600) and logs the export.
    """
    from audit.run.evidence import copies_across_quarters, kept_copy

    if len(fingerprint.strip()) < 6:
        _fail_usage(f"指纹至少6位 / give at least 6 characters of the fingerprint: {fingerprint!r}")
    config, store = _open(config_path, db_url)
    found = find_finding(store, fingerprint.strip().lower(), config)
    if found is None:
        _fail_usage(f"没有指纹为 {fingerprint} 的问题 / no stored finding has fingerprint {fingerprint!r}")
    run, row = found
    lines = [
        ("问题", f"{row.problem}（{row.severity}）"),
        ("说明", row.message),
        ("证据", row.evidence),
        ("页面", f"{row.page_title}　{row.url}" if row.page_title else row.url),
        ("抓取时间", _fetched_time(row.fetched_at)),
        ("栏目", row.column_name),
        ("责任单位", f"{row.units_text}（{row.unit_source}）"),
        ("整改期限", row.deadline.isoformat() if row.deadline else "未定"),
        ("整改状态", f"{row.state}，{row.first_seen}首次发现"),
        ("检查", f"{run.id}（{run.site_url}，基准日 {run.as_of}）"),
        ("规则", f"{row.rule}　{row.clause}"),
        ("指纹", row.fingerprint),
    ]
    for label, value in lines:
        click.echo(f"{label}：{for_terminal(value)}")
    if row.membership:
        click.echo(for_terminal(row.membership))  # 所属栏目：… › …, the chain that put the page in its column
    if original:
        _export_original(kept_copy(store, run, row.url), row.fingerprint, out_file, log_file)
        return
    copies = copies_across_quarters(store, run, row.fingerprint)
    click.echo(f"各季度留存副本（{len(copies)}）：" if copies else "各季度留存副本：无（问题不在页面上，或未留存页面）")
    for copy in copies:
        digest = f"SHA-256 {copy.digest}" if copy.digest else "附件仅留存读出的文字"
        click.echo(
            f"  {copy.quarter}  检查 {copy.run.id}  {beijing_time(copy.fetched_at)}  {digest}  {for_terminal(copy.url)}"
        )


def _fetched_time(fetched_at: str) -> str:
    """A finding's fetch time (UTC, "YYYY-MM-DD HH:MM" in a bulletin row) as 北京时间."""
    if not fetched_at:
        return "未抓取"
    return beijing_time(datetime.fromisoformat(fetched_at), seconds=len(fetched_at) > len("2022-10-15 09:12"))


def _export_original(copy, fingerprint: str, out_file: Path | None, log_file: Path) -> None:
    """Write the original of `copy` (mode 0600) and record who exported it when into `log_file`."""
    from audit.run.evidence import export_original

    if copy is None or copy.body is None:
        _fail_usage(
            f"问题 {fingerprint} 没有留存的页面原件（附件只留存读出的文字）/ no original kept for finding {fingerprint}"
        )
    try:
        path = export_original(copy, out_file, fingerprint)
        append_line(
            log_file,
            f"导出原件 / original exported: 操作人 {getpass.getuser()}@{socket.gethostname()}，"
            f"{beijing_time(datetime.now(timezone.utc))}，问题 {fingerprint}，检查 {copy.run.id}，"
            f"页面 {for_terminal(copy.url)}，SHA-256 {copy.digest}，写入 {path.resolve()}",
        )
    except OutputError as exc:
        _fail_output(exc)
    except OSError as exc:
        _fail_usage(f"无法写入日志文件 / cannot write the log file {log_file}: {exc.strerror or exc}")
    click.echo(f"原件 / original: {path}（SHA-256 {copy.digest}，权限 0600，仅本用户可读，已记入 {log_file}）")
    click.echo("含未去标识的个人信息，不得分发 / holds personal data: not for distribution")


@main.command()
@click.argument("run_id", metavar="RUN", type=int)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="证据包写入此目录 / folder the evidence package is written to.",
)
@db_option()
@config_option("YAML 配置文件（与检查时相同）/ YAML config (the one the run was checked with).")
def evidence(run_id, out_dir, db_url, config_path):
    """证据包：问题页面原件、去标识副本和 SHA-256 清单 / write a run's evidence package.

    DIR/evidence-RUN.zip holds, for every problem page, the bytes as received (originals/), the masked
    copy (copies/), manifest.json and MANIFEST.sha256 (verify with `sha256sum -c MANIFEST.sha256`).
    The originals hold personal data: the zip is readable by its owner only (mode 0600).
    """
    from audit.run.evidence import package_run

    config, store = _open(config_path, db_url)
    run = _finished_run(store, run_id, "无证据包")
    try:
        package = package_run(store, run, config, out_dir)
    except OutputError as exc:
        _fail_output(exc)
    click.echo(f"证据包 / evidence package: {package.path}（问题页面 {package.pages} 个，原件 {package.originals} 个）")
    click.echo(
        "含未去标识的原件，文件权限 0600，仅本用户可读，不得分发；核验：unzip 后运行 sha256sum -c MANIFEST.sha256 / "
        "holds originals with personal data: mode 0600, owner only, not for distribution"
    )


@main.command()
@click.argument("run_a", type=int)
@click.argument("run_b", type=int)
@db_option()
def diff(run_a, run_b, db_url):
    """比较两次检查 / print how findings changed from RUN_A to RUN_B (新增, 未整改, 已整改, 已撤下, 未检查).

    Both runs must be of the same site and scope. 已整改 only when RUN_B fetched the page again;
    已撤下 when the page now answers 404/410 and is no longer listed in its column.
    """
    from audit.judging.history import NEW, OPEN, comparable_url, compare, same_series
    from audit.judging.problems import EARLIER
    from audit.judging.review import reviewed_problem_list

    config, store = _open(None, db_url)
    try:
        old, new = store.run(run_a), store.run(run_b)
    except StoreError as exc:
        _fail_usage(str(exc))
    if not same_series(old, new):
        _fail_usage(f"两次检查的网站或范围不同，无法比较 / runs {run_a} and {run_b} are of different sites or scopes")
    problems, _ = reviewed_problem_list(store, compare(store, old, new), config.bulletin, {})
    titles = {spec.id: spec.title for spec in registered_rules()}
    click.echo(
        f"检查 {old.id}（{old.quarter}，{old.as_of}）→ 检查 {new.id}（{new.quarter}，{new.as_of}）："
        + "，".join(f"{state} {count}" for state, count in problems.by_state())
    )
    for state in (NEW, *EARLIER, OPEN):
        for row in problems.of(state):
            site = new.site_url if state in (NEW, OPEN) else old.site_url
            click.echo(
                f"  [{state}] {titles.get(row.rule, row.rule)}（{row.rule}）  "
                f"{for_terminal(comparable_url(row.url, site))}  "
                f"{for_terminal('、'.join(row.units))}  {for_terminal(row.message)}"
            )


@main.command(name="run-quarterly")
@click.argument("url")
@click.option(
    "--quarter",
    metavar="YYYYQn",
    help="检查的季度（默认刚结束的季度）/ quarter to audit (default: the one just ended).",
)
@click.option("--force", is_flag=True, help="已完成的季度也重新检查 / audit again even if the quarter is done.")
@click.option(
    "--out",
    "out_root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("quarterly"),
    show_default=True,
    help="输出根目录，每季度一个子目录 / root of the per-quarter folders.",
)
@as_of_option("检查基准日（须落在该季度的报告期内）/ as-of date (must report on the quarter).")
@db_option()
@config_option()
@crawl_options
@format_option("html,json,xlsx,csv")
@quiet_option
@_unattended
@_screenshots_option
def run_quarterly(
    url, quarter, force, out_root, as_of, db_url, config_path, timeout, max_pages, formats, quiet, screenshots
):
    """季度检查 / audit the whole portal for a quarter into OUT/YYYYQn/, once.

    A quarter with a finished run is not audited again unless --force (its outputs are written
    from the store if missing). Exit status as for `audit`.
    """
    from audit.judging.history import find_run

    formats = _formats(formats)
    today = date.today()
    try:
        target = Quarter.parse(quarter) if quarter else Quarter.containing(today).previous()
        if as_of is None:
            as_of = quarterly_as_of(target, today)
        elif Quarter.reported(as_of) != target:
            _fail_usage(
                f"基准日 {as_of} 报告的是 {Quarter.reported(as_of).label}，不是 {target.label} / "
                f"as-of {as_of} reports on {Quarter.reported(as_of).label}, not {target.label}"
            )
        url = check_site_url(url)
    except (BadQuarter, BadSiteURL, ValueError) as exc:
        _fail_usage(str(exc))
    config, store = _open(config_path, db_url)
    config = _with_overrides(config, timeout, max_pages)
    out_dir = out_root / target.label
    done = find_run(store, url, None, target)
    if done is not None and not force:
        _note(
            url=url,
            out=str(out_dir.resolve()),
            quarter=target.label,
            run_id=done.id,
            status=done.status,
            summary=f"{target.label} 已检查完成（检查 {done.id}），本次未重复检查",
        )
        click.echo(
            f"{target.label} 已检查完成（检查 {done.id}，基准日 {done.as_of}），不再重复检查；"
            f"如需重新检查请加 --force / already done, use --force to audit again"
        )
        # Also when the run was concluded but interrupted before its outputs were written (the folder
        # may hold an earlier run's).
        if (
            any(not (out_dir / BY_NAME[kind].file).exists() for kind in formats)
            or pending_run(store, out_dir) == done.id
        ):
            try:
                _print_outputs(render_stored(store, done.id, config, out_dir, formats, screenshots))
            except OutputError as exc:
                _fail_output(exc)
        sys.exit(EXIT_OK)
    outcome = _run(
        url, as_of, None, config, store, out_dir, quiet, formats, once_per_quarter=not force, screenshots=screenshots
    )
    sys.exit(_report(outcome))


@main.command()
@click.argument("url")
@click.option("--print", "print_units", is_flag=True, help="打印 crontab 行和 systemd 单元 / print the schedule.")
@click.option(
    "--out",
    "out_root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("quarterly"),
    show_default=True,
    help="季度输出根目录 / root of the per-quarter folders.",
)
@db_option()
@config_option()
@click.option("--at", "at", default="02:30", show_default=True, metavar="HH:MM", help="每天运行的时间 / time of day.")
@click.option(
    "--log-file",
    "log_file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="运行日志（默认 OUT/run-quarterly.log）/ the runs' log (default OUT/run-quarterly.log).",
)
@click.option(
    "--notify",
    metavar="CMD|URL",
    callback=_notify_option,
    help="每次运行后的通知命令或 http(s) 地址 / command or webhook run after each run.",
)
def schedule(url, print_units, out_root, db_url, config_path, at, log_file, notify):
    """定时季度检查 / print a crontab line and systemd units that run `run-quarterly` for URL.

    They fire daily on days 1-15 of January, April, July and October; run-quarterly does nothing
    once the quarter is done, so a portal that was down is retried the next day. It prints
    only: the first run creates the output folder and the log's.
    """
    import shutil

    from audit.run.schedule import Schedule

    if not print_units:
        _fail_usage("请使用 --print 输出定时任务，再自行安装 / use --print and install the printed lines yourself")
    try:
        url = check_site_url(url)
        hour, minute = (int(part) for part in at.split(":"))
        if not (0 <= hour < 24 and 0 <= minute < 60):
            raise ValueError(at)
    except BadSiteURL as exc:
        _fail_usage(str(exc))
    except ValueError:
        _fail_usage(f"时间格式应为 HH:MM / time must be HH:MM: {at!r}")
    workdir = Path.cwd()
    executable = Path(sys.executable).with_name("govaudit")
    program = str(executable) if executable.exists() else (shutil.which("govaudit") or "govaudit")
    db = db_url or f"sqlite:///{(workdir / 'govaudit.sqlite').resolve()}"
    config = Path(config_path).resolve() if config_path else None
    log_file = (log_file or out_root / "run-quarterly.log").resolve()
    plan = Schedule(program, url, out_root.resolve(), db, workdir, hour, minute, log_file, config, notify=notify)
    click.echo("# crontab -e")
    click.echo(plan.crontab())
    click.echo()
    click.echo(plan.service())
    click.echo(plan.timer())
    click.echo("# systemctl daemon-reload && systemctl enable --now govaudit-quarterly.timer")


def _import_register(
    kind: RegisterKind,
    path: Path,
    quarter_label: str | None,
    site_url: str | None,
    config_path: str | None,
    db_url: str | None,
) -> None:
    """Read one register file, store it for its quarter and site (replacing an earlier import of it),
    and judge the register rules again against that quarter's finished run."""
    from audit.run.registers import RegisterError, import_lines, import_register

    try:
        quarter = Quarter.parse(quarter_label) if quarter_label else None
    except BadQuarter as exc:
        _fail_usage(str(exc))
    config, store = _open(config_path, db_url)
    try:
        done = import_register(store, config, kind, path, quarter, site_url)
    except RegisterError as exc:
        _fail_usage(str(exc))
    except StoreError as exc:
        err.print(f"错误 / error: {exc}")
        sys.exit(1)
    for line in import_lines(done):
        click.echo(line)


def _register_group(kind: RegisterKind) -> click.Group:
    """`govaudit <kind> import FILE`: one group per register kind (rules.registers.KINDS)."""
    group = click.Group(kind.name, help=kind.help)

    @group.command(name="import")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option(
        "--quarter",
        "quarter_label",
        metavar="YYYYQn",
        help="登记表所属季度（默认按文件标题或文件中的日期判断）/ the quarter the file covers "
        "(default: from its title or its dates).",
    )
    @click.option(
        "--site",
        "site_url",
        metavar="URL",
        help="登记表所属网站（数据库中只有一个网站时可省略）/ the site (county) the register belongs to "
        "(default: the only one in the database).",
    )
    @config_option()
    @db_option()
    def import_file(path, quarter_label, site_url, config_path, db_url):
        """导入 .xlsx、.xls 或 .csv 登记表，并对该季度已完成的检查重新判定登记表规则（列名见 docs/registers.md）/
        import an .xlsx, .xls or .csv register and judge its rules again for that quarter's finished run."""
        _import_register(kind, path, quarter_label, site_url, config_path, db_url)

    return group


@main.group()
def sites():
    """多个网站 / the portals a 州 or province audits (sites.yaml)."""


@sites.command(name="add")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option()
def sites_add(path, db_url):
    """登记 sites.yaml 中的网站（已登记的更新名称和单位）/ register the sites of a sites.yaml."""
    from audit.run.sites import SitesError, read_sites
    from audit.store.sites import save_sites

    try:
        found = read_sites(path)
    except SitesError as exc:
        _fail_usage(str(exc))
    _, store = _open(None, db_url)
    added, updated = save_sites(store, found)
    click.echo(f"新登记网站{added}个，更新{updated}个 / {added} sites added, {updated} updated")


@sites.command(name="list")
@db_option()
def sites_list(db_url):
    """列出登记的网站 / list the registered sites."""
    from audit.store.sites import registered_sites

    _, store = _open(None, db_url)
    found = registered_sites(store)
    if not found:
        click.echo("没有登记的网站，请先 govaudit sites add sites.yaml / no sites registered")
        return
    headings = ("编号", "网站标识码", "级别", "名称（主办单位）", "网址")
    rows = [
        tuple(
            for_terminal(text)
            for text in (str(site.id), site.site_id or "—", site.level or "—", f"{site.name}（{site.unit}）", site.url)
        )
        for site in found
    ]
    widths = [max(cell_len(line[column]) for line in (headings, *rows)) for column in range(len(headings) - 1)]
    for line in (headings, *rows):
        cells = [
            _cells(text, width, ">" if column == 0 else "<") for column, (text, width) in enumerate(zip(line, widths))
        ]
        click.echo("  ".join([*cells, line[-1]]))


@main.command(name="audit-all")
@as_of_option()
@click.option(
    "--out",
    "out_root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("sites-out"),
    show_default=True,
    help="输出根目录，每个网站一个子目录 / root of the per-site folders.",
)
@db_option()
@config_option()
@crawl_options
@format_option()
@quiet_option
@click.option("--force", is_flag=True, help="本季度已检查完成的网站也重新检查 / audit sites already done again.")
@_redis_options
@_unattended
@_screenshots_option
def audit_all(
    as_of,
    out_root,
    db_url,
    config_path,
    timeout,
    max_pages,
    formats,
    quiet,
    force,
    redis_url,
    redis_prefix,
    screenshots,
):
    """检查全部登记的网站 / audit every registered site, one after another — or, with --redis,
    put every site in the queue the `govaudit worker` processes take from.

    A site whose quarter is already done is skipped (unless --force), so is one already queued or
    being audited; one that cannot be reached does not stop the others. Exit 0 when every site was
    audited (or queued), 3 when some could not be reached, 1 when an audit failed.
    """
    from audit.judging.history import find_run
    from audit.run.childenv import secret_env
    from audit.run.sites import audit_site
    from audit.store.sites import registered_sites

    settings, store = _open(config_path, db_url)
    as_of = as_of or date.today()
    quarter = Quarter.reported(as_of)
    found = registered_sites(store)
    if not found:
        _fail_usage("没有登记的网站，请先 govaudit sites add sites.yaml / no sites registered")
    options = ["--as-of", as_of.isoformat()]
    for flag, value in (
        ("--config", config_path),
        ("--timeout", timeout),
        ("--max-pages", max_pages),
        ("--format", formats),
    ):
        if value is not None:
            options += [flag, str(Path(value).resolve()) if flag == "--config" else str(value)]
    options += ["--screenshots"] if screenshots else []
    queue = _queue(redis_url, redis_prefix) if redis_url is not None else None
    # The hook runs once, for all the sites; each site audited here logs into the same file.
    options.append("--no-notify")
    unattended = click.get_current_context().params
    log_options = ["--verbose"] if unattended["verbose"] else []
    if unattended["log_file"] is not None:
        log_options += ["--log-file", str(unattended["log_file"].resolve())]
    _note(out=str(out_root.resolve()), quarter=quarter.label)
    codes, queued = [], []
    latest = max((run.id for run in store.runs()), default=0)
    folders = _site_folders(out_root, found)
    for site in found:
        folder = folders[site.url]
        done = find_run(store, site.url, None, quarter)
        if done is not None and not force:
            click.echo(f"{site.name}：{quarter.label} 已检查（检查 {done.id}），跳过 / already done, skipped")
            continue
        if queue is not None:
            queued.append(
                (
                    site,
                    _enqueue(queue, site, quarter, options + ["--out", str(folder.resolve()), "--quiet"], as_of, force),
                )
            )
            continue
        click.echo(f"{site.name}：检查 {site.url} / auditing")
        code = audit_site(
            site.url, folder, options + log_options + (["--quiet"] if quiet else []), secret_env(store.db_url)
        )
        status = {EXIT_OK: "完成", EXIT_UNREACHABLE: "网站无法访问"}.get(code, f"失败（退出码 {code}）")
        click.echo(f"{site.name}：{status}，输出 {folder}")
        codes.append(code)
    hook = None if unattended["no_notify"] else unattended["notify"] or settings.notify
    if queued and hook is None:
        _note(summary=f"已加入队列 {len(queued)} 个网站（共 {len(found)} 个），由工作进程检查")
        sys.exit(EXIT_OK)
    if queued:
        # The hook says how the sites' audits ended, not that they were queued: wait for the workers.
        codes = _await_queued(queue, store, queued, quarter, latest if force else 0)
    failed = any(code not in (EXIT_OK, EXIT_UNREACHABLE) for code in codes)
    _note(
        summary=f"检查网站 {len(codes)} 个（共 {len(found)} 个）：完成 {codes.count(EXIT_OK)}，"
        f"无法访问 {codes.count(EXIT_UNREACHABLE)}，失败 {len(codes) - codes.count(EXIT_OK) - codes.count(EXIT_UNREACHABLE)}"
    )
    sys.exit(1 if failed else EXIT_UNREACHABLE if EXIT_UNREACHABLE in codes else EXIT_OK)


# What `report --all` writes: combined.html, and each site's findings.json.
_COMBINED_FORMATS = ("html", "json")


def _refuse_combined_formats(value: str | None) -> None:
    """A format the combined report does not write is refused, not left out in silence."""
    try:
        others = [name for name in parse_formats(value) if name not in _COMBINED_FORMATS]
    except BadFormat as exc:
        _fail_usage(str(exc))
    if others:
        _fail_usage(
            f"合并通报只写 html（combined.html）和 json（各网站的 findings.json），不写 {'、'.join(others)}；"
            f"某个网站的 {'、'.join(others)} 用 govaudit report 检查编号 --format {','.join(others)} 生成 / "
            f"report --all writes html and json only, not {','.join(others)}"
        )


def _combined_quarter(store: Store, found, asked: Quarter | None) -> Quarter:
    """The quarter `report --all` reports on: the one asked for, which must have results; else the
    quarter just ended or, when no registered site has results for it, the latest that has (said)."""
    from audit.judging.history import quarter_of, site_key

    keys = {site_key(site.url) for site in found}
    with_results = {
        quarter_of(run)
        for run in store.runs()
        if run.status in FINISHED and run.scope is None and site_key(run.site_url) in keys
    }
    known = "、".join(quarter.label for quarter in sorted(with_results)) or "无"
    if asked is not None:
        if asked not in with_results:
            _fail_usage(
                f"{asked.label} 没有任何登记网站的检查结果，未生成合并通报（有结果的季度：{known}）/ "
                f"no registered site has results for {asked.label}"
            )
        return asked
    if not with_results:
        _fail_usage("登记的网站都还没有检查结果，请先 govaudit audit-all / no registered site has been audited yet")
    just_ended = Quarter.reported(date.today())
    if just_ended in with_results:
        return just_ended
    latest = max(with_results)
    err.print(
        f"{just_ended.label} 还没有检查结果，合并通报用有结果的最近季度 {latest.label}（指定季度请加 --quarter）/ "
        f"no results for {just_ended.label}: reporting on {latest.label}"
    )
    return latest


def _site_folders(out_root: Path, found) -> dict:
    """Each registered site's output folder, OUT/<site_id or number>, all checked before any is
    written: a site_id stored before ids were checked that is not a plain name stops the command."""
    try:
        return {site.url: output_path(out_root, site.site_id or str(site.id)) for site in found}
    except OutputError as exc:
        _fail_usage(f"{exc}（请改正 sites.yaml 后重新 govaudit sites add / correct sites.yaml and add it again）")


def _await_queued(queue, store: Store, queued: list, quarter: Quarter, after: int) -> list[int]:
    """Wait until the workers have finished every job in `queued` (site, job key); each site's exit
    code as `audit` would have given it: 0 done, 3 unreachable, 1 no finished run (runs numbered
    above `after` only: with --force, an earlier run of the quarter does not count)."""
    import time

    from audit.judging.history import find_run
    from audit.run.cluster import patiently

    click.echo(f"等待工作进程检查完 {len(queued)} 个网站后通知 / waiting for the workers to finish the queued sites")
    while any(patiently("Redis", lambda key=key: queue.pending(key), err.print) for _, key in queued):
        time.sleep(2)
    codes = []
    for site, _ in queued:
        run = find_run(store, site.url, None, quarter, statuses=("done", "unreachable"))
        code = (
            EXIT_DATABASE
            if run is None or run.id <= after
            else EXIT_UNREACHABLE
            if run.status == "unreachable"
            else EXIT_OK
        )
        status = {EXIT_OK: "完成", EXIT_UNREACHABLE: "网站无法访问"}.get(code, "未完成")
        click.echo(f"{site.name}：{status} / exit {code}")
        codes.append(code)
    return codes


def _enqueue(queue, site, quarter: Quarter, args: list[str], as_of: date, force: bool) -> str:
    """Put one site's audit in the queue: once per site and quarter (--force: once more). The job's
    key (of the job already queued when there is one)."""
    import time

    from audit.run.cluster import Job, patiently

    key = f"{site.url}|{quarter.label}" + (f"|{time.time_ns()}" if force else "")
    job = Job(key, site.url, site.name, as_of, args)
    if patiently("Redis", lambda: queue.enqueue(job), err.print):
        click.echo(f"{site.name}：已加入队列 / queued")
    else:
        click.echo(
            f"{site.name}：{quarter.label} 已在队列中或正在检查，跳过 / already queued or being audited, skipped"
        )
    return key


@main.command()
@db_option()
@_redis_options
@click.option("--until-idle", is_flag=True, help="队列空且没有网站在检查时退出 / exit once no job waits or runs.")
@click.option("--name", metavar="NAME", help="工作进程名称，记入检查记录（默认 主机名:进程号）/ worker name.")
@click.option(
    "--lease",
    type=click.FloatRange(min=1),
    default=30,
    show_default=True,
    metavar="SECONDS",
    help="租约秒数：工作进程失联这么久后，它正在检查的网站由其他工作进程接手 / lease on a taken site.",
)
def worker(db_url, redis_url, redis_prefix, until_idle, name, lease):
    """从 Redis 队列取出网站逐个检查 / audit the sites `audit-all --redis` queued, one at a time.

    Run it on each machine, as many times as the machine carries. Redis or the database briefly
    unavailable: the worker waits and retries. SIGINT/SIGTERM: the site being audited is left to be
    resumed (by this or another worker once the lease expires).
    """
    from audit.run.cluster import Worker, worker_name

    if redis_url is None:
        _fail_usage("worker 需要 --redis / worker needs --redis redis://…")
    queue = _queue(redis_url, redis_prefix, lease)
    db_url = db_url or default_db_url()
    stopped_by = [signal.SIGINT]

    def stop(signum, _frame):
        stopped_by[0] = signum
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        Worker(queue, db_url, redis_url, name or worker_name(), lambda line: err.print(line)).run(until_idle)
    except KeyboardInterrupt:
        err.print(
            "工作进程已中断；正在检查的网站由其他工作进程在租约到期后接手 / worker interrupted; its site is "
            "resumed by another worker once the lease expires"
        )
        sys.exit(128 + stopped_by[0])


@main.command()
@click.argument("run_id", type=int, required=False)
@click.option("--all", "all_sites", is_flag=True, help="全部登记网站的合并通报 / the combined bulletin of every site.")
@click.option(
    "--quarter",
    "quarter_label",
    metavar="YYYYQn",
    help="合并通报的季度（默认刚结束的季度；它还没有检查结果时取有结果的最近季度）/ the combined bulletin's quarter.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="输出目录 / output directory.",
)
@db_option()
@config_option()
@format_option()
@_screenshots_option
def report(run_id, all_sites, quarter_label, out_dir, db_url, config_path, formats, screenshots):
    """从数据库生成报告 / write the outputs of a stored run (RUN_ID), or the combined bulletin (--all).

    --all writes combined.html (every registered site: score, 合格/不合格, 单项否决 reasons,
    counts, rank, each site's problems as an annex) and each site's findings.json in a folder of
    its own; other formats are refused. Without --quarter it reports on the quarter just ended, or,
    when no site has results for it, on the latest quarter that has some (and says so); a quarter
    without any results is refused (exit 2).
    """
    if (run_id is None) == (not all_sites):
        _fail_usage("请给出检查编号 RUN_ID 或 --all（二者之一）/ give RUN_ID or --all, not both")
    if all_sites:
        _refuse_combined_formats(formats)
    formats = _formats(formats)
    config, store = _open(config_path, db_url)
    if run_id is not None:
        try:
            store.run(run_id)
        except StoreError as exc:
            _fail_usage(str(exc))
        _print_outputs(render_stored(store, run_id, config, out_dir, formats, screenshots))
        return
    from audit.store.sites import registered_sites
    from reports.combined import build_combined
    from reports.exports import write_json
    from reports.render import render_combined

    try:
        asked = Quarter.parse(quarter_label) if quarter_label else None
    except BadQuarter as exc:
        _fail_usage(str(exc))
    found = registered_sites(store)
    if not found:
        _fail_usage("没有登记的网站，请先 govaudit sites add sites.yaml / no sites registered")
    folders = _site_folders(out_dir, found)
    data = build_combined(store, found, _combined_quarter(store, found, asked), config)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    if "html" in formats:
        written["html"] = out_dir / "combined.html"
        written["html"].write_text(render_combined(data), encoding="utf-8")
    if "json" in formats:
        for site in data.sites:
            if site.run_id is not None:
                folder = folders[site.url]
                folder.mkdir(exist_ok=True)
                write_json(folder / "findings.json", list(site.findings))
        written["json"] = out_dir
    _print_outputs(written)


@main.command()
@click.argument("run_id", type=int, required=False)
@click.option(
    "--stats", is_flag=True, help="各规则的确认数、排除（误报）数和准确率 / per-rule confirmed, excluded, precision."
)
@click.option(
    "--reviewer",
    metavar="NAME",
    help="核查人姓名（默认当前登录用户名）/ who reviews (default: the login name).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    metavar="PORT",
    help="核查页面的端口（默认任选一个空闲端口）/ port of the review page (default: a free one).",
)
@click.option("--open", "open_browser", is_flag=True, help="在浏览器中打开核查页面 / open the page in a browser.")
@click.option(
    "--terminal",
    is_flag=True,
    help="在终端中逐个核查，不启动网页 / review in the terminal, one problem at a time, without the page.",
)
@db_option()
@config_option("YAML 配置文件（栏目名称）/ YAML config (column names).")
def review(run_id, stats, reviewer, port, open_browser, terminal, db_url, config_path):
    """签发前人工核查 / review a run's problems before the 通报 is signed.

    Serves a page on 127.0.0.1 listing every problem of RUN_ID with its evidence, where each is marked
    确认 or 排除 (with a reason); decisions are stored and an exclusion is carried to the next quarter.
    The bulletin says 经人工核查 only once every problem is decided. --stats prints each rule's
    confirmed and excluded (误报) counts over every reviewed run.
    """
    if stats == (run_id is not None):
        _fail_usage("请给出检查编号 RUN_ID 或 --stats（二者之一）/ give RUN_ID or --stats, not both")
    config, store = _open(config_path, db_url)
    if stats:
        _print_precision(store)
        return
    run = _finished_run(store, run_id, "不能核查")
    if terminal:
        sys.exit(_review_in_terminal(store, run, config, _reviewer_name(reviewer)))
    sys.exit(_serve_review(store, run, config, _reviewer_name(reviewer), port, open_browser))


def _reviewer_name(given: str | None) -> str:
    import getpass

    from audit.store.reviews import REVIEWER_LIMIT

    if given is not None:
        name = given.strip()
        if not name or len(name) > REVIEWER_LIMIT:
            _fail_usage(f"--reviewer 须为1至{REVIEWER_LIMIT}个字 / --reviewer: 1 to {REVIEWER_LIMIT} characters")
        return name
    try:
        return getpass.getuser()[:REVIEWER_LIMIT] or "未署名"
    except (KeyError, OSError):
        return "未署名"


def _serve_review(store: Store, run, config: Settings, reviewer: str, port: int, open_browser: bool) -> int:
    """Serve the review page until SIGINT or SIGTERM (a normal end: exit 0)."""
    from audit.cli.review import ReviewServer

    done = threading.Event()
    try:
        server = ReviewServer(store, run, config, reviewer, port).start()
    except OSError as exc:
        _fail_usage(
            f"无法在 127.0.0.1:{port} 上提供核查页面（{exc.strerror or exc}），请换一个 --port / "
            f"cannot listen on 127.0.0.1:{port}, try another --port"
        )
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda _signum, _frame: done.set())
    click.echo(f"核查页面 / review page: {server.base_url}（核查人：{for_terminal(reviewer)}；按 Ctrl-C 结束）")
    click.echo(f"核查完毕后生成通报 / then: govaudit report {run.id} --out DIR")
    sys.stdout.flush()
    if open_browser:
        import webbrowser

        webbrowser.open(server.base_url)
    while not done.wait(1):
        pass
    server.stop()
    err.print("核查页面已关闭，核查结论已保存 / review page closed, decisions saved")
    return EXIT_OK


def _review_in_terminal(store: Store, run, config: Settings, reviewer: str) -> int:
    """Ask about each problem not yet decided on this run: 确认 (y), 排除 with a reason (n), skip (s) or
    stop (q). Every answer is stored at once; the end of the input stops like q."""
    from audit.judging.review import run_review
    from audit.store.reviews import CONFIRMED, EXCLUDED, BadDecision, save_decision
    from reports.review import review_entries

    answers = {"y": CONFIRMED, CONFIRMED: CONFIRMED, "n": EXCLUDED, EXCLUDED: EXCLUDED}
    entries = [entry for entry in review_entries(store, run_review(store, run), config) if entry.own is None]
    click.echo(f"检查 {run.id}：{len(entries)} 个问题待核查（核查人：{for_terminal(reviewer)}）")
    for entry in entries:
        click.echo("")
        click.echo(f"{entry.number}．{for_terminal(entry.problem)}（{entry.severity}）")
        for label, value in (
            ("说明", entry.message),
            ("证据", entry.evidence),
            ("页面", entry.url),
            ("栏目", entry.column_name),
            ("责任单位", entry.units),
        ):
            if value:
                click.echo(f"  {label}：{for_terminal(value)}")
        if entry.carried is not None:
            quarter = Quarter.parse(entry.carried_quarter).chinese
            click.echo(f"  沿用{quarter}的排除，理由：{for_terminal(entry.carried.reason)}")
        elif entry.needs_confirmation:
            click.echo("  待核实：此项单项否决仅依据公文的公开属性标注判定，须人工确认")
        while True:
            try:
                answer = click.prompt("确认(y) / 排除(n) / 跳过(s) / 结束(q)", default="s", show_default=False)
            except click.Abort:
                answer = "q"
            answer = answer.strip().lower()
            if answer in ("s", "q") or answer in answers:
                break
        if answer == "q":
            break
        if answer == "s":
            continue
        reason = ""
        if answers[answer] == EXCLUDED:
            try:
                # Without a default click asks again on an empty answer: a reason is required.
                carried = {"default": entry.carried.reason} if entry.carried else {}
                reason = click.prompt("排除理由", **carried)
            except click.Abort:
                break
        try:
            save_decision(store, run.id, entry.fingerprint, entry.rule, answers[answer], reason, reviewer)
        except BadDecision as exc:
            err.print(f"未保存 / not saved: {exc}")
    done = run_review(store, run)
    click.echo(f"已核查 {done.decided} 个，共 {len(done.items)} 个问题" + ("，全部核查完毕" if done.reviewed else ""))
    return EXIT_OK


def _print_precision(store: Store) -> None:
    from audit.judging.review import precision_by_rule

    lines, reviewed = precision_by_rule(store)
    if not reviewed:
        click.echo("尚无经人工核查的检查 / no reviewed runs yet")
        return
    titles = {spec.id: spec.title for spec in registered_rules()}
    click.echo(f"经人工核查的检查 {reviewed} 次 / reviewed runs: {reviewed}")
    click.echo(f"{'规则':<22} {'确认':>4} {'排除(误报)':>10} {'准确率':>6}  名称")
    for line in lines:
        click.echo(
            f"{line.rule:<22} {line.confirmed:>6} {line.excluded:>12} {line.precision:>8.0%}  "
            f"{titles.get(line.rule, line.rule)}"
        )


@main.command()
@click.argument("urls", nargs=-1, metavar="[URL]...")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.05),
    default=3600.0,
    show_default=True,
    metavar="SECONDS",
    help="每个网站每隔这么久探测一次首页，时刻在间隔内随机（默认每小时一次，每天24次）/ one probe per site in "
    "each interval, at a random moment of it.",
)
@click.option(
    "--probes", type=click.IntRange(min=1), metavar="N", help="每个网站探测N次后结束 / stop after N probes a site."
)
@click.option("--once", is_flag=True, help="每个网站立即探测一次后结束 / probe each site once now, then stop.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=15.0,
    show_default=True,
    metavar="SECONDS",
    help="超过此时间打不开计为不可用（国家监测为15秒）/ a probe slower than this is a failure.",
)
@db_option()
@config_option()
@click.option(
    "--notify",
    metavar="CMD|URL",
    callback=_notify_option,
    help="网站无法访问、恢复、首页疑似被篡改时立即运行的命令（环境变量 GOVAUDIT_EVENT 等）或接收 JSON 的 http(s) "
    "地址；默认取配置 notify / command or webhook run on each change of state.",
)
@click.option("--no-notify", is_flag=True, help="不运行配置中的通知 / skip the configured notify hook.")
@click.option(
    "--log-file",
    "log_file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="把每次探测和报警（带时间）追加到此文件 / append every probe and alert to FILE.",
)
def watch(urls, interval, probes, once, timeout, db_url, config_path, notify, no_notify, log_file):
    """动态监测 / probe each site's home page at spread times, store every probe, alert on a change.

    Without URL, the sites registered with `govaudit sites add`. Each probe is one GET of the home
    page (and its same-site redirects); up when it answers 2xx/3xx within --timeout. The quarterly
    run judges site.unreachable from the stored probes (see docs/watch.md).
    """
    from audit.run.notify import alert_payload
    from audit.store.sites import registered_sites
    from audit.watch.service import EVENTS, watch_sites

    config, store = _open(config_path, db_url)
    try:
        sites = [check_site_url(url) for url in urls]
    except BadSiteURL as exc:
        _fail_usage(str(exc))
    sites = sites or [site.url for site in registered_sites(store)]
    if not sites:
        _fail_usage("没有要监测的网站：请给出网址，或先 govaudit sites add sites.yaml / no site to watch")
    target = None if no_notify else notify or config.notify
    stop = threading.Event()
    stopped_by: list[int] = []

    def on_signal(signum, _frame):
        stopped_by.append(signum)
        stop.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, on_signal)
    with ExitStack() as stack:
        log = None
        if log_file is not None:
            try:
                log_file.parent.mkdir(parents=True, exist_ok=True)
                log = stack.enter_context(log_file.open("a", encoding="utf-8"))
            except OSError as exc:
                _fail_usage(f"无法写入日志文件 / cannot write the log file {log_file}: {exc.strerror or exc}")

        def report(result) -> None:
            for line in (result.line(), *(f"报警 / alert: {alert.summary}" for alert in result.alerts)):
                click.echo(for_terminal(line))
                write_line(log, line)
                if log is not None:
                    log.flush()
            for alert in result.alerts if target is not None else ():
                payload = alert_payload(alert.site_url, alert.event, EVENTS[alert.event], alert.summary, log_file)
                for line in send(target, payload, config.notify_allow_internal):
                    err.print(line)
                    write_line(log, line)

        rounds = 1 if once else probes
        sites_text = "、".join(sites)
        click.echo(f"开始监测 {len(sites)} 个网站，每 {interval:g} 秒探测一次 / watching {sites_text}")
        try:
            made = watch_sites(
                store, sites, config, report, interval=interval, rounds=rounds, stop=stop, timeout=timeout
            )
        except StoreError as exc:
            err.print(f"错误 / error: {exc}")
            sys.exit(EXIT_DATABASE)
        except SQLAlchemyError as exc:
            # The database went away while watching: one line and exit 1; the service manager restarts it.
            err.print(
                f"错误 / error: 数据库暂时无法访问，已保存的探测记录不受影响 / the database became unavailable: "
                f"{str(getattr(exc, 'orig', None) or exc).strip().splitlines()[0]}"
            )
            sys.exit(EXIT_DATABASE)
        click.echo(f"监测结束，共探测 {made} 次 / watch ended after {made} probes")
    # Stopped by the service manager (SIGTERM) is a clean end; Ctrl-C exits as the other commands do.
    if signal.SIGINT in stopped_by:
        sys.exit(128 + signal.SIGINT)


@main.group()
def db():
    """数据库 / the database."""


@db.command(name="upgrade")
@db_option()
def db_upgrade(db_url):
    """把数据库升级到当前版本 / bring the database to the current schema (SQLite and PostgreSQL)."""
    from audit.store.schema import current_revision

    _, store = _open(None, db_url)
    click.echo(f"数据库已是当前版本 / database schema at revision {current_revision(store.engine)}")


@db.command(name="stats")
@db_option()
def db_stats(db_url):
    """数据库各表的行数和大小、每次检查引用的页面 / rows and bytes per table, page references per run."""
    _, store = _open(None, db_url)
    tables = store.table_sizes()
    click.echo(f"{'表':<16}{'行数':>10}  {'大小':>10}")
    for table in tables:
        click.echo(f"{table.name:<17}{table.rows:>11,}  {_size(table.size):>12}")
    known = [table.size for table in tables if table.size is not None]
    click.echo(f"{'合计':<15}{sum(table.rows for table in tables):>11,}  {_size(sum(known) if known else None):>12}")
    click.echo("\n每次检查引用的页面（页面版本和正文由各次检查共用）：")
    click.echo(f"{'编号':>4}  {'季度':<7} {'状态':<11} {'页面':>7} {'未改变':>7} {'版本':>7} {'独有版本':>8}  网站")
    for run in store.run_references():
        click.echo(
            f"{run.run_id:>6}  {run.quarter or '—':<8} {run.status:<12} {run.pages:>8} {run.not_modified:>9} "
            f"{run.versions:>8} {run.own_versions:>11}  {for_terminal(run.site_url)}"
        )


def _size(size: int | None) -> str:
    if size is None:
        return "—"
    return f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{size / 1024:.0f} KB"


@main.command()
@click.option(
    "--keep-quarters",
    type=int,
    required=True,
    metavar="N",
    help="保留每个网站最近N个季度的检查（N≥1）/ keep each site's runs of its latest N quarters.",
)
@click.option(
    "--vacuum", is_flag=True, help="清理后压缩 SQLite 文件（需要同样大小的空闲磁盘）/ VACUUM SQLite afterwards."
)
@db_option()
def prune(keep_quarters, vacuum, db_url):
    """清理旧检查的页面记录 / drop the pages only runs older than the latest N quarters refer to.

    Runs, findings and history stay; the pages that are evidence of a problem still open stay too.
    """
    from audit.judging.prune import prune_plan

    if keep_quarters < 1:
        _fail_usage(f"--keep-quarters 至少为1 / must be at least 1: {keep_quarters}")
    _, store = _open(None, db_url)
    try:
        plan = prune_plan(store, keep_quarters)
        pruned = store.drop_pages(plan.keep)
        if vacuum:
            store.compact()
    except StoreError as exc:
        err.print(f"错误 / error: 清理未完成，数据库未改动 / prune not done, the database is unchanged: {exc}")
        sys.exit(EXIT_DATABASE)
    click.echo(
        f"已清理{len(plan.keep)}次旧检查：删除页面记录{pruned.pages}条、页面版本{pruned.versions}个、"
        f"页面正文{pruned.bodies}个；保留{plan.open_findings}个仍未整改问题的证据页面"
    )


if __name__ == "__main__":
    main()
