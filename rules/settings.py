"""The settings an audit runs with, as the rules and the crawl see them. Loading them from YAML is
the CLI's job (audit/config.py); here is only their shape."""
from __future__ import annotations

from dataclasses import dataclass, field

from crawler.columns import ColumnSpec, CrawlLimits


class ConfigError(ValueError):
    """The configuration file cannot be read or does not have the expected shape."""


@dataclass(frozen=True)
class AuditConfig:
    site_stale_days: int
    crawl: CrawlLimits
    columns: tuple[ColumnSpec, ...]
    fingerprint: str
    # Per-rule settings from the `rules:` section, keyed by rule id (e.g. "entity.sector_missing").
    rule_settings: dict = field(default_factory=dict, hash=False, compare=False)

    def rule_option(self, rule_id: str, name: str, default=None):
        """A rule's setting from the config, or `default` when the config does not set it."""
        return self.rule_settings.get(rule_id, {}).get(name, default)

    def column(self, key: str) -> ColumnSpec:
        for spec in self.columns:
            if spec.key == key:
                return spec
        raise KeyError(key)

    def column_for_anchor(self, link_text: str) -> ColumnSpec | None:
        for spec in self.columns:
            if spec.matches(link_text):
                return spec
        return None
