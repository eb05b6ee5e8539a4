"""The pages a rule could not judge within its time budget, in one sentence ("" prints nothing)."""

from __future__ import annotations

from reports.sections.context import Context
from reports.summary import rule_overrun_note


def build(ctx: Context) -> str:
    return rule_overrun_note(ctx.run.rule_overruns, ctx.titles, ctx.settings.crawl.rule_seconds)
