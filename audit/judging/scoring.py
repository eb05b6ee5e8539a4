"""Scores in the shape of 国办秘函〔2019〕19号: a 单项否决 makes the site 不合格 and nothing else is
scored; otherwise full marks less each indicator's deductions (each capped at the indicator's
points), and a score below the pass mark is 不合格. The numbers come from the `scoring` table of
the configuration, each marked confirmed or assumed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Protocol

from audit.store import RunStatus
from rules.base import Finding, Severity, is_scored
from rules.settings import Figure, Indicator, ScoringTable
from rules.snapshot import SiteSnapshot

PASS = "合格"
FAIL = "不合格"
# The audit could not open the home page and no week of probes vetoes the site: one failed visit
# proves nothing about a quarter (site.unreachable), so the site is to be checked again.
UNREACHABLE = "未能访问（待复测）"
VETOED = "不合格（单项否决）"


class Scored(Protocol):
    rule: str
    severity: str
    indicator: str | None


def indicator_for(finding: Finding, site: SiteSnapshot, table: ScoringTable) -> str | None:
    """The indicator a 扣分 finding deducts from (None for 单项否决, 提示 and unmapped rules)."""
    if finding.severity is not Severity.DEDUCT:
        return None
    for indicator in table.indicators:
        if not any(fnmatchcase(finding.rule, pattern) for pattern in indicator.rules):
            continue
        if indicator.where is None or (indicator.where == "home") == _linked_from_home(finding.url, site):
            return indicator.key
    return None


def _linked_from_home(url: str, site: SiteSnapshot) -> bool:
    home = {page.url for page in site.home_chain()}
    return any(link.from_url in home for link in site.links_to(url))


@dataclass(frozen=True)
class IndicatorScore:
    indicator: Indicator
    count: int
    deducted: float
    # False when no registered rule checks this indicator: nothing can be deducted, nothing was checked.
    checked: bool

    @property
    def capped(self) -> bool:
        return self.count * self.indicator.per_item.value > self.indicator.points.value


@dataclass(frozen=True)
class Score:
    verdict: str  # 合格 | 不合格
    points: float | None  # None when a 单项否决 stops the scoring
    vetoes: tuple[str, ...]  # why the site is vetoed (rule titles, count thresholds)
    lines: tuple[IndicatorScore, ...]
    unscored_rules: tuple[str, ...]  # 扣分 rules that no indicator maps (reported, not deducted)
    full_marks: Figure
    pass_mark: Figure

    @property
    def vetoed(self) -> bool:
        return bool(self.vetoes)


def score(findings: Iterable[Scored], table: ScoringTable, rule_titles: dict[str, str]) -> Score:
    """Score one run's findings; `rule_titles` (rule id → title) are the registered rules. Register
    findings (政务新媒体, 12345, 网民留言) have their own sections and do not score the website."""
    findings = [f for f in findings if is_scored(f.rule)]
    by_rule = Counter(f.rule for f in findings)
    vetoes = [
        rule_titles.get(rule, rule) for rule in sorted({f.rule for f in findings if f.severity == Severity.VETO.value})
    ]
    vetoes += [
        f"{veto.name}（{by_rule[veto.rule]}个）" for veto in table.veto_counts if by_rule[veto.rule] >= veto.count
    ]
    by_indicator = Counter(f.indicator for f in findings if f.indicator)
    lines = tuple(
        IndicatorScore(
            indicator,
            by_indicator[indicator.key],
            min(by_indicator[indicator.key] * indicator.per_item.value, indicator.points.value),
            checked=any(fnmatchcase(rule, pattern) for rule in rule_titles for pattern in indicator.rules),
        )
        for indicator in table.indicators
    )
    unscored = tuple(sorted({f.rule for f in findings if f.severity == Severity.DEDUCT.value and not f.indicator}))
    if vetoes:
        return Score(FAIL, None, tuple(vetoes), lines, unscored, table.full_marks, table.pass_mark)
    points = round(max(table.full_marks.value - sum(line.deducted for line in lines), 0.0), 2)
    verdict = FAIL if points < table.pass_mark.value else PASS
    return Score(verdict, points, (), lines, unscored, table.full_marks, table.pass_mark)


def result_text(result: Score, status: str, *, verdict: bool = True) -> str:
    """A run's result in words, the one wording every report and the CLI use: 不合格（单项否决） when a
    veto stops the scoring (site.unreachable from a week of probes among them), 未能访问（待复测） when
    the audit could not open the home page and nothing vetoes the site, else the points and — unless the
    caller shows the verdict in a column of its own (`verdict=False`) — 合格 / 不合格 in brackets."""
    if result.vetoed:
        return VETOED
    if status == RunStatus.UNREACHABLE:
        return UNREACHABLE
    return f"{result.points:g}分（{result.verdict}）" if verdict else f"{result.points:g}分"
