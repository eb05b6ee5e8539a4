"""Rule metadata, findings and the registry every rule module adds itself to."""
from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from crawler.columns import Evidence

if TYPE_CHECKING:
    from rules.settings import AuditConfig
    from rules.snapshot import SiteSnapshot


class Severity(str, enum.Enum):
    """国办秘函〔2019〕19号 classes: a veto item fails the site; deductions cost points; hints are advice."""

    VETO = "单项否决"
    DEDUCT = "扣分"
    HINT = "提示"


@dataclass(frozen=True)
class Finding:
    rule: str
    url: str
    column: str | None
    severity: Severity
    message: str
    evidence: str

    def to_json(self) -> dict:
        return {
            "rule": self.rule,
            "url": self.url,
            "column": self.column,
            "severity": self.severity.value,
            "message": self.message,
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class Problem:
    """What a check function reports: where, in words for the bulletin, and the text that showed it."""

    url: str
    message: str
    evidence: str
    column: str | None = None


class RuleOptions(BaseModel):
    """The options a rule declares, next to its `@rule` metadata: each field is one option, with
    its type, its default (the only one) and its meaning (the field's description). A user's
    `rules: {<rule id>: {...}}` section is validated against them: an unknown key or a wrong type
    is an error, not a setting silently ignored."""

    # YAML reads 2022 or 14 as numbers where a list of words is meant; a word is a word.
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


class NoOptions(RuleOptions):
    """A rule without options: any key under its id in the config is a mistake."""


CheckFunction = Callable[["SiteSnapshot", "AuditConfig"], Iterable[Problem]]


@dataclass(frozen=True)
class RuleSpec:
    id: str
    title: str
    severity: Severity
    clause: str
    # When the rule reports, in a line of Chinese (`govaudit rules`, the README's rule table).
    summary: str
    check: CheckFunction
    doc: str
    # What the rule must have read to conclude; a run that did not read it does not run the rule.
    needs: Evidence = Evidence.AUDITED
    # The rule judges a column by its whole list: where a list was read short (a coverage gap)
    # it does not judge on part of it, and its verdict there is 未能完整检查.
    needs_whole_list: bool = False
    options: type[RuleOptions] = NoOptions

    def findings(self, site: "SiteSnapshot", config: "AuditConfig") -> Iterator[Finding]:
        for problem in self.check(site, config):
            yield Finding(self.id, problem.url, problem.column, self.severity, problem.message, problem.evidence)


_REGISTRY: dict[str, RuleSpec] = {}


def rule(*, id: str, title: str, severity: Severity, summary: str, clause: str, needs: Evidence = Evidence.AUDITED,
         needs_whole_list: bool = False,
         options: type[RuleOptions] = NoOptions) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated check function as a rule; its docstring is the rule's documentation.
    `needs` is what it must read beyond the audited pages (the site's 解读 pages, the whole site);
    `options` the settings it reads (config.options(options) in the check)."""

    def register(check: CheckFunction) -> CheckFunction:
        if id in _REGISTRY:
            raise ValueError(f"rule id registered twice: {id}")
        if options is not NoOptions and any(spec.options is options for spec in _REGISTRY.values()):
            raise ValueError(f"options class declared by two rules: {options.__name__}")
        _REGISTRY[id] = RuleSpec(id, title, severity, clause, summary, check, (check.__doc__ or "").strip(), needs,
                                 needs_whole_list, options)
        return check

    return register


def registered_rules() -> Iterator[RuleSpec]:
    """Every registered rule, ordered by id."""
    return iter(sorted(_REGISTRY.values(), key=lambda spec: spec.id))
