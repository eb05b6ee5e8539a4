"""The one settings tree an audit runs with: the site, the crawl, the columns, each rule's options,
the 责任单位 map, the scoring table, the bulletin and the notify hook. Frozen, loaded and checked
once per command (audit/config/__init__.py `load_settings`) and handed down as one argument. The values,
defaults included, live only in audit/config/defaults.yaml: a field here has a default only where an
entry a user adds may leave it out (a new column's `required`, an indicator's `where`)."""

from __future__ import annotations

import re
from datetime import date
from functools import cached_property
from typing import Literal, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, field_validator, model_validator

from crawler.vocabulary.columns import ColumnSpec, CrawlLimits, _Shape, normalise_anchor
from rules.severity import Severity

# A rule's options class (rules.base.RuleOptions, which imports this module for its type hints).
Options = TypeVar("Options", bound=BaseModel)


class ConfigError(ValueError):
    """The configuration file cannot be read or does not have the expected shape."""


def _keyed(entries, field: str):
    """A mapping of entries (`columns:`, `indicators:`, `veto_counts:`) with each entry's key put
    in the entry as `field`, so the entry knows its own name."""
    if not isinstance(entries, dict):
        return entries
    return {key: {**entry, field: str(key)} if isinstance(entry, dict) else entry for key, entry in entries.items()}


class Site(_Shape):
    # 国办秘函〔2019〕19号 单项否决「首页不更新」.
    stale_days: int = Field(ge=1)


class Figure(_Shape):
    """A number of the scoring table and whether the published text confirms it."""

    value: float = Field(ge=0)
    status: Literal["confirmed", "assumed"] = "assumed"

    @property
    def confirmed(self) -> bool:
        return self.status == "confirmed"


class Indicator(_Shape):
    key: str
    name: str
    # Rule ids, shell patterns allowed (privacy.*); each must match a registered rule.
    rules: tuple[str, ...] = Field(min_length=1)
    per_item: Figure
    points: Figure
    # None: every finding of the rules; "home": only targets the home page links; "other": the rest.
    where: Literal["home", "other"] | None = None


class VetoCount(_Shape):
    rule: str
    count: int = Field(ge=1)
    status: Literal["confirmed", "assumed"] = "assumed"
    # What the 通报 calls it (the rule id when not given).
    name: str

    @model_validator(mode="before")
    @classmethod
    def _named(cls, data):
        return {"name": data.get("rule"), **data} if isinstance(data, dict) else data


class ScoringTable(_Shape):
    source: str
    full_marks: Figure
    pass_mark: Figure
    indicator_table: dict[str, Indicator] = Field(alias="indicators")
    veto_table: dict[str, VetoCount] = Field(alias="veto_counts")

    @model_validator(mode="before")
    @classmethod
    def _keys(cls, data):
        if isinstance(data, dict):
            data = {
                **data,
                "indicators": _keyed(data.get("indicators"), "key"),
                "veto_counts": _keyed(data.get("veto_counts"), "rule"),
            }
        return data

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(self.indicator_table.values())

    @property
    def veto_counts(self) -> tuple[VetoCount, ...]:
        return tuple(self.veto_table.values())

    def patterns(self) -> dict[str, tuple[str, ...]]:
        """Where each rule pattern is set (`scoring.indicators.<key>.rules`, `scoring.veto_counts.<rule>`)."""
        found = {f"scoring.indicators.{key}.rules": ind.rules for key, ind in self.indicator_table.items()}
        return found | {f"scoring.veto_counts.{rule}": (rule,) for rule in self.veto_table}


