"""The combined bulletin of many portals for one quarter, in the shape real provincial bulletins
have: a table of every site (score, 合格/不合格, 单项否决 reasons, problem counts, rank) and each
site's problem list as an annex. It reads what the store holds: each site's latest finished
whole-site run of the quarter."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from audit.judging.history import FindingRow, find_run, with_history
from audit.judging.review import reviewed_problem_list
from audit.judging.scoring import PASS, UNREACHABLE, result_text, score
from audit.store import RunStatus, Store
from audit.store.sites import SiteRecord
from crawler.vocabulary.quarters import Quarter
from rules import registered_rules
from rules.settings import Settings

NOT_CHECKED = "未检查"


@dataclass(frozen=True)
class SiteProblem:
    problem: str
    severity: str
    url: str
    message: str
    units: str
    state: str


@dataclass(frozen=True)
class SiteLine:
    rank: int | None
    name: str
    unit: str
    url: str
    site_id: str
    level: str
    run_id: int | None
    result: str  # 92.5分 / 不合格（单项否决）/ 未能访问（待复测）/ 未检查
    verdict: str  # 合格 / 不合格 / 未检查
    vetoes: tuple[str, ...]
    counts: tuple[int, int, int]  # 单项否决, 扣分, 提示
    problems: tuple[SiteProblem, ...]
    findings: tuple[FindingRow, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class CombinedBulletin:
    title: str
    quarter: Quarter
    issuer: str
    office: str
    issued_on: date
    sites: tuple[SiteLine, ...]

    @property
    def checked(self) -> int:
        return sum(1 for site in self.sites if site.run_id is not None)

    @property
    def passed(self) -> int:
        return sum(1 for site in self.sites if site.verdict == PASS)

    @property
    def pass_rate(self) -> str:
        return f"{self.passed / self.checked * 100:.1f}%" if self.checked else "—"


def build_combined(store: Store, sites: list[SiteRecord], quarter: Quarter, config: Settings) -> CombinedBulletin:
    specs = {spec.id: spec for spec in registered_rules()}
    titles = {rule_id: spec.title for rule_id, spec in specs.items()}
    lines = []
    for site in sites:
        # A site that could not be reached has a finished run too (status unreachable).
        run = find_run(store, site.url, None, quarter) or find_run(
            store, site.url, None, quarter, (RunStatus.UNREACHABLE,)
        )
        if run is None:
            lines.append(
                SiteLine(
                    None,
                    site.name,
                    site.unit,
                    site.url,
                    site.site_id or "",
                    site.level or "",
                    None,
                    NOT_CHECKED,
                    NOT_CHECKED,
                    (),
                    (0, 0, 0),
                    (),
                    (),
                )
            )
            continue
        # The site's problem list, as its own bulletin counts it (register problems do not score).
        found, _ = reviewed_problem_list(store, with_history(store, run), config.bulletin, store.page_evidence(run.id))
        rows = found.current
        result = score(rows, config.scoring, titles)
        text = result_text(result, run.status, verdict=False)
        verdict = NOT_CHECKED if run.status == RunStatus.UNREACHABLE and not result.vetoed else result.verdict
        counts = tuple(count for _, count in found.by_severity())
        problems = tuple(
            SiteProblem(
                specs[row.rule].title if row.rule in specs else row.rule,
                row.severity,
                row.url,
                row.message,
                "、".join(row.units),
                row.state,
            )
            for row in rows
        )
        lines.append(
            SiteLine(
                None,
                site.name,
                site.unit,
                site.url,
                site.site_id or "",
                site.level or "",
                run.id,
                text,
                verdict,
                result.vetoes,
                counts,
                problems,
                rows,
            )
        )
    ranked = sorted((line for line in lines if line.run_id is not None), key=_rank_key)
    ranks = {id(line): number for number, line in enumerate(ranked, 1)}
    ordered = [_with_rank(line, ranks.get(id(line))) for line in ranked] + [
        line for line in lines if line.run_id is None
    ]
    settings = config.bulletin
    return CombinedBulletin(
        f"关于{quarter.chinese}政府网站监测情况的通报",
        quarter,
        settings.signatory,
        settings.office,
        date.today(),
        tuple(ordered),
    )


def _rank_key(line: SiteLine):
    # Passed sites by score, then failed by score, then vetoed ones by their problems, unreachable last.
    points = float(line.result.removesuffix("分")) if line.result.endswith("分") else None
    return (
        line.verdict != PASS,
        line.result == UNREACHABLE,
        points is None,
        -(points or 0),
        line.counts[0],
        line.total,
        line.name,
    )


def _with_rank(line: SiteLine, rank: int | None) -> SiteLine:
    return replace(line, rank=rank)
