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
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

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
from rules.settings import UnitMap, unit_key


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


def kind_of_rule(rule_id: str) -> RegisterKind | None:
    """The register kind a rule judges: its family (rules/<kind>/, ids <kind>.<rule>), if a kind."""
    return kind_named(rule_id.partition(".")[0])


@dataclass(frozen=True)
class ImportNote:
    """How a register came in: the file, when it was imported, the kind's fields it had a column for."""

    source: str
    imported_at: datetime
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Registers:
    """The quarter's registers by kind name; a kind the office did not import is absent."""

    imported: Mapping[str, tuple] = field(default_factory=dict)
    notes: Mapping[str, ImportNote] = field(default_factory=dict)

    def judges(self, rule_id: str) -> bool:
        """Whether the registers let a rule judge: a register rule needs its kind imported, with the
        columns it needs (RegisterKind.rule_fields); other rules are not theirs to say."""
        kind = kind_of_rule(rule_id)
        if kind is None:
            return True
        if kind.name not in self.imported:
            return False
        note = self.notes.get(kind.name)
        return note is None or rule_id not in kind.unjudged_rules(note.fields)

    def with_units(self, units: UnitMap) -> Registers:
        """The registers with each row's unit under one name in every section: the configured one
        (UnitMap.canonical: 马关县教育体育局 → 县教育体育局), else, of the spellings the rows give one
        unit the configuration does not know, the shortest (县应急管理局 over 马关县应急管理局)."""
        spellings: dict[str, set[str]] = defaultdict(set)
        for rows in self.imported.values():
            for row in rows:
                spellings[unit_key(row.unit)].add(units.canonical(row.unit))
        one = {key: min(names, key=lambda name: (len(name), name)) for key, names in spellings.items()}
        return Registers(
            {
                kind: tuple(replace(row, unit=one[unit_key(row.unit)]) for row in rows)
                for kind, rows in self.imported.items()
            },
            self.notes,
        )

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
    "ImportNote",
    "RegisterKind",
    "Registers",
    "Summary",
    "UnitLine",
    "audited_register",
    "is_register_url",
    "kind_named",
    "kind_of_rule",
    "kind_of_url",
    "register_url",
]
