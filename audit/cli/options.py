"""The options many `govaudit` commands take, each declared once (as sqlfluff's common_options).
Their help text reads the defaults from the one place they are written, audit/config/defaults.yaml."""

from __future__ import annotations

from functools import lru_cache

import click

from audit.config import load_settings
from reports.formats import NAMES
from rules.settings import Settings


@lru_cache(maxsize=1)
def defaults() -> Settings:
    """The built-in settings (defaults.yaml), for help texts."""
    return load_settings(None)


def _stack(*options):
    """One decorator applying `options` in the order written (the first shown first in --help)."""

    def apply(func):
        for option in reversed(options):
            func = option(func)
        return func

    return apply


def db_option(
    help: str = "数据库地址（默认当前目录 govaudit.sqlite；也可用 GOVAUDIT_DB）/ SQLAlchemy database URL.",
    envvar: str | None = "GOVAUDIT_DB",
):
    return click.option("--db", "db_url", envvar=envvar, metavar="URL", help=help)


def config_option(help: str = "YAML 配置文件，覆盖默认栏目表、阈值、评分表等 / YAML file overriding the defaults."):
    return click.option("--config", "config_path", type=click.Path(dir_okay=False), metavar="FILE", help=help)


def format_option(default: str | None = None):
    shown = default or "html,json"
    return click.option(
        "--format",
        "formats",
        metavar="LIST",
        default=default,
        help=f"输出格式，逗号分隔（{','.join(NAMES)}；默认 {shown}）/ output formats (default {shown}).",
    )


def as_of_option(help: str = "检查基准日（默认今天）/ the date freshness is judged against (default: today)."):
    return click.option("--as-of", "as_of", callback=_parse_date, metavar="YYYY-MM-DD", help=help)


def quiet_option(func):
    return click.option("--quiet", is_flag=True, help="不显示进度 / no progress display.")(func)


def crawl_options(func):
    """--timeout and --max-pages: the crawl limits a command may override (defaults: the config's)."""
    crawl = defaults().crawl
    return _stack(
        click.option(
            "--timeout",
            type=click.FloatRange(min=0.1),
            metavar="SECONDS",
            help=f"每个请求的超时秒数（默认{crawl.timeout:g}）/ per-request timeout (default {crawl.timeout:g}).",
        ),
        click.option(
            "--max-pages",
            type=click.IntRange(min=1),
            metavar="N",
            help=f"每个网站最多抓取页面数（默认{crawl.max_pages}）/ stop after this many pages "
            f"(default {crawl.max_pages}).",
        ),
    )(func)


def politeness_options(func):
    """--concurrency and --delay (audit only: they are for one's own site)."""
    crawl = defaults().crawl
    return _stack(
        click.option(
            "--concurrency",
            type=click.IntRange(min=1),
            metavar="N",
            help="同时请求数，关闭自动调速，只用于检查自己的网站 / fixed concurrent requests "
            "(own site only; default adapts to the site).",
        ),
        click.option(
            "--delay",
            type=click.FloatRange(min=0),
            metavar="SECONDS",
            help=f"两次请求之间至少间隔的秒数（默认{crawl.delay:g}）/ seconds between requests "
            f"(default {crawl.delay:g}).",
        ),
    )(func)


def column_option(func):
    keys = ", ".join(spec.key for spec in defaults().columns if spec.required)
    return click.option("--column", metavar="KEY", help=f"只检查一个栏目（{keys}）/ audit one column only.")(func)


def _parse_date(_ctx, _param, value: str | None):
    from datetime import date

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD: {value!r}") from None
