"""A person's review of a run's problems before the 通报 is signed (`govaudit review RUN`): one decision
per problem of a run, 确认 or 排除 with a reason, keyed by the run and the problem's fingerprint, with who
decided and when. Carrying a decision to the next quarter and what it does to the bulletin are judging's
(audit.judging.review)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from audit.store.common import StoreError, _now
from audit.store.models import AuditRun, Base

CONFIRMED = "确认"
EXCLUDED = "排除"
DECISIONS = (CONFIRMED, EXCLUDED)
# What a reviewer may write: a reason is a sentence or two, a name is a name.
REASON_LIMIT = 500
REVIEWER_LIMIT = 64


class ReviewDecisionRecord(Base):
    __tablename__ = "review_decision"
    __table_args__ = (UniqueConstraint("run_id", "fingerprint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("audit_run.id"), index=True)
    fingerprint: Mapped[str] = mapped_column(String(32), index=True)
    # The problem's rule, so the office's precision per rule is read without the findings.
    rule: Mapped[str] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(String(8))  # 确认 | 排除
    reason: Mapped[str] = mapped_column(Text, default="")  # required for 排除
    reviewer: Mapped[str] = mapped_column(String(REVIEWER_LIMIT))
    decided_at: Mapped[datetime]


@dataclass(frozen=True)
class Decision:
    """A stored decision on one problem of one run."""

    run_id: int
    fingerprint: str
    rule: str
    decision: str
    reason: str
    reviewer: str
    decided_at: datetime


class BadDecision(ValueError):
    """A decision that cannot be stored as given (no reason for 排除, an unknown decision)."""


def _decision(row: ReviewDecisionRecord) -> Decision:
    return Decision(row.run_id, row.fingerprint, row.rule, row.decision, row.reason, row.reviewer, row.decided_at)


def check_decision(decision: str, reason: str, reviewer: str) -> tuple[str, str, str]:
    """The decision, reason and reviewer as stored (trimmed), or BadDecision with a one-line message."""
    decision, reason, reviewer = decision.strip(), " ".join(reason.split()), reviewer.strip()
    if decision not in DECISIONS:
        raise BadDecision(f"核查结论只能是“确认”或“排除” / a decision is 确认 or 排除, not {decision!r}")
    if decision == EXCLUDED and not reason:
        raise BadDecision("排除一个问题须写明理由 / excluding a problem needs a reason")
    if len(reason) > REASON_LIMIT:
        raise BadDecision(f"理由不超过{REASON_LIMIT}字 / the reason is at most {REASON_LIMIT} characters")
    if not reviewer or len(reviewer) > REVIEWER_LIMIT:
        raise BadDecision(f"请写明核查人（不超过{REVIEWER_LIMIT}字）/ name the reviewer")
    return decision, reason, reviewer


def save_decision(
    store, run_id: int, fingerprint: str, rule: str, decision: str, reason: str, reviewer: str
) -> Decision:
    """Store (or replace) the decision on the problem `fingerprint` of run `run_id`."""
    decision, reason, reviewer = check_decision(decision, reason, reviewer)
    with store.unit_of_work() as session:
        if session.get(AuditRun, run_id) is None:
            raise StoreError(f"没有编号为 {run_id} 的检查 / no audit run {run_id}")
        row = session.scalar(
            select(ReviewDecisionRecord).where(
                ReviewDecisionRecord.run_id == run_id, ReviewDecisionRecord.fingerprint == fingerprint
            )
        )
        if row is None:
            row = ReviewDecisionRecord(run_id=run_id, fingerprint=fingerprint)
            session.add(row)
        row.rule, row.decision, row.reason, row.reviewer, row.decided_at = rule, decision, reason, reviewer, _now()
        session.flush()
        return _decision(row)


def run_decisions(store, run_ids: list[int]) -> dict[int, dict[str, Decision]]:
    """The decisions stored for each of `run_ids`, by fingerprint (a run without any is absent)."""
    found: dict[int, dict[str, Decision]] = {}
    with store.reading() as session:
        for start in range(0, len(run_ids), 500):
            rows = session.scalars(
                select(ReviewDecisionRecord).where(ReviewDecisionRecord.run_id.in_(run_ids[start : start + 500]))
            )
            for row in rows:
                found.setdefault(row.run_id, {})[row.fingerprint] = _decision(row)
    return found
