"""Each rule's verdict on the whole site and on each column (合格 / 不合格 / 未检查 / 未能完整检查)."""

from __future__ import annotations

from dataclasses import dataclass

from audit.judging.verdicts import VerdictTable
from reports.sections.context import Context


@dataclass(frozen=True)
class Verdicts:
    site_verdicts: VerdictTable
    column_verdicts: VerdictTable


def build(ctx: Context) -> Verdicts:
    column_verdicts, site_verdicts = ctx.verdict_tables
    return Verdicts(site_verdicts, column_verdicts)
