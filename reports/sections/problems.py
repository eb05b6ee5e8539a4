"""二、存在的主要问题: the problems by category with their counts, the units concerned and a few
examples written along the column path (首页›政务公开›…); the registers' problems (政务新媒体, 12345,
网民留言) by kind. Every problem is listed by unit in 附件 (closing), so the body stays short
whatever their number."""

from __future__ import annotations

from dataclasses import dataclass

from reports.letter import counted, example, is_plain, named_units, trail
from reports.rows import SEVERITY_ORDER, ReportRow
from reports.sections.context import Context
from reports.sections.overview import LABEL_ONLY_VETO_RULES, register_results, was_reviewed
from rules.registers.kind import kind_of_url

NUMBERED = True
EXAMPLES = 2  # examples cited per category


@dataclass(frozen=True)
class Category:
    name: str
    count: int
    severity: str
    units: str
    examples: tuple[str, ...]
    pending: bool  # a 单项否决 no person has confirmed: 待核实


@dataclass(frozen=True)
class RegisterCategory:
    name: str
    problems: int
    units: str
    kinds: str  # 政务新媒体两周内无更新3个、…


@dataclass(frozen=True)
class Problems:
    website: tuple[Category, ...]
    registers: tuple[RegisterCategory, ...]


def _category_of(row: ReportRow) -> str:
    """A 单项否决 is named by its rule; other problems by their scoring indicator (栏目更新, 个人信息保护 …)
    when they have one, else by their rule."""
    if row.severity != "单项否决" and row.indicator not in SEVERITY_ORDER and is_plain(row.indicator):
        return row.indicator
    return row.problem if is_plain(row.problem) else "其他"


def _examples(rows: list[ReportRow], trails: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """At most EXAMPLES, each of another unit where possible, most severe first."""
    chosen: list[ReportRow] = []
    for row in rows:
        if len(chosen) < EXAMPLES and not set(row.units) & {u for c in chosen for u in c.units}:
            chosen.append(row)
    for row in rows:
        if len(chosen) < EXAMPLES and row not in chosen:
            chosen.append(row)
    return tuple(dict.fromkeys(example(row, trails) for row in chosen))


def build(ctx: Context) -> Problems:
    trails = {column.name: trail(column.path, column.name) for column in ctx.columns}
    reviewed = was_reviewed(ctx)
    by_category: dict[str, list[ReportRow]] = {}
    for row in ctx.rows:  # in annex order: most severe first
        by_category.setdefault(_category_of(row), []).append(row)
    website = tuple(
        Category(
            name,
            len(rows),
            rows[0].severity,
            named_units(unit for row in rows for unit in row.units),
            _examples(rows, trails),
            rows[0].severity == "单项否决" and not reviewed and all(r.rule in LABEL_ONLY_VETO_RULES for r in rows),
        )
        for name, rows in by_category.items()
    )
    registers = []
    for result in register_results(ctx):
        if not result.problems:
            continue
        kinds: dict[str, int] = {}
        for row in ctx.rows:
            if kind_of_url(row.url) == result.kind:
                kinds[row.problem] = kinds.get(row.problem, 0) + 1
        registers.append(RegisterCategory(result.name, result.problems, result.units, counted(kinds.items())))
    return Problems(website, tuple(registers))
