"""Rule ids, fingerprints, first seen, kept copies, and the scoring weights with their sources and
how to configure them — the end of the technical file."""

from __future__ import annotations

from reports.sections.context import Context


def build(ctx: Context) -> None:
    return None
