"""The review page (`govaudit review RUN`): every problem of a run with its evidence — the rule's title,
message, evidence, the page and its kept copy, the 责任单位 — and where its review stands, for a clerk to
mark 确认 or 排除（理由）before the 通报 is signed. Rendered with the bulletin's templates (autoescaped,
every printed value masked: reports.render)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from audit.judging.history import quarter_of
from audit.judging.review import TO_VERIFY, RunReview, needs_confirmation
from audit.store import Store
from audit.store.reviews import CONFIRMED, EXCLUDED, REASON_LIMIT, Decision
from reports.evidence import copy_pages, copy_view
from reports.render import render_kept_copy, render_review
from reports.rows import OTHER_PAGES, SEVERITY_ORDER
from rules import registered_rules
from rules.base import judges_register
from rules.settings import Settings


@dataclass(frozen=True)
class ReviewEntry:
    """One problem as the review page shows it."""

    number: int
    fingerprint: str
    rule: str
    problem: str  # the rule's title
    severity: str
    message: str
    evidence: str
    url: str
    page_title: str
    units: str
    column_name: str
    has_copy: bool
    decision: str  # 确认 / 排除 / 待核实 / "" (what the bulletin does with it)
    own: Decision | None
    carried: Decision | None
    carried_quarter: str
    needs_confirmation: bool

    @property
    def statement(self) -> str:
        return self.message if self.message.startswith(self.problem) else f"{self.problem}：{self.message}"

    @property
    def shown_reason(self) -> str:
        """The reason the form starts with: this run's, else the carried exclusion's."""
        made = self.own or self.carried
        return made.reason if made else ""

    @property
    def own_when(self) -> str:
        return _local_time(self.own.decided_at) if self.own else ""

    @property
    def carried_when(self) -> str:
        return _local_time(self.carried.decided_at) if self.carried else ""

    @property
    def marked(self) -> str:
        """The choice the form starts with: this run's decision, else a carried 排除."""
        if self.own is not None:
            return self.own.decision
        return EXCLUDED if self.carried is not None else ""


@dataclass(frozen=True)
class ReviewPage:
    run_id: int
    site_url: str
    quarter: str
    as_of: str
    reviewer: str
    token: str
    entries: tuple[ReviewEntry, ...]
    decided: int
    reviewed: bool
    error: str = ""
    error_fingerprint: str = ""
    confirmed: str = CONFIRMED
    excluded: str = EXCLUDED
    to_verify: str = TO_VERIFY
    reason_limit: int = REASON_LIMIT

    @property
    def total(self) -> int:
        return len(self.entries)


def _order(entry_row) -> tuple:
    row = entry_row.row
    return (
        judges_register(row.rule),
        SEVERITY_ORDER.index(row.severity) if row.severity in SEVERITY_ORDER else 9,
        row.rule,
        row.column or "",
        row.url,
    )


def review_entries(store: Store, review: RunReview, settings: Settings) -> tuple[ReviewEntry, ...]:
    titles = {spec.id: spec.title for spec in registered_rules()}
    columns = {spec.key: spec.name for spec in settings.columns}
    items = sorted(review.items, key=_order)
    seen = store.page_evidence(review.run.id)
    with_copy = copy_pages(store, review.run.id, [item.row.url for item in items])
    return tuple(
        ReviewEntry(
            number=number,
            fingerprint=item.row.fingerprint,
            rule=item.row.rule,
            problem=titles.get(item.row.rule, item.row.rule),
            severity=item.row.severity,
            message=item.row.message,
            evidence=item.row.evidence,
            url=item.row.url,
            page_title=(seen.get(item.row.url, (None, None))[1] or ""),
            units="、".join(item.row.units),
            column_name=columns.get(item.row.column, OTHER_PAGES) if item.row.column else OTHER_PAGES,
            has_copy=item.row.url in with_copy,
            decision=item.decision,
            own=item.own,
            carried=item.carried,
            carried_quarter=item.carried_quarter,
            needs_confirmation=needs_confirmation(item.row),
        )
        for number, item in enumerate(items, 1)
    )


def review_page(
    store: Store,
    review: RunReview,
    settings: Settings,
    reviewer: str,
    token: str,
    error: str = "",
    error_fingerprint: str = "",
) -> str:
    run = review.run
    page = ReviewPage(
        run_id=run.id,
        site_url=run.site_url,
        quarter=quarter_of(run).chinese,
        as_of=run.as_of.isoformat(),
        reviewer=reviewer,
        token=token,
        entries=review_entries(store, review, settings),
        decided=review.decided,
        reviewed=review.reviewed,
        error=error,
        error_fingerprint=error_fingerprint,
    )
    return render_review(page)


def kept_copy_page(store: Store, review: RunReview, settings: Settings, fingerprint: str) -> str | None:
    """The kept copy showing the problem `fingerprint` (the page, or a page linking to a broken link's
    target), sanitised and masked as beside the bulletin; None when the run kept none."""
    entries = review_entries(store, review, settings)
    entry = next((entry for entry in entries if entry.fingerprint == fingerprint), None)
    if entry is None:
        return None
    page_url = copy_pages(store, review.run.id, [entry.url]).get(entry.url)
    if page_url is None:
        return None
    on_page = copy_pages(store, review.run.id, [other.url for other in entries])
    problems = tuple(other for other in entries if on_page.get(other.url) == page_url)
    for page in store.kept_pages(review.run.id, [page_url]):
        return render_kept_copy(copy_view(page, problems))
    return None


def _local_time(moment: datetime) -> str:
    """A stored time (UTC) as the clerk's clock shows it."""
    return moment.replace(tzinfo=timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M")
