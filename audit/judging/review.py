"""A run's review (`govaudit review RUN`): each problem the run found with the decision a person made on
it — this run's own, or an exclusion carried from an earlier run of the same site and scope — what that
does to the bulletin (the fingerprint → 确认 / 排除 / 待核实 map the problem list applies), whether the
run counts as reviewed, and the office's own precision per rule over every reviewed run."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from audit.judging.history import Comparison, FindingRow, quarter_of, rows_of, same_series
from audit.judging.problems import ProblemList, problem_list
from audit.store import FINISHED, Store
from audit.store.models import AuditRun
from audit.store.reviews import CONFIRMED, EXCLUDED, Decision, run_decisions
from rules import Severity
from rules.settings import BulletinSettings

# A 单项否决 read from a disclosure label (此件不公开 …) waits for a person before it fails the site.
TO_VERIFY = "待核实"


def needs_confirmation(row: FindingRow) -> bool:
    """A veto that rests on the words of a label alone: 待核实 until a person confirms it."""
    return row.severity == Severity.VETO.value and row.rule.startswith("label.")


@dataclass(frozen=True)
class ReviewItem:
    """One problem of the run and where its review stands."""

    row: FindingRow
    own: Decision | None  # made on this run
    carried: Decision | None  # an exclusion made on an earlier run, pre-marked here until decided
    carried_quarter: str = ""  # the quarter of the run the carried exclusion was made on

    @property
    def decision(self) -> str:
        """What the bulletin does with the problem: 确认 / 排除 / 待核实, "" when nobody decided."""
        if self.own is not None:
            return self.own.decision
        if self.carried is not None:
            return EXCLUDED
        return TO_VERIFY if needs_confirmation(self.row) else ""


@dataclass(frozen=True)
class RunReview:
    run: AuditRun
    items: tuple[ReviewItem, ...]

    @property
    def decided(self) -> int:
        return sum(1 for item in self.items if item.own is not None)

    @property
    def reviewed(self) -> bool:
        """Every problem of the run was decided on this run (a carried exclusion counts once a person
        kept it). A run without problems was not reviewed: nobody looked at anything."""
        return bool(self.items) and self.decided == len(self.items)

    def decisions(self) -> dict[str, str]:
        """fingerprint → 确认 / 排除 / 待核实 for every problem something was decided on or waits for."""
        return {item.row.fingerprint: item.decision for item in self.items if item.decision}

    def item(self, fingerprint: str) -> ReviewItem | None:
        return next((item for item in self.items if item.row.fingerprint == fingerprint), None)

    @property
    def records(self) -> tuple[ReviewItem, ...]:
        """The problems a decision applies to (own or carried), for the technical file."""
        return tuple(item for item in self.items if item.own is not None or item.carried is not None)


def run_review(store: Store, run: AuditRun) -> RunReview:
    rows = rows_of(store, run)
    earlier = [
        other
        for other in store.runs()
        if other.id != run.id
        and other.status in FINISHED
        and same_series(other, run)
        and (other.as_of, other.id) < (run.as_of, run.id)
    ]
    earlier.sort(key=lambda other: (other.as_of, other.id))
    stored = run_decisions(store, [run.id, *(other.id for other in earlier)])
    own = stored.get(run.id, {})
    # The latest decision an earlier run holds on each fingerprint; only an exclusion is carried (a
    # confirmed problem that is still there is simply 未整改).
    latest: dict[str, tuple[Decision, AuditRun]] = {}
    for other in earlier:
        for fingerprint, decision in stored.get(other.id, {}).items():
            latest[fingerprint] = (decision, other)
    items = []
    for row in rows:
        carried, made_on = latest.get(row.fingerprint, (None, None))
        if carried is not None and carried.decision != EXCLUDED:
            carried = made_on = None
        items.append(ReviewItem(row, own.get(row.fingerprint), carried, quarter_of(made_on).label if made_on else ""))
    return RunReview(run, tuple(items))


@dataclass(frozen=True)
class RulePrecision:
    """How often the office confirmed and excluded a rule's problems over every reviewed run."""

    rule: str
    confirmed: int
    excluded: int

    @property
    def precision(self) -> float:
        return self.confirmed / (self.confirmed + self.excluded)


def precision_by_rule(store: Store) -> tuple[tuple[RulePrecision, ...], int]:
    """Per rule, problems confirmed and excluded (误报) over every reviewed finished run, worst rule
    first; and how many runs were reviewed."""
    runs = [run for run in store.runs() if run.status in FINISHED]
    stored = run_decisions(store, [run.id for run in runs])
    confirmed: Counter[str] = Counter()
    excluded: Counter[str] = Counter()
    reviewed = 0
    for run in runs:
        own = stored.get(run.id)
        if not own:
            continue
        prints = {row.fingerprint for row in rows_of(store, run)}
        if not prints <= own.keys():
            continue
        reviewed += 1
        for fingerprint in prints:
            decision = own[fingerprint]
            (confirmed if decision.decision == CONFIRMED else excluded)[decision.rule] += 1
    lines = [RulePrecision(rule, confirmed[rule], excluded[rule]) for rule in set(confirmed) | set(excluded)]
    lines.sort(key=lambda line: (line.precision, -line.excluded, line.rule))
    return tuple(lines), reviewed


def kept_rows(store: Store, run: AuditRun) -> list[FindingRow]:
    """The run's findings less those excluded (this run's exclusions and the ones carried to it): what
    the run counts as problems wherever it is named (the trend of a later bulletin)."""
    decisions = run_review(store, run).decisions()
    return [row for row in rows_of(store, run) if decisions.get(row.fingerprint) != EXCLUDED]


def reviewed_problem_list(
    store: Store, comparison: Comparison, settings: BulletinSettings, seen: Mapping[str, tuple]
) -> tuple[ProblemList, RunReview]:
    """The run's problem list with the review applied (ProblemList.reviewed): this run's decisions and
    carried exclusions on its own problems, and the previous run's exclusions on the problems it had
    that this run no longer reports (a false alarm excluded then is not 已整改 now)."""
    review = run_review(store, comparison.new)
    decisions = review.decisions()
    if comparison.old is not None:
        earlier = run_review(store, comparison.old).decisions()
        decisions = {
            **{fingerprint: EXCLUDED for fingerprint, decision in earlier.items() if decision == EXCLUDED},
            **decisions,
        }
    return problem_list(comparison, settings, seen).reviewed(decisions), review
