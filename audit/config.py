"""Audit configuration: built-in defaults (defaults.yaml) merged with a user's YAML file."""
from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

import yaml

from crawler.columns import ColumnSpec, CrawlLimits, Evidence, normalise_anchor
from rules.settings import AuditConfig, ConfigError

__all__ = ["AuditConfig", "ColumnSpec", "ConfigError", "CrawlLimits", "load_config", "normalise_anchor", "raw_config"]


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
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"配置文件不是有效的 YAML / config is not valid YAML: {origin}: {exc}") from exc
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


def _column(key: str, spec: dict) -> ColumnSpec:
    """One entry of `columns`: a required column needs its stale_days; a support column says
    what it supplies (e.g. `supplies: interpretations`) and needs no update deadline."""
    required = bool(spec.get("required", True))
    supplies = spec.get("supplies")
    return ColumnSpec(
        key=key,
        name=str(spec["name"]),
        anchors=tuple(str(a) for a in spec["anchors"]),
        stale_days=int(spec["stale_days"]) if required or "stale_days" in spec else None,
        required=required,
        supplies=Evidence(str(supplies)) if supplies else None,
    )


def load_config(path: str | Path | None = None) -> AuditConfig:
    """Defaults, overridden by the YAML file at `path` when one is given."""
    raw = raw_config(path)
    try:
        crawl = raw["crawl"]
        limits = CrawlLimits(
            max_clicks=int(crawl["max_clicks"]),
            max_depth=int(crawl["max_depth"]),
            max_pages=int(crawl["max_pages"]),
            max_list_pages=int(crawl["max_list_pages"]),
            timeout=float(crawl["timeout"]),
            site_hosts=tuple(str(host).lower() for host in crawl.get("site_hosts") or ()),
            obey_robots=bool(crawl.get("obey_robots", True)),
            concurrency=None if crawl.get("concurrency") is None else max(1, int(crawl["concurrency"])),
            delay=max(0.0, float(crawl.get("delay") or 0)),
            readers=max(1, int(crawl["readers"])),
            read_seconds=float(crawl["read_seconds"]),
            read_memory_mb=int(crawl["read_memory_mb"]),
            attachments_inflated_mb=int(crawl["attachments_inflated_mb"]),
        )
        columns = tuple(_column(str(key), spec) for key, spec in raw["columns"].items())
        site_stale_days = int(raw["site"]["stale_days"])
        rule_settings = {str(rule_id): dict(options or {}) for rule_id, options in (raw.get("rules") or {}).items()}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"配置项缺失或类型错误 / config entry missing or of the wrong type: {exc}") from exc
    fingerprint = hashlib.sha256(json.dumps(raw, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()[:12]
    return AuditConfig(site_stale_days=site_stale_days, crawl=limits, columns=columns, fingerprint=fingerprint,
                       rule_settings=rule_settings)
