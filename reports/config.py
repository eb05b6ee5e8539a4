"""The reporting half of the configuration: 责任单位 map, scoring table and bulletin settings.

Read from the same files as audit.config (defaults.yaml merged with the user's --config file), from
the `units`, `scoring` and `bulletin` sections that the crawl and the rules do not use.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from audit.config import ConfigError, raw_config

STATUSES = ("confirmed", "assumed")


@dataclass(frozen=True)
class Figure:
    """A number of the scoring table and whether the published text confirms it."""

    value: float
    status: str

    @property
    def confirmed(self) -> bool:
        return self.status == "confirmed"


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    rules: tuple[str, ...]
    per_item: Figure
    points: Figure
    # None: every finding of the rules; "home": only targets the home page links; "other": the rest.
    where: str | None = None


@dataclass(frozen=True)
class VetoCount:
    rule: str
    count: int
    status: str
    name: str


@dataclass(frozen=True)
class ScoringTable:
    source: str
    full_marks: Figure
    pass_mark: Figure
    indicators: tuple[Indicator, ...]
    veto_counts: tuple[VetoCount, ...]


@dataclass(frozen=True)
class ColumnUnits:
    units: tuple[str, ...]
    sectors: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    # A document of the column goes to the unit that issued it (发布机构, 发文机关 or 文号 prefix) when
    # its page names one; `units` only otherwise.
    by_issuer: bool = False


@dataclass(frozen=True)
class UnitMap:
    site: str
    columns: dict[str, ColumnUnits] = field(default_factory=dict, hash=False, compare=False)
    # 文号 prefix (the issuer's abbreviation, 马政办) → unit, for documents that name no 发布机构.
    doc_prefixes: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    def known_names(self) -> tuple[str, ...]:
        """Every unit name the configuration gives, the portal's 主办单位 first."""
        names = [self.site, *self.doc_prefixes.values()]
        for spec in self.columns.values():
            names += [*spec.units, *spec.sectors.values()]
        return tuple(dict.fromkeys(names))


@dataclass(frozen=True)
class DocxFonts:
    """Fonts of the Word draft (公文: 方正小标宋简体 title, 仿宋_GB2312 body, 黑体 一、, 楷体_GB2312 （一）)."""

    title: str = "方正小标宋简体"
    body: str = "仿宋_GB2312"
    heading: str = "黑体"
    subheading: str = "楷体_GB2312"


@dataclass(frozen=True)
class BulletinSettings:
    issuer: str
    office: str
    addressees: str
    # 整改期限 in working days after the as-of date, by severity (单项否决 / 扣分 / 提示).
    deadline_working_days: dict[str, int]
    holidays: frozenset[date]
    workdays: frozenset[date]
    interview_after_quarters: int
    doc_number: str = ""
    site_name: str = ""
    fonts: DocxFonts = DocxFonts()

    def deadline_days(self, severity: str) -> int:
        return self.deadline_working_days.get(severity, max(self.deadline_working_days.values()))


@dataclass(frozen=True)
class ReportConfig:
    units: UnitMap
    scoring: ScoringTable
    bulletin: BulletinSettings


def _figure(raw, where: str) -> Figure:
    if not isinstance(raw, dict) or "value" not in raw:
        raise ConfigError(f"配置项应为 {{value, status}} / {where} must be {{value: N, status: confirmed|assumed}}")
    status = str(raw.get("status", "assumed"))
    if status not in STATUSES:
        raise ConfigError(f"status 只能是 confirmed 或 assumed / {where}.status must be confirmed or assumed: {status!r}")
    value = float(raw["value"])
    if value < 0:
        raise ConfigError(f"分值不能为负 / {where} must not be negative: {value}")
    return Figure(value, status)


def _dates(raw, where: str) -> frozenset[date]:
    try:
        return frozenset(value if isinstance(value, date) else date.fromisoformat(str(value)) for value in raw or ())
    except ValueError as exc:
        raise ConfigError(f"日期格式应为 YYYY-MM-DD / {where}: {exc}") from exc


