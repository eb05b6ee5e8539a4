"""四、约谈建议: the units whose 单项否决 or 扣分 problems stayed open for interview_after_quarters."""

from __future__ import annotations

from dataclasses import dataclass

from audit.judging.problems import interview_list
from reports.rows import ReportRow
from reports.sections.context import Context


@dataclass(frozen=True)
class InterviewView:
    unit: str
    rows: tuple[ReportRow, ...]


@dataclass(frozen=True)
class Interviews:
    interviews: tuple[InterviewView, ...]
    interview_after: int


def build(ctx: Context) -> Interviews:
    after = ctx.settings.bulletin.interview_after_quarters
    return Interviews(
        tuple(
            InterviewView(item.unit, tuple(ctx.found.by_fingerprint[r.fingerprint] for r in item.rows))
            for item in interview_list(ctx.problems, after)
        ),
        after,
    )
