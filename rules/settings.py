"""The settings an audit runs with, as the rules and the crawl see them. Loading them from YAML is
the CLI's job (audit/config.py); here is only their shape."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

from pydantic import BaseModel

from crawler.columns import ColumnSpec, CrawlLimits, normalise_anchor

# A rule's options class (rules.base.RuleOptions, which imports this module for its type hints).
Options = TypeVar("Options", bound=BaseModel)


class ConfigError(ValueError):
    """The configuration file cannot be read or does not have the expected shape."""


@dataclass(frozen=True)
class AuditConfig:
    site_stale_days: int
    crawl: CrawlLimits
    columns: tuple[ColumnSpec, ...]
    fingerprint: str
    # The validated `rules:` section: each rule's options, keyed by the options class it declares.
    rule_settings: dict[type[BaseModel], BaseModel] = field(default_factory=dict, hash=False, compare=False)

    def options(self, kind: type[Options]) -> Options:
        """The options of the rule that declares `kind`: as the config sets them, else their defaults."""
        found = self.rule_settings.get(kind)
        return found if isinstance(found, kind) else kind()

    def column(self, key: str) -> ColumnSpec:
        for spec in self.columns:
            if spec.key == key:
                return spec
        raise KeyError(key)

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