def _units(raw: dict) -> UnitMap:
    columns = {}
    for key, spec in (raw.get("columns") or {}).items():
        if isinstance(spec, (list, str)):
            spec = {"units": spec}
        units = spec.get("units") or ()
        columns[str(key)] = ColumnUnits(
            units=(str(units),) if isinstance(units, str) else tuple(str(u) for u in units),
            sectors={str(k): str(v) for k, v in (spec.get("sectors") or {}).items()},
            by_issuer=bool(spec.get("by_issuer", False)))
    return UnitMap(site=str(raw["site"]), columns=columns,
                   doc_prefixes={str(k): str(v) for k, v in (raw.get("doc_prefixes") or {}).items()})


def _scoring(raw: dict) -> ScoringTable:
    indicators = []
    for key, spec in raw["indicators"].items():
        where = spec.get("where")
        if where not in (None, "home", "other"):
            raise ConfigError(f"where 只能是 home 或 other / scoring.indicators.{key}.where must be home or other")
        indicators.append(Indicator(
            key=str(key), name=str(spec["name"]), rules=tuple(str(r) for r in spec["rules"]),
            per_item=_figure(spec["per_item"], f"scoring.indicators.{key}.per_item"),
            points=_figure(spec["points"], f"scoring.indicators.{key}.points"), where=where))
    vetoes = tuple(
        VetoCount(str(rule), int(spec["count"]), str(spec.get("status", "assumed")), str(spec.get("name", rule)))
        for rule, spec in (raw.get("veto_counts") or {}).items())
    return ScoringTable(source=str(raw["source"]), full_marks=_figure(raw["full_marks"], "scoring.full_marks"),
                        pass_mark=_figure(raw["pass_mark"], "scoring.pass_mark"),
                        indicators=tuple(indicators), veto_counts=vetoes)


SEVERITIES = ("单项否决", "扣分", "提示")


def _deadline_days(raw) -> dict[str, int]:
    """One number for every severity, or a number per severity."""
    days = {name: int(raw) for name in SEVERITIES} if not isinstance(raw, dict) else \
        {str(name): int(value) for name, value in raw.items()}
    unknown = set(days) - set(SEVERITIES)
    if unknown or not days:
        raise ConfigError(f"bulletin.deadline_working_days 的键只能是 {'、'.join(SEVERITIES)} / keys must be severities: "
                          f"{sorted(unknown)}")
    return days


def _bulletin(raw: dict) -> BulletinSettings:
    days = _deadline_days(raw["deadline_working_days"])
    quarters = int(raw["interview_after_quarters"])
    if min(days.values()) < 1 or quarters < 1:
        raise ConfigError("bulletin.deadline_working_days 和 interview_after_quarters 须为正整数 / must be positive")
    return BulletinSettings(
        issuer=str(raw["issuer"]), office=str(raw["office"]), addressees=str(raw["addressees"]),
        deadline_working_days=days, holidays=_dates(raw.get("holidays"), "bulletin.holidays"),
        workdays=_dates(raw.get("workdays"), "bulletin.workdays"), interview_after_quarters=quarters,
        doc_number=str(raw.get("doc_number") or ""), site_name=str(raw.get("site_name") or ""),
        fonts=DocxFonts(**{str(k): str(v) for k, v in (raw.get("fonts") or {}).items()}))


def load_report_config(path: str | Path | None = None) -> ReportConfig:
    """The reporting sections of the defaults, overridden by the YAML file at `path`."""
    raw = raw_config(path)
    try:
        return ReportConfig(units=_units(raw["units"]), scoring=_scoring(raw["scoring"]),
                            bulletin=_bulletin(raw["bulletin"]))
    except ConfigError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"配置项缺失或类型错误 / config entry missing or of the wrong type: {exc!r}") from exc
