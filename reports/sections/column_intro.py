"""The column report's opening sentence (the header fields say it all)."""

from __future__ import annotations

from reports.sections.context import Context


def build(ctx: Context) -> None:
    return None
