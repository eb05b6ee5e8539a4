"""The closing of both reports: the list of annexes, the signature, 附件1 问题清单 and 附件2 技术说明
(all printed from the header fields and the rows, which the kept copies and thumbnails fill in)."""

from __future__ import annotations

from reports.sections.context import Context


def build(ctx: Context) -> None:
    return None
