"""Loading the settings: the built-in defaults (defaults.yaml, the only place they are written)
merged with a user's YAML file, checked once into the frozen rules.settings.Settings tree."""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import typing
from fnmatch import fnmatchcase
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from crawler.reading.safe_yaml import YAMLRefused, load_yaml
from crawler.vocabulary.columns import ColumnSpec, CrawlLimits, normalise_anchor
from rules import registered_rules
from rules.base import RuleOptions
from rules.settings import ConfigError, Settings, check_notify, is_webhook

__all__ = [
    "ColumnSpec",
    "ConfigError",
    "CrawlLimits",
    "Settings",
    "check_notify",
    "is_webhook",
    "load_settings",
    "normalise_anchor",
]


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
        raise ConfigError(
            f"配置文件不是有效的 YAML / config is not valid YAML: {origin}: {' '.join(str(exc).split())}"
        ) from exc
    if not isinstance(data, dict):
        raise ConfigError(f"配置文件顶层必须是映射 / config top level must be a mapping: {origin}")
    return data


@lru_cache(maxsize=1)
def _defaults() -> dict:
    """defaults.yaml as plain data, read once per process (the help texts and the command share it)."""
    return _read_yaml(resources.files("audit.config").joinpath("defaults.yaml").read_text("utf-8"), "defaults")


def _raw(path: str | Path | None = None) -> dict:
    """The built-in defaults.yaml merged with the user's YAML file at `path`, as plain data."""
    raw = copy.deepcopy(_defaults())
    if path is not None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"无法读取配置文件 / cannot read config file: {path}: {exc}") from exc
        raw = _merge(raw, _read_yaml(text, str(path)))
    return raw


def load_settings(path: str | Path | None = None) -> Settings:
    """Defaults, overridden by the YAML file at `path` when one is given: read once, checked once.
    A key no section or rule declares, a missing key, a value of the wrong type or a scoring
    pattern that matches no rule is a ConfigError naming it."""
    raw = _raw(path)
    origin = f"{path}: " if path is not None else ""
    rules = raw.pop("rules", None) or {}
    if not isinstance(rules, dict):
        raise ConfigError(f"{origin}配置项类型或取值错误 / wrong type or value: rules: must be a mapping")
    settings = _validated(Settings, raw, (), origin)
    declared = {spec.id: spec.options for spec in registered_rules()}
    rule_settings: dict[type[RuleOptions], RuleOptions] = {}
    for rule_id, options in rules.items():
        if rule_id not in declared:
            raise ConfigError(f"{origin}未知规则 / unknown rule: rules.{rule_id}{_did_you_mean(rule_id, declared)}")
        rule_settings[declared[rule_id]] = _validated(declared[rule_id], options or {}, ("rules", rule_id), origin)
    for spec in settings.columns:
        if spec.required and spec.stale_days is None:
            raise ConfigError(f"{origin}缺少配置项 / missing config key: columns.{spec.key}.stale_days")
    for where, patterns in settings.scoring.patterns().items():
        for pattern in patterns:
            if not any(fnmatchcase(rule_id, pattern) for rule_id in declared):
                raise ConfigError(
                    f"{origin}评分表中的规则不存在 / no rule matches {where}: {pattern!r}"
                    f"{_did_you_mean(pattern, declared)}"
                )
    # What the run is judged by, rule options with their defaults included: a resumed run must
    # have been started under the same settings.
    # The notify hook changes nothing judged: editing it does not make an interrupted run a new one.
    effective = {
        **settings.model_dump(
            mode="json", by_alias=True, exclude={"notify", "notify_allow_internal", "rule_settings", "fingerprint"}
        ),
        "rules": {
            rule_id: (rule_settings.get(kind) or kind()).model_dump(mode="json") for rule_id, kind in declared.items()
        },
    }
    fingerprint = hashlib.sha256(json.dumps(effective, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:12]
    return settings.model_copy(update={"rule_settings": rule_settings, "fingerprint": fingerprint})


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
        fields = _fields_by_key(kind)
        if part in fields:
            kind = fields[part].annotation
        elif typing.get_origin(kind) in (dict, tuple):
            kind = typing.get_args(kind)[-1 if typing.get_origin(kind) is dict else 0]
        else:
            return []
    # `rules:` is checked against the registered rules, not as a field.
    return list(_fields_by_key(kind)) + (["rules"] if kind is Settings else [])


def _fields_by_key(kind) -> dict:
    """A model's fields by the key the YAML gives them (a field's alias where it has one)."""
    if not (isinstance(kind, type) and issubclass(kind, BaseModel)):
        return {}
    return {
        field.alias or name: field
        for name, field in kind.model_fields.items()
        if name not in ("rule_settings", "fingerprint")
    }


def _did_you_mean(name: str, known) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"（是否应为 / did you mean: {close[0]}）" if close else ""
