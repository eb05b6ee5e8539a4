"""政务新媒体, 12345 热线, 网民留言: a section each after （一）政府网站 (none in a column report)."""

from __future__ import annotations

from reports.registers import RegisterSection, register_sections
from reports.sections.context import Context


def build(ctx: Context) -> tuple[RegisterSection, ...]:
    if ctx.run.scope:
        return ()
    return register_sections(ctx.site.registers, dict(ctx.register_sources), ctx.rows, ctx.run.as_of)
