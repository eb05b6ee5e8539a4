"""二、检查结果 of a column report: every rule's verdict on the column, with why it is 未检查."""

from __future__ import annotations

from audit.judging.verdicts import VerdictTable, rule_table
from reports.sections.context import Context

NUMBERED = True


def build(ctx: Context) -> VerdictTable:
    column_verdicts, site_verdicts = ctx.verdict_tables
    return rule_table(column_verdicts, site_verdicts)
