"""Every website problem with its evidence, page as fetched, kept copy and thumbnail — the office's
working list in the technical file (the distributed 附件 lists them by unit, without evidence)."""

from __future__ import annotations

from reports.sections.context import Context


def build(ctx: Context) -> None:
    return None
