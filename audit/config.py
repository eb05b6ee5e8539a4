"""Audit configuration: built-in defaults (defaults.yaml) merged with a user's YAML file."""
from __future__ import annotations

import difflib
import hashlib
import json
import typing
from importlib import resources
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from crawler.columns import ColumnSpec, CrawlLimits, Evidence, normalise_anchor
from crawler.safe_yaml import YAMLRefused, load_yaml
from rules import registered_rules
from rules.base import RuleOptions
from rules.settings import AuditConfig, ConfigError

__all__ = ["AuditConfig", "ColumnSpec", "ConfigError", "CrawlLimits", "check_notify", "is_webhook", "load_config",
           "normalise_anchor", "raw_config"]


def _merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read_yaml(text: str, origin: str) -> dict:
    try:
        data = load_yaml(text, origin) or {}
    except YAMLRefused as exc:
        raise ConfigError(f"配置文件不予读取 / config refused: {exc}") from None
    # PyYAML builds dates itself: 2020-13-01 unquoted is a ValueError, not a YAMLError.
    except (yaml.YAMLError, ValueError) as exc:
        raise ConfigError(f"配置文件不是有效的 YAML / config is not valid YAML: {origin}: {' '.join(str(exc).split())}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"配置文件顶层必须是映射 / config top level must be a mapping: {origin}")
    return data


def raw_config(path: str | Path | None = None) -> dict:
    """The built-in defaults.yaml merged with the user's YAML file at `path`, as plain data."""
    raw = _read_yaml(resources.files("audit").joinpath("defaults.yaml").read_text("utf-8"), "defaults")
    if path is not None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"无法读取配置文件 / cannot read config file: {path}: {exc}") from exc
        raw = _merge(raw, _read_yaml(text, str(path)))
    return raw


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


class _Site(_Section):
    stale_days: int = Field(ge=1)


class _Crawl(_Section):
    max_clicks: int = Field(ge=1)
    max_depth: int = Field(ge=0)
    max_pages: int = Field(ge=1)
    max_list_pages: int = Field(ge=1)
    timeout: float = Field(gt=0)
    site_hosts: tuple[str, ...] = ()
    obey_robots: bool = True
    concurrency: int | None = None
    delay: float | None = 0.0
    readers: int
    read_seconds: float
    read_memory_mb: int
    attachments_inflated_mb: int


class _Column(_Section):
    """A required column needs its stale_days; a support column (required: false) says what it
    supplies (e.g. `supplies: interpretations`) and needs no update deadline."""

    name: str
    anchors: tuple[str, ...] = Field(min_length=1)
    stale_days: int | None = Field(None, ge=1)
    required: bool = True
    supplies: Evidence | None = None


class _Document(_Section):
    """The known top-level sections. `rules` is checked against what each rule declares; `units`,
    `scoring` and `bulletin` belong to the reports (reports/config.py reads and checks them)."""

    site: _Site
    crawl: _Crawl
    columns: dict[str, _Column]
    rules: dict[str, dict | None] = {}
    units: dict
    scoring: dict
    bulletin: dict
    notify: str | None = None

    @field_validator("notify")
    @classmethod
    def _notify(cls, value: str | None) -> str | None:
        return None if value is None else check_notify(value)


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


def load_config(path: str | Path | None = None) -> AuditConfig:
    """Defaults, overridden by the YAML file at `path` when one is given. A key no section or
    rule declares, a missing key or a value of the wrong type is a ConfigError naming the key."""
    raw = raw_config(path)
    origin = f"{path}: " if path is not None else ""
    document = _validated(_Document, raw, (), origin)
    declared = {spec.id: spec.options for spec in registered_rules()}
    rule_settings: dict[type[RuleOptions], RuleOptions] = {}
    for rule_id, options in document.rules.items():
        if rule_id not in declared:
            raise ConfigError(f"{origin}未知规则 / unknown rule: rules.{rule_id}{_did_you_mean(rule_id, declared)}")
        rule_settings[declared[rule_id]] = _validated(declared[rule_id], options or {}, ("rules", rule_id), origin)
    for key, spec in document.columns.items():
        if spec.required and spec.stale_days is None:
            raise ConfigError(f"{origin}缺少配置项 / missing config key: columns.{key}.stale_days")
    crawl = document.crawl
    limits = CrawlLimits(max_clicks=crawl.max_clicks, max_depth=crawl.max_depth, max_pages=crawl.max_pages,
                         max_list_pages=crawl.max_list_pages, timeout=crawl.timeout,
                         site_hosts=tuple(host.lower() for host in crawl.site_hosts), obey_robots=crawl.obey_robots,
                         concurrency=None if crawl.concurrency is None else max(1, crawl.concurrency),
                         delay=max(0.0, crawl.delay or 0.0),
                         readers=max(1, crawl.readers), read_seconds=crawl.read_seconds,
                         read_memory_mb=crawl.read_memory_mb, attachments_inflated_mb=crawl.attachments_inflated_mb)
    columns = tuple(ColumnSpec(key=key, name=spec.name, anchors=spec.anchors, stale_days=spec.stale_days,
                               required=spec.required, supplies=spec.supplies) for key, spec in document.columns.items())
    # What the run is judged by, rule options with their defaults included: a resumed run must
    # have been started under the same settings.
    # The notify hook changes nothing judged: editing it does not make an interrupted run a new one.
    effective = {**document.model_dump(mode="json", exclude={"rules", "notify"}),
                 "rules": {rule_id: (rule_settings.get(kind) or kind()).model_dump(mode="json")
                           for rule_id, kind in declared.items()}}
    fingerprint = hashlib.sha256(json.dumps(effective, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:12]
    return AuditConfig(site_stale_days=document.site.stale_days, crawl=limits, columns=columns,
                       fingerprint=fingerprint, rule_settings=rule_settings)


Model = TypeVar("Model", bound=BaseModel)


def _validated(model: type[Model], data, where: tuple, origin: str) -> Model:
    """`data` as `model`, or a one-line ConfigError naming the first key that is wrong."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        # A misspelt key also leaves the right one missing: name the misspelling.
        error = min(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
        loc = (*where, *error["loc"])
        key = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".")
        more = f"（另有{exc.error_count() - 1}处 / {exc.error_count() - 1} more）" if exc.error_count() > 1 else ""
        if error["type"] == "extra_forbidden":
            known = _known_keys(model, error["loc"][:-1])
            message = f"未知配置项 / unknown config key: {key}{_did_you_mean(str(loc[-1]), known)}"
        elif error["type"] == "missing":
            message = f"缺少配置项 / missing config key: {key}"
        else:
            shown = repr(error.get("input"))
            shown = shown if len(shown) <= 60 else shown[:60] + "…"
            message = f"配置项类型或取值错误 / wrong type or value: {key}: {error['msg']}（值 / value: {shown}）"
        raise ConfigError(f"{origin}{message}{more}") from None


def _known_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    """The keys the model declares at `loc` (a path of field names, dict keys and list indexes)."""
    kind = model
    for part in loc:
        if isinstance(kind, type) and issubclass(kind, BaseModel) and part in kind.model_fields:
            kind = kind.model_fields[part].annotation
        elif typing.get_origin(kind) in (dict, tuple):
            kind = typing.get_args(kind)[-1 if typing.get_origin(kind) is dict else 0]
        else:
            return []
    return list(kind.model_fields) if isinstance(kind, type) and issubclass(kind, BaseModel) else []


def _did_you_mean(name: str, known) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"（是否应为 / did you mean: {close[0]}）" if close else ""
