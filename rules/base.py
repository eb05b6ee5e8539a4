"""Rule metadata, findings and the registry every rule module adds itself to."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from crawler.vocabulary.columns import Evidence
from rules.severity import Severity

if TYPE_CHECKING:
    from rules.settings import Settings
    from rules.snapshot import SiteSnapshot


class Subject(str, enum.Enum):
    """What a rule judges, declared in its `@rule`: a page of the portal, the portal (or one of its
    columns) as a whole, or a row of an office register (政务新媒体, 12345, 网民留言), which the
    bulletin reports in the register's own section and never scores against the website."""

    PAGE = "page"
    SITE = "site"
    REGISTER = "register"


# What a finding states beyond its words, for the layers that act on it (责任单位, the register
# sections): {"sectors": ("供电", "供气")}. Kept as JSON beside the stored finding.
Facts = Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class Finding:
    rule: str
    url: str
    column: str | None
    severity: Severity
    message: str
    evidence: str
    facts: Facts = field(default_factory=dict, compare=False)

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
    """What a check function reports: where, in words for the bulletin, the text that showed it,
    and the facts other layers act on (never parsed back out of the words)."""

    url: str
    message: str
    evidence: str
    column: str | None = None
    facts: Facts = field(default_factory=dict, compare=False)
    # A rule whose weight depends on its evidence (site.unreachable: a veto from a quarter of probes,
    # a hint from one failed crawl) states it here; None is the rule's own severity.
    severity: Severity | None = None


class RuleOptions(BaseModel):
    """The options a rule declares, next to its `@rule` metadata: each field is one option, with
    its type, its default (the only one) and its meaning (the field's description). A user's
    `rules: {<rule id>: {...}}` section is validated against them: an unknown key or a wrong type
    is an error, not a setting silently ignored."""

    # YAML reads 2022 or 14 as numbers where a list of words is meant; a word is a word.
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


class NoOptions(RuleOptions):
    """A rule without options: any key under its id in the config is a mistake."""


CheckFunction = Callable[["SiteSnapshot", "Settings"], Iterable[Problem]]


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
    subject: Subject
    # What the rule must have read to conclude; a run that did not read it does not run the rule.
    needs: Evidence = Evidence.AUDITED
    # The rule judges a column by its whole list: where a list was read short (a coverage gap)
    # it does not judge on part of it, and its verdict there is 未能完整检查.
    needs_whole_list: bool = False
    options: type[RuleOptions] = NoOptions
    # Whether its findings count towards the website's score (register rules never do).
    scored: bool = True
    # The rule also enforces the county's own documents (政务公开工作任务清单): its basis is `clause`
    # and the configured `bulletin.local_basis`.
    local_basis: bool = False

    def basis(self, config: "Settings", year: int) -> str:
        """The documents the rule enforces, as a bulletin cites them for the year checked: its national
        clause, and the county's own documents where it enforces them and they are configured."""
        local = config.bulletin.local_citations(year) if self.local_basis else ()
        return "；".join((self.clause, *local))

    def findings(self, site: "SiteSnapshot", config: "Settings") -> Iterator[Finding]:
        for problem in self.check(site, config):
            yield Finding(
                self.id,
                problem.url,
                problem.column,
                problem.severity or self.severity,
                problem.message,
                problem.evidence,
                {name: tuple(values) for name, values in problem.facts.items()},
            )


_REGISTRY: dict[str, RuleSpec] = {}


def rule(
    *,
    id: str,
    title: str,
    severity: Severity,
    summary: str,
    clause: str,
    subject: Subject,
    needs: Evidence = Evidence.AUDITED,
    needs_whole_list: bool = False,
    options: type[RuleOptions] = NoOptions,
    scored: bool | None = None,
    local_basis: bool = False,
) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated check function as a rule; its docstring is the rule's documentation.
    `subject` is what it judges (a page, the site, a register row); `scored` whether its findings
    count towards the website's score (default: all but register rules). `needs` is what it must
    read beyond the audited pages (the site's 解读 pages, the whole site); `options` the settings
    it reads (config.options(options) in the check). `clause` cites national documents only; a rule
    that also enforces the county's own (政务公开工作任务清单) says `local_basis`, and its basis then
    includes the configured `bulletin.local_basis`."""

    def register(check: CheckFunction) -> CheckFunction:
        if id in _REGISTRY:
            raise ValueError(f"rule id registered twice: {id}")
        if not isinstance(subject, Subject):
            raise ValueError(f"rule {id}: subject must be a Subject, not {subject!r}")
        counted = subject is not Subject.REGISTER if scored is None else scored
        if counted and subject is Subject.REGISTER:
            raise ValueError(f"rule {id}: a register rule is reported in its register's section, never scored")
        if options is not NoOptions and any(spec.options is options for spec in _REGISTRY.values()):
            raise ValueError(f"options class declared by two rules: {options.__name__}")
        _REGISTRY[id] = RuleSpec(
            id,
            title,
            severity,
            clause,
            summary,
            check,
            (check.__doc__ or "").strip(),
            subject,
            needs,
            needs_whole_list,
            options,
            counted,
            local_basis,
        )
        return check

    return register


def registered_rules() -> Iterator[RuleSpec]:
    """Every registered rule, ordered by id."""
    return iter(sorted(_REGISTRY.values(), key=lambda spec: spec.id))


def rule_spec(rule_id: str) -> RuleSpec | None:
    """The registered rule of that id; None for a rule no longer registered (a stored old finding)."""
    return _REGISTRY.get(rule_id)


def judges_register(rule_id: str) -> bool:
    """Whether the rule judges an office register (its findings go to the register's section)."""
    spec = _REGISTRY.get(rule_id)
    return spec is not None and spec.subject is Subject.REGISTER


def is_scored(rule_id: str) -> bool:
    """Whether the rule's findings count towards the website's score (an unknown old rule: yes)."""
    spec = _REGISTRY.get(rule_id)
    return spec is None or spec.scored