class ColumnUnits(_Shape):
    units: tuple[str, ...] = ()
    sectors: dict[str, str] = {}
    # A document of the column goes to the unit that issued it (发布机构, 发文机关 or 文号 prefix) when
    # its page names one; `units` only otherwise.
    by_issuer: bool = False

    @model_validator(mode="before")
    @classmethod
    def _short_forms(cls, data):
        """`lqhm: 县政府办公室` and `lqhm: [县政府办公室]` are short for `lqhm: {units: …}`."""
        data = {"units": data} if isinstance(data, (list, str)) else data
        if isinstance(data, dict) and isinstance(data.get("units"), str):
            data = {**data, "units": [data["units"]]}
        return data


class UnitMap(_Shape):
    site: str
    columns: dict[str, ColumnUnits]
    # 文号 prefix (the issuer's abbreviation, 马政办) → unit, for documents that name no 发布机构.
    doc_prefixes: dict[str, str]
    # A unit's other names (简称, an old name) → the name the bulletin gives it: 县教体局: 县教育体育局.
    # The county's name before a unit and 人民政府 / 政府 are matched without this.
    aliases: dict[str, str]

    def known_names(self) -> tuple[str, ...]:
        """Every unit name the configuration gives, the portal's 主办单位 first."""
        names = [self.site, *self.doc_prefixes.values()]
        for spec in self.columns.values():
            names += [*spec.units, *spec.sectors.values()]
        return tuple(dict.fromkeys([*names, *self.aliases.values()]))

    def canonical(self, name: str) -> str:
        """The configured name of the unit `name` names, so one unit is counted and named once in
        every section (县教育体育局 = 马关县教育体育局, 八寨镇政府 = 八寨镇人民政府, an alias = its unit);
        the county (or city) government itself answers through the portal's 主办单位. Names the
        configuration does not know are kept as given."""
        key = unit_key(name)
        if re.fullmatch(r"[省市州盟县区旗]政府", key):
            return self.site
        for alias, unit in self.aliases.items():
            if unit_key(alias) == key:
                return unit
        for configured in self.known_names():
            if unit_key(configured) == key:
                return configured
        return name.strip()


# A place name before its level (马关县, 文山壮族苗族自治州): dropped when comparing unit names.
_PLACE = re.compile(r"^[\u4e00-\u9fff]{2,10}?(?=[省市州盟县区旗].)")


def unit_key(name: str) -> str:
    """A unit name without its place name and with 人民政府 as 政府: 马关县人民政府办公室 → 县政府办公室."""
    name = re.sub(r"\s+", "", name)
    return _PLACE.sub("", name, count=1).replace("人民政府", "政府")


class DocxFonts(_Shape):
    """Fonts of the Word draft (公文: title, body, heading 一、, subheading （一）)."""

    title: str
    body: str
    heading: str
    subheading: str


SEVERITY_NAMES = tuple(severity.value for severity in Severity)


# What a bulletin prints where the office has not configured it: never an invented county.
UNCONFIGURED = "未配置"
# A name that begins with its level and no place (县人民政府办公室, 县政府督查室): the county's name goes first.
_LEVEL_ONLY = re.compile(r"^[县市区旗](?:人民政府|政府)")


def full_organ_name(county: str, organ: str) -> str:
    """An organ's full name: as given, the county's name put before one that starts with its level
    alone (县人民政府办公室 → 马关县人民政府办公室), the county's 人民政府办公室 when none is given; ""
    when it cannot be named without a county."""
    organ, county = organ.strip(), county.strip()
    if not organ:
        return f"{county}人民政府办公室" if county else ""
    if _LEVEL_ONLY.match(organ):
        return f"{county}{organ[1:]}" if county else ""
    return organ


def check_doc_number_format(value: str) -> str:
    """A 文号 format holds {n} (the serial) and may hold {year}, nothing else in braces; ValueError else."""
    fields = set(re.findall(r"{([^{}]*)}", value))
    if value and (fields - {"year", "n"} or "{n}" not in value):
        raise ValueError("文号格式只能含 {year} 和 {n}，且须含 {n}，如 某政办通〔{year}〕{n}号 / use {year} and {n}")
    return value


