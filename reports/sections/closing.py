"""The closing of both reports: the 附件 line and the 落款 (the county's organ and the issue date),
then 附件 问题清单 — every problem by 责任单位, one table per unit, units with the most severe
problems first. Rule ids, fingerprints, evidence and weights are in the technical file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reports.letter import is_plain, tidy
from reports.rows import OTHER_PAGES, SEVERITY_ORDER, ReportRow
from reports.sections.context import Context
from reports.sections.overview import LABEL_ONLY_VETO_RULES, REGISTER_NAMES, was_reviewed
from reports.sections.requirements import deadline_dates
from rules.registers.kind import kind_of_url

UNASSIGNED = "未确定责任单位"


@dataclass(frozen=True)
class AnnexLine:
    row: ReportRow  # the problem the line says in the 附件's words (the xlsx adds its technical fields)
    column: str
    statement: str
    page_title: str
    path: str
    url: str
    severity: str
    deadline: date | None
    state: str


@dataclass(frozen=True)
class UnitTable:
    unit: str
    lines: tuple[AnnexLine, ...]
    counts: tuple[tuple[str, int], ...]  # per severity


@dataclass(frozen=True)
class Annex:
    units: tuple[UnitTable, ...]
    total: int


# Evidence longer than this stays in the technical file.
EVIDENCE_CHARS = 80


def _statement(row: ReportRow) -> str:
    """What is wrong and what shows it, in words: the rule's message when it is free of English and
    markup (HTTP 404, <head>, file names), else the rule's title; then the evidence when it is plain
    and short (公示名单含未去标识化的身份证号码4个（见于正文表格第2–5行）: the fault described, the
    numbers themselves never repeated)."""
    if is_plain(row.statement):
        said = tidy(row.statement)
    else:
        said = row.problem if is_plain(row.problem) else "存在问题，详见技术说明"
    evidence = " ".join(row.evidence.split())
    if is_plain(evidence) and len(evidence) <= EVIDENCE_CHARS and evidence not in said:
        return f"{said}。证据：{evidence}"
    return said


def _line(row: ReportRow, dates: dict[str, date], reviewed: bool) -> AnnexLine:
    register = kind_of_url(row.url)
    pending = row.severity == "单项否决" and row.rule in LABEL_ONLY_VETO_RULES and not reviewed
    return AnnexLine(
        row,
        REGISTER_NAMES.get(register, register) if register else row.column_name if row.column_name else OTHER_PAGES,
        _statement(row),
        " ".join(row.page_title.split()),
        "" if register else row.path,
        "" if register else row.url,
        f"{row.severity}（待核实）" if pending else row.severity,
        dates.get(row.severity),
        row.state,
    )


def _rank(row: ReportRow) -> int:
    return SEVERITY_ORDER.index(row.severity) if row.severity in SEVERITY_ORDER else len(SEVERITY_ORDER)


def build(ctx: Context) -> Annex:
    dates, reviewed = deadline_dates(ctx), was_reviewed(ctx)
    rows = ctx.rows if not ctx.run.scope else ctx.rows
    by_unit: dict[str, list[ReportRow]] = {}
    for row in rows:
        for unit in row.units or (UNASSIGNED,):
            by_unit.setdefault(unit, []).append(row)
    tables = []
    for unit, found in by_unit.items():
        found.sort(key=lambda r: (_rank(r), r.column_name, r.number))
        counts = tuple((severity, sum(1 for r in found if r.severity == severity)) for severity in SEVERITY_ORDER)
        tables.append(UnitTable(unit, tuple(_line(r, dates, reviewed) for r in found), counts))
    tables.sort(key=lambda t: (tuple(-n for _, n in t.counts), t.unit == UNASSIGNED, t.unit))
    return Annex(tuple(tables), len(rows))
