"""人工核查记录 in the technical file: every decision that applies to this run's problems (made on this
run, or an exclusion carried from an earlier quarter), and the office's own precision per rule — how
often each rule's problems were confirmed and excluded (误报) over every reviewed run."""

from __future__ import annotations

from dataclasses import dataclass

from audit.store.reviews import EXCLUDED
from reports.sections.context import Context


@dataclass(frozen=True)
class DecisionLine:
    problem: str  # the rule's title
    rule: str
    url: str
    units: str
    decision: str  # 确认 / 排除
    reason: str
    reviewer: str
    decided_at: str  # YYYY-MM-DD HH:MM (UTC, as stored)
    carried_from: str  # the quarter an exclusion was carried from, "" for this run's own decision
    fingerprint: str


@dataclass(frozen=True)
class PrecisionLine:
    rule: str
    problem: str
    confirmed: int
    excluded: int
    precision: str  # 87%


@dataclass(frozen=True)
class ReviewRecord:
    reviewed: bool
    total: int
    decided: int
    excluded: int
    lines: tuple[DecisionLine, ...]
    precision: tuple[PrecisionLine, ...]
    reviewed_runs: int


def build(ctx: Context) -> ReviewRecord:
    review, titles = ctx.review, ctx.titles
    lines = []
    for item in review.records:
        made = item.own or item.carried
        lines.append(
            DecisionLine(
                problem=titles.get(item.row.rule, item.row.rule),
                rule=item.row.rule,
                url=item.row.url,
                units="、".join(item.row.units),
                decision=made.decision,
                reason=made.reason,
                reviewer=made.reviewer,
                decided_at=made.decided_at.strftime("%Y-%m-%d %H:%M"),
                carried_from="" if item.own is not None else item.carried_quarter,
                fingerprint=item.row.fingerprint,
            )
        )
    rules, reviewed_runs = ctx.precision
    return ReviewRecord(
        reviewed=review.reviewed,
        total=len(review.items),
        decided=review.decided,
        excluded=sum(1 for item in review.items if item.decision == EXCLUDED),
        lines=tuple(sorted(lines, key=lambda line: (line.decision, line.rule, line.url))),
        precision=tuple(
            PrecisionLine(
                line.rule,
                titles.get(line.rule, line.rule),
                line.confirmed,
                line.excluded,
                f"{line.precision:.0%}",
            )
            for line in rules
        ),
        reviewed_runs=reviewed_runs,
    )