class Document(_Shape):
    """A document the bulletin or a rule cites: 《政府网站发展指引》（国办发〔2017〕47号）. In a county's own
    document `{county}` and `{year}` stand for the county's name and the year checked."""

    title: str = Field(min_length=1)
    number: str = ""

    def citation(self, county: str = "", year: int | None = None) -> str:
        title = self.title.replace("{county}", county)
        if year is not None:
            title = title.replace("{year}", str(year))
        return f"《{title}》（{self.number}）" if self.number else f"《{title}》"


class ReviewWording(_Shape):
    """How the bulletin states its method: after a person reviewed the findings, or before."""

    reviewed: str = Field(min_length=1)
    unreviewed: str = Field(min_length=1)


class BulletinSettings(_Shape):
    # The county (市、区) checked, as its documents write it: 马关县. Empty: not configured.
    county: str
    # The issuing organ's full name (版头, 落款): 马关县人民政府办公室. Empty: the county's 人民政府办公室.
    organ: str
    office: str
    addressees: str
    # This bulletin's 文号 as given (used as it is), else doc_number_format filled in.
    doc_number: str
    # 马政办通〔{year}〕{n}号: {year} the year of issue, {n} doc_number_serial (left blank to fill in
    # by hand when not given, as a draft before 签发 is).
    doc_number_format: str
    doc_number_serial: int | None = Field(ge=1)
    site_name: str
    # National documents every bulletin cites (its 依据).
    basis: tuple[Document, ...]
    # The county's own documents (政务公开工作任务清单 …), cited by the bulletin and by the rules that
    # enforce them (`local_basis` in their @rule).
    local_basis: tuple[Document, ...]
    review_wording: ReviewWording
    # 整改期限 in working days after the as-of date, by severity (单项否决 / 扣分 / 提示), or one number for all.
    deadline_working_days: dict[str, int]
    holidays: frozenset[date]
    workdays: frozenset[date]
    interview_after_quarters: int = Field(ge=1)
    fonts: DocxFonts

    @field_validator("deadline_working_days", mode="before")
    @classmethod
    def _per_severity(cls, value):
        if isinstance(value, (int, float, str)) and not isinstance(value, bool):
            return {name: value for name in SEVERITY_NAMES}
        return value

    @field_validator("deadline_working_days")
    @classmethod
    def _severities(cls, days: dict[str, int]) -> dict[str, int]:
        unknown = sorted(set(days) - set(SEVERITY_NAMES))
        if unknown or not days:
            raise ValueError(f"键只能是 {'、'.join(SEVERITY_NAMES)} / keys must be severities: {unknown}")
        if min(days.values()) < 1:
            raise ValueError("须为正整数 / must be positive")
        return days

    def deadline_days(self, severity: str) -> int:
        return self.deadline_working_days.get(severity, max(self.deadline_working_days.values()))

    @model_validator(mode="before")
    @classmethod
    def _issuer_is_organ(cls, data):
        """`issuer:` (the key before `organ:`) is read as `organ:`."""
        if isinstance(data, dict) and "issuer" in data:
            data = dict(data)
            issuer = data.pop("issuer")
            if not data.get("organ"):
                data["organ"] = issuer
        return data

    @field_validator("doc_number_format")
    @classmethod
    def _number_format(cls, value: str) -> str:
        return check_doc_number_format(value)

    @property
    def county_name(self) -> str:
        """The county's name, or "" when not configured."""
        return self.county.strip()

    @property
    def organ_name(self) -> str:
        """The issuing organ's full name (full_organ_name), "" when it cannot be named."""
        return full_organ_name(self.county, self.organ)

    @property
    def signatory(self) -> str:
        """The 落款: the organ's full name, or a visible 未配置 in its place (never a county made up)."""
        return self.organ_name or f"（发文机关{UNCONFIGURED}）"

    def doc_number_for(self, year: int) -> str:
        """The bulletin's 文号: as given, else the format with the year of issue and the serial (a
        full-width blank to fill in when no serial is given); "" when neither is configured."""
        if self.doc_number.strip():
            return self.doc_number.strip()
        if not self.doc_number_format:
            return ""
        serial = str(self.doc_number_serial) if self.doc_number_serial is not None else "\u3000\u3000"
        return self.doc_number_format.replace("{year}", str(year)).replace("{n}", serial)

    def basis_citations(self, year: int) -> tuple[str, ...]:
        """Every document the bulletin cites, national first, the county's own with its name and year."""
        return tuple(document.citation(self.county_name, year) for document in (*self.basis, *self.local_basis))

    def local_citations(self, year: int) -> tuple[str, ...]:
        return tuple(document.citation(self.county_name, year) for document in self.local_basis)

    def unconfigured(self) -> tuple[str, ...]:
        """The `bulletin:` settings a county has to give before its bulletin can be signed, as the
        technical file lists them under 未配置 (县名（county）…)."""
        missing = []
        if not self.county_name:
            missing.append("县名（county）")
        if not self.organ_name:
            missing.append("发文机关（organ）")
        if not (self.doc_number.strip() or self.doc_number_format):
            missing.append("文号（doc_number_format）")
        if not self.local_basis:
            missing.append("本县依据（local_basis）")
        return tuple(missing)


