"""`govaudit init`: a county's starting configuration, asked for on the terminal or given entirely by
flags (for a script or cron), written where no file is yet unless --force."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from audit.config import ConfigError, load_settings
from audit.config.starter import (
    Starter,
    StarterError,
    checked_county,
    checked_doc_prefix,
    organ_of,
    parse_unit,
    starter_yaml,
)

EXIT_USAGE = 2


def _fail(message: str) -> None:
    click.echo(f"错误 / error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _checked(check):
    """A prompt's value check: a wrong value is said and asked again."""

    def proc(value: str):
        try:
            return check(value)
        except StarterError as exc:
            raise click.UsageError(str(exc)) from None

    return proc


def _asked() -> Starter:
    county = click.prompt("县（市、区）名称，如 某某县", value_proc=_checked(checked_county))
    organ = click.prompt(
        "发文机关全称", default=f"{county}人民政府办公室", value_proc=_checked(lambda value: organ_of(county, value))
    )
    prefix = click.prompt(
        "文号前缀，如 某政办通（可留空，签发时手填文号）",
        default="",
        show_default=False,
        value_proc=_checked(checked_doc_prefix),
    )
    click.echo("责任单位及其别称，每行一个，写成「名称=别名1,别名2」（没有别称只写名称），空行结束：")
    units: dict[str, tuple[str, ...]] = {}
    while line := click.prompt("单位", default="", show_default=False).strip():
        try:
            name, aliases = parse_unit(line)
        except StarterError as exc:
            click.echo(f"错误 / error: {exc}", err=True)
            continue
        units[name] = aliases
    basis = click.prompt(
        "本县政务公开工作任务清单等依据文件名称（可留空；{year} 代表检查年份），如 {county}{year}年政务公开工作任务清单",
        default="",
        show_default=False,
    ).strip()
    return Starter(county, organ, prefix, units, (basis,) if basis else ())


def _from_flags(county, organ, doc_prefix, units, basis) -> Starter:
    county = checked_county(county)
    parsed = dict(parse_unit(unit) for unit in units)
    titles = tuple(title.strip() for title in basis if title.strip())
    return Starter(county, organ_of(county, organ or ""), checked_doc_prefix(doc_prefix or ""), parsed, titles)


def _write(path: Path, text: str) -> None:
    """Write `text` to `path` whole: a temporary file beside it renamed over it."""
    if path.is_dir():
        _fail(f"这是一个目录 / {path} is a directory")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".govaudit-init-", suffix=".yaml", dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except OSError as exc:
        _fail(f"无法写入配置文件 / cannot write {path}: {exc.strerror or exc}")


@click.command(name="init")
@click.argument("path", type=click.Path(path_type=Path), default=Path("govaudit.yaml"), metavar="[FILE]")
@click.option(
    "--county", metavar="NAME", help="县（市、区）名称，如 某某县；给出时不再提问 / the county (no questions asked)."
)
@click.option(
    "--organ", metavar="NAME", help="发文机关全称（默认 县名+人民政府办公室）/ the issuing organ's full name."
)
@click.option("--doc-prefix", metavar="PREFIX", help="文号前缀，如 某政办通 / the 文号 prefix.")
@click.option(
    "--unit",
    "units",
    multiple=True,
    metavar="名称=别名1,别名2",
    help="责任单位及其别称，可重复 / a unit and its other names (repeatable).",
)
@click.option(
    "--basis",
    multiple=True,
    metavar="TITLE",
    help="本县依据文件名称，可重复（{county}、{year} 可用）/ a county basis document (repeatable).",
)
@click.option("--force", is_flag=True, help="覆盖已有的配置文件 / overwrite an existing file.")
def init(path, county, organ, doc_prefix, units, basis, force):
    """生成本县的起始配置文件 / write a county's starting config (asked, or from flags for cron).

    FILE defaults to govaudit.yaml. Without --county the values are asked for on the terminal.
    """
    if path.exists() and not force:
        _fail(f"配置文件已存在，未覆盖（覆盖请加 --force）/ {path} exists; add --force to overwrite it")
    try:
        if county is not None:
            starter = _from_flags(county, organ, doc_prefix, units, basis)
        elif organ or doc_prefix or units or basis:
            _fail("用参数生成时须给出 --county / --county goes with the other flags")
        else:
            starter = _asked()
    except StarterError as exc:
        _fail(str(exc))
    except click.Abort:
        _fail("输入未完成，未写入配置文件 / input ended before the questions did; nothing written")
    _write(path, starter_yaml(starter))
    try:
        settings = load_settings(path)
    except ConfigError as exc:
        path.unlink(missing_ok=True)
        _fail(str(exc))
    bulletin = settings.bulletin
    number = bulletin.doc_number_format or "未配置（签发时手填）"
    click.echo(
        f"已写入配置文件 {path}：县名 {bulletin.county_name}，发文机关 {bulletin.organ_name}，文号 {number}，"
        f"责任单位 {len(set(settings.units.aliases.values()))} 个。"
    )
    click.echo(f"使用 / use: govaudit audit 网址 --config {path}")
