"""What the office's registers say, as the register rules see them: the 政务新媒体 account
register, the 12345 hotline tickets and the 网民留言 (我为政府网站找错) messages of one quarter.

They are imported from the office's own spreadsheets (govaudit <kind> import), not crawled. A
register that was not imported for the quarter is None: its rules stay silent and the bulletin
says 本季度未导入, never 合格.

Each kind is one module of this package holding `KIND = RegisterKind(...)` (rules/registers/kind.py):
its row, its columns, the place and unit of a row, its section's figures. `KINDS` is the one list
of them, in bulletin order, that the import command, the importer, the store, the snapshot and
the bulletin loop over; a new register is a new module here plus its rules and their cases.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from dataclasses import dataclass, field

from rules.registers.kind import (
    REGISTER_SCHEME,
    FieldSpec,
    RegisterKind,
    Summary,
    UnitLine,
    is_register_url,
    kind_of_url,
    register_url,
)


def _kinds() -> list[RegisterKind]:
    found = []
    for module in pkgutil.iter_modules(__path__):
        kind = getattr(importlib.import_module(f"{__name__}.{module.name}"), "KIND", None)
        if isinstance(kind, RegisterKind):
            found.append(kind)
    return sorted(found, key=lambda kind: (kind.order, kind.name))


# The register kinds, in the order of their bulletin sections.
KINDS: list[RegisterKind] = _kinds()


def kind_named(name: str) -> RegisterKind | None:
    return next((kind for kind in KINDS if kind.name == name), None)


@dataclass(frozen=True)
class Registers:
    """The quarter's registers by kind name; a kind the office did not import is absent."""

    imported: Mapping[str, tuple] = field(default_factory=dict)

    def of(self, kind: str) -> tuple | None:
        """The rows of that register, or None when it was not imported this quarter."""
        return self.imported.get(kind)

    def unit_of(self, url: str) -> str | None:
        """The unit that answers for a register finding: the unit of the row at the finding's
        place (the account's operator, the ticket's or the message's handling unit)."""
        kind = kind_named(kind_of_url(url) or "")
        for row in self.of(kind.name) or () if kind else ():
            if kind.url_of(row) == url:
                return kind.unit_of(row)
        return None

    def checked_urls(self) -> set[str]:
        """Every register place this quarter's imports looked at: a finding there that is gone
        now is fixed, not unchecked."""
        return {kind.url_of(row) for kind in KINDS for row in self.of(kind.name) or ()}


def audited_register(site, kind: str) -> tuple:
    """The quarter's register of `kind`; empty when it was not imported. (The register rules need
    Evidence.SITE: a one-column check does not judge them.)"""
    return site.registers.of(kind) or ()


__all__ = [
    "KINDS",
    "REGISTER_SCHEME",
    "FieldSpec",
    "RegisterKind",
    "Registers",
    "Summary",
    "UnitLine",
    "audited_register",
    "is_register_url",
    "kind_named",
    "kind_of_url",
    "register_url",
]
