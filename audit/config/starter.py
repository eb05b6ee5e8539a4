"""A county's starting configuration (`govaudit init`): who issues its 通报, the form of its 文号, its
own basis documents and the other names its units go by, written as a YAML file the loader reads
over the defaults. Only what the county gave is written; everything else stays the defaults'."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from rules.settings import check_doc_number_format, full_organ_name

# A county-level name: 马关县, 个旧市, 西山区, 土默特左旗, 石林彝族自治县.
_COUNTY = re.compile(r"[\u4e00-\u9fff]{1,20}[县市区旗]")
# One unit and its other names: 县住房和城乡建设局=县住建局,住建局 (full-width ＝ ， 、 too).
_UNIT_SEPARATOR = re.compile(r"[=＝]")
_ALIAS_SEPARATOR = re.compile(r"[,，、;；]")


class StarterError(ValueError):
    """A value `govaudit init` cannot write (the message is the one line the clerk reads)."""


@dataclass(frozen=True)
class Starter:
    county: str
    organ: str
    # The 文号 before 〔year〕, e.g. 马政办通; or a whole format holding {n}. Empty: none configured.
    doc_prefix: str = ""
    units: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The county's own basis documents (titles; {county} and {year} allowed).
    local_basis: tuple[str, ...] = ()

    @property
    def doc_number_format(self) -> str:
        if not self.doc_prefix or "{" in self.doc_prefix:
            return self.doc_prefix
        return f"{self.doc_prefix}〔{{year}}〕{{n}}号"


def checked_county(county: str) -> str:
    county = county.strip()
    if not _COUNTY.fullmatch(county):
        raise StarterError(
            f"县名应为县（市、区、旗）的全称，如 某某县 / the county's full name, e.g. 某某县: {county!r}"
        )
    return county


def organ_of(county: str, organ: str) -> str:
    """The issuing organ's full name: as given (its level alone gets the county's name first), else
    the county's 人民政府办公室; one that does not name the county is refused."""
    name = full_organ_name(county, organ)
    if county not in name:
        raise StarterError(
            f"发文机关全称应含县名，如 {county}人民政府办公室 / the organ's full name names {county}: {organ!r}"
        )
    return name


def parse_unit(text: str) -> tuple[str, tuple[str, ...]]:
    """县住房和城乡建设局=县住建局,住建局 → (县住房和城乡建设局, (县住建局, 住建局)); a name alone has none."""
    if _UNIT_SEPARATOR.search(text):
        name, aliases = (part.strip() for part in _UNIT_SEPARATOR.split(text, maxsplit=1))
    else:
        name, aliases = text.strip(), ""
    others = tuple(dict.fromkeys(alias.strip() for alias in _ALIAS_SEPARATOR.split(aliases) if alias.strip()))
    if not name or re.search(r"\s", name) or any(re.search(r"\s", alias) for alias in others):
        raise StarterError(f"单位应写成「名称=别名1,别名2」/ a unit is written 名称=别名1,别名2: {text!r}")
    return name, tuple(alias for alias in others if alias != name)


def checked_doc_prefix(prefix: str) -> str:
    """A 文号 prefix (某政办通) or a whole format (某政办通〔{year}〕{n}号)."""
    prefix = prefix.strip()
    # A prefix with braces is a whole format, and has to be one.
    whole = prefix if re.search(r"[{}]", prefix) else f"{prefix}{{n}}"
    try:
        check_doc_number_format(whole)
        valid = not re.search(r"\s", prefix)
    except ValueError:
        valid = False
    if not valid:
        raise StarterError(
            f"文号前缀如 某政办通（或完整格式 某政办通〔{{year}}〕{{n}}号）/ a 文号 prefix such as 某政办通: {prefix!r}"
        )
    return prefix


def unit_aliases(units: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """`units.aliases` (another name → the unit's name) of each unit and its other names; a unit given
    without any stands for itself, so that the bulletin knows its name (马关县教育体育局 → 县教育体育局)."""
    return {alias: name for name, aliases in units.items() for alias in aliases or (name,)}


def starter_yaml(starter: Starter) -> str:
    """The starting config file: a commented YAML mapping the loader merges over the defaults."""
    bulletin: dict = {"county": starter.county, "organ": starter.organ}
    if starter.doc_number_format:
        bulletin["doc_number_format"] = starter.doc_number_format
    if starter.local_basis:
        bulletin["local_basis"] = [{"title": title} for title in starter.local_basis]
    data: dict = {"bulletin": bulletin}
    if starter.units:
        data["units"] = {"aliases": unit_aliases(starter.units)}
    header = (
        f"# {starter.county}的 govaudit 配置（govaudit init 生成）。未写出的配置项取默认值\n"
        "# （audit/config/defaults.yaml）；使用：govaudit audit 网址 --config 本文件。\n"
        "# 文号：{year} 为发文年份，{n} 为序号（bulletin.doc_number_serial，不填则留空待签发时手填）。\n"
    )
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=120)