def is_webhook(target: str) -> bool:
    return "://" in target.split(None, 1)[0]


def check_notify(target: str) -> str:
    """A notify hook (--notify, `notify:`): an http(s) URL to POST to, or a shell command; ValueError
    for an empty one or a URL that is not http(s) with a host."""
    target = target.strip()
    if not target:
        raise ValueError("通知不能为空 / the notify hook is empty")
    if is_webhook(target):
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"通知地址须为 http(s):// 网址 / a notify URL must be http(s) with a host: {target!r}")
    return target


class Settings(_Shape):
    site: Site
    crawl: CrawlLimits
    column_table: dict[str, ColumnSpec] = Field(alias="columns")
    units: UnitMap
    scoring: ScoringTable
    bulletin: BulletinSettings
    # After each unattended run: a shell command or an http(s) URL (audit/run/notify.py); None: no hook.
    notify: str | None
    # Internal hosts, addresses or networks the notify webhook may be on (an intranet hook).
    notify_allow_internal: tuple[str, ...]
    # The validated `rules:` section: each rule's options, keyed by the options class it declares
    # (filled by the loader, which knows the registered rules).
    rule_settings: dict[type[BaseModel], BaseModel] = {}
    # What the run is judged by, in 12 hex digits (the loader's): a resumed run must match it.
    fingerprint: str = ""

    @model_validator(mode="before")
    @classmethod
    def _keys(cls, data):
        if isinstance(data, dict):
            data = {**data, "columns": _keyed(data.get("columns"), "key")}
        return data

    @field_validator("notify")
    @classmethod
    def _notify(cls, value: str | None) -> str | None:
        return None if value is None else check_notify(value)

    @cached_property
    def columns(self) -> tuple[ColumnSpec, ...]:
        return tuple(self.column_table.values())

    def options(self, kind: type[Options]) -> Options:
        """The options of the rule that declares `kind`: as the config sets them, else their defaults."""
        found = self.rule_settings.get(kind)
        return found if isinstance(found, kind) else kind()

    def column(self, key: str) -> ColumnSpec:
        return self.column_table[key]

    def column_for_anchor(self, link_text: str) -> ColumnSpec | None:
        """The first column whose anchor texts include `link_text` (asked for every link: a lookup)."""
        return self._by_anchor.get(normalise_anchor(link_text)) if link_text else None

    @cached_property
    def _by_anchor(self) -> dict[str, ColumnSpec]:
        by_anchor: dict[str, ColumnSpec] = {}
        for spec in self.columns:
            for form in spec.anchor_forms - {""}:
                by_anchor.setdefault(form, spec)
        return by_anchor
