"""一、总体情况: in a few sentences what was checked and with what result (sites and accounts, 合格率,
score), what became of last quarter's problems, the units proposed for 约谈 and the units praised.
Every figure comes from the run's problem rows and score; the charts and tables are in the
technical file (reports/sections/charts.py, columns.py …)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from audit.judging.context import QuarterPoint
from audit.judging.problems import interview_list
from audit.store import RunStatus
from reports.letter import counted, named_units, rate
from reports.registers import register_sections
from reports.sections.context import Context
from rules.registers import KINDS, kind_named
from rules.registers.kind import kind_of_url

NUMBERED = True
# Rules whose 单项否决 rests on a disclosure label read from the page alone (此件不公开): a person
# must confirm it before the 通报 calls the site 不合格.
LABEL_ONLY_VETO_RULES = frozenset({"label.not_public"})
# How the body names a register kind checked beside the website.
REGISTER_NAMES = {"media": "政务新媒体", "hotline": "12345热线", "messages": "网民留言"}


@dataclass(frozen=True)
class RegisterResult:
    kind: str
    name: str
    summary: str  # the register's own sentence of totals
    problems: int
    units: str
    accounts: int  # places checked (accounts, tickets, messages)
    problem_places: int

    @property
    def pass_rate(self) -> str:
        return rate(self.accounts - self.problem_places, self.accounts)


@dataclass(frozen=True)
class Overview:
    window_start: date
    window_end: date
    pages_checked: int
    columns: int
    columns_found: int
    page_cap_note: str
    # The audit could not open the home page: nothing else was checked, and no score is given.
    home_unreached: bool
    total: int
    severities: str  # 单项否决2个、扣分18个、提示1个 (none of 0个)
    # Website and register problems together: the count every other output gives.
    all_total: int
    all_severities: str
    # The site's 单项否决 rests only on disclosure labels no person has confirmed: the result 待核实.
    veto_pending: bool
    points_without_veto: str
    registers: tuple[RegisterResult, ...]
    previous: QuarterPoint | None
    fixed: int
    still_open: int
    unchecked: int
    still_open_units: str
    interview_units: tuple[str, ...]
    interview_after: int
    praised: str

    @property
    def follow_up(self) -> str:
        """已整改3个，仍未整改2个（涉及……），1个所在页面本次未能打开，待下次复查 — no zero clauses."""
        parts = [f"已整改{self.fixed}个"] if self.fixed else []
        if self.still_open:
            parts.append(f"仍未整改{self.still_open}个（涉及{self.still_open_units}）")
        if self.unchecked:
            parts.append(f"{self.unchecked}个所在页面本次未能打开，待下次复查")
        return "，".join(parts)

    # A person reviewed the run's problems (h5's review step): only then does the body say 经人工核查.
    reviewed: bool = False
    # How the body states its method (bulletin.review_wording: reviewed or unreviewed).
    method: str = ""


def checked_names(ctx: Context) -> tuple[str, ...]:
    """What the quarter's check covered, as the title names it: 政府网站, 政务新媒体, 12345热线 …"""
    if ctx.run.scope:
        return ("政府网站",)
    imported = [kind for kind in KINDS if ctx.site.registers.of(kind.name) is not None]
    return ("政府网站", *(REGISTER_NAMES.get(kind.name, kind.title.split("（", 1)[0]) for kind in imported))


def register_results(ctx: Context) -> tuple[RegisterResult, ...]:
    results = []
    for section in register_sections(ctx.site.registers, dict(ctx.register_sources), ctx.rows, ctx.run.as_of):
        if not section.imported:
            continue
        kind = kind_named(section.kind)
        rows = ctx.site.registers.of(section.kind) or ()
        places = {kind.url_of(row) for row in rows} if kind else set()
        problem_places = {row.url for row in ctx.rows if kind_of_url(row.url) == section.kind}
        results.append(
            RegisterResult(
                section.kind,
                REGISTER_NAMES.get(section.kind, section.title),
                section.summary,
                section.problem_count,
                named_units(unit.unit for unit in section.problems),
                len(places),
                len(problem_places & places) if places else len(problem_places),
            )
        )
    return tuple(results)


def veto_pending(ctx: Context, reviewed: bool) -> bool:
    """The site's 单项否决 comes only from disclosure labels, and nobody has reviewed the run."""
    vetoes = [row for row in ctx.rows if row.severity == "单项否决"]
    from_counts = len(ctx.score.vetoes) > len({row.problem for row in vetoes})
    return bool(vetoes) and not reviewed and not from_counts and all(r.rule in LABEL_ONLY_VETO_RULES for r in vetoes)


def praised_units(ctx: Context) -> str:
    """The units the configuration and the registers name that have no problem this quarter."""
    named = list(ctx.settings.units.known_names())
    for kind in KINDS:
        named += [kind.unit_of(row) for row in ctx.site.registers.of(kind.name) or ()]
    with_problems = {unit for row in ctx.rows for unit in row.units}
    return named_units(unit for unit in dict.fromkeys(named) if unit and unit not in with_problems)


def was_reviewed(ctx: Context) -> bool:
    """Whether a person decided on every problem of this run before signing (govaudit review,
    audit.judging.review.RunReview.reviewed); until then the body claims no 人工核查 and a label-only
    单项否决 stays 待核实."""
    return ctx.review.reviewed


def build(ctx: Context) -> Overview:
    reviewed = was_reviewed(ctx)
    wording = ctx.settings.bulletin.review_wording
    interview_after = ctx.settings.bulletin.interview_after_quarters
    score = ctx.score
    points_without_veto = score.full_marks.value - sum(line.deducted for line in score.lines)
    still_open = ctx.still_open
    return Overview(
        window_start=ctx.quarter.first_day,
        window_end=min(ctx.quarter.last_day, ctx.run.as_of),
        pages_checked=ctx.pages_checked,
        columns=len(ctx.columns),
        columns_found=sum(1 for c in ctx.columns if c.url),
        page_cap_note=ctx.page_cap_note,
        home_unreached=ctx.run.status == RunStatus.UNREACHABLE,
        # The website's problems here; each register's follow in its own sentence.
        total=len(ctx.problems.website),
        severities=counted(ctx.problems.by_severity(ctx.problems.website)),
        all_total=ctx.problems.total,
        all_severities=counted(ctx.problems.by_severity()),
        veto_pending=veto_pending(ctx, reviewed),
        points_without_veto=f"{max(points_without_veto, 0):.2f}".rstrip("0").rstrip("."),
        registers=register_results(ctx),
        previous=ctx.previous,
        fixed=len(ctx.fixed),
        still_open=len(still_open),
        unchecked=len(ctx.unchecked),
        still_open_units=named_units(unit for row in still_open for unit in row.units),
        interview_units=tuple(item.unit for item in interview_list(ctx.problems, interview_after)),
        interview_after=interview_after,
        praised=praised_units(ctx),
        reviewed=reviewed,
        method=wording.reviewed if reviewed else wording.unreviewed,
    )
