"""The sections of the bulletin, of the column report and of the technical file beside them, in
the order they are printed. The bulletin (BULLETIN) is the 公文 a leader reads: 总体情况, 存在的主要问题,
整改要求, 落款 and 附件 by unit; everything an office works with (tables, charts, verdict grid, list
coverage, evidence, rule ids and weights) is in TECHNICAL, written to technical.html beside it and
never distributed.

A section is one module here and one template in reports/templates/sections/: the module has
`build(ctx)`, which returns what its template prints (as `s`; the report's header fields are `d`),
and says whether its heading takes the next number (一、二、…). Adding a section is one module, one
template and one line in BULLETIN or COLUMN_REPORT below; the context is computed once per report."""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from reports.sections import (
    closing,
    column_check,
    column_follow_up,
    column_intro,
    column_problems,
    column_requirements,
    columns,
    figures,
    findings,
    follow_up,
    interviews,
    intro,
    list_coverage,
    overview,
    problems,
    registers,
    requirements,
    review_record,
    rule_overruns,
    rule_verdicts,
    scoring,
    technical_notes,
    verdicts,
)
from reports.sections.context import Context

BULLETIN: tuple[ModuleType, ...] = (
    intro,
    overview,
    problems,
    requirements,
    closing,
)
COLUMN_REPORT: tuple[ModuleType, ...] = (
    column_intro,
    column_check,
    list_coverage,
    rule_overruns,
    rule_verdicts,
    column_problems,
    column_follow_up,
    column_requirements,
    closing,
)
TECHNICAL: tuple[ModuleType, ...] = (
    columns,
    list_coverage,
    rule_overruns,
    verdicts,
    scoring,
    figures,
    follow_up,
    interviews,
    registers,
    findings,
    review_record,
    technical_notes,
)


@dataclass(frozen=True)
class Section:
    name: str
    template: str
    data: object
    number: int = 0  # the 一、二、… of its heading; 0 for a section that continues the one before


def build_sections(ctx: Context, modules: tuple[ModuleType, ...]) -> tuple[Section, ...]:
    sections, number = [], 0
    for module in modules:
        name = module.__name__.rpartition(".")[2]
        number += bool(getattr(module, "NUMBERED", False))
        sections.append(
            Section(
                name, f"sections/{name}.html", module.build(ctx), number if getattr(module, "NUMBERED", False) else 0
            )
        )
    return tuple(sections)


__all__ = ["BULLETIN", "COLUMN_REPORT", "TECHNICAL", "Context", "Section", "build_sections"]
