"""Each rule's verdict on each audited column — 合格 / 不合格 / 未检查 — and on the site as a whole.

未检查 means the run could not judge: the home page did not answer, the column was not found or is
on another host (its pages were not crawled), none of its pages answered, or (栏目不更新) none of its
items carries a date.
"""
from __future__ import annotations

from dataclasses import dataclass

from rules.base import RuleSpec
from rules.snapshot import SiteSnapshot

PASS = "合格"
FAIL = "不合格"
UNCHECKED = "未检查"


@dataclass(frozen=True)
class VerdictRow:
    rule: RuleSpec
    verdicts: tuple[str, ...]  # one per entry of VerdictTable.scopes


@dataclass(frozen=True)
class VerdictTable:
    scopes: tuple[str, ...]    # column names, or 全站
    rows: tuple[VerdictRow, ...]

    def verdict(self, rule_id: str, scope: str) -> str:
        for row in self.rows:
            if row.rule.id == rule_id:
                return row.verdicts[self.scopes.index(scope)]
        raise KeyError(rule_id)


def verdict_table(site: SiteSnapshot, findings, specs: list[RuleSpec]) -> tuple[VerdictTable, VerdictTable]:
    """Verdicts of the column rules (every rule but site.*) per column, and of the site.* rules on the site."""
    failed = {(f.rule, f.column) for f in findings}
    failed_rules = {f.rule for f in findings}
    chain = site.home_chain()
    home_ok = bool(chain) and chain[-1].fetched_ok
    site_rules = tuple(spec for spec in specs if spec.id.startswith("site."))
    column_rules = tuple(spec for spec in specs if not spec.id.startswith("site."))
    names: list[str] = []
    per_column: list[list[str]] = []
    for column in site.audited_columns():
        entry = site.column_index(column.key)
        on_site = entry is not None and entry.on_site
        members = {url for url, _ in site.members.get(column.key, ())}
        answered = any(site.pages[url].fetched_ok for url in members if url in site.pages)
        dated = site.newest(site.column_items(column.key)) is not None if on_site else False
        verdicts = []
        for spec in column_rules:
            if (spec.id, column.key) in failed:
                verdicts.append(FAIL)
            elif not home_ok:
                verdicts.append(UNCHECKED)
            elif spec.id == "column.missing":
                verdicts.append(PASS)
            elif not on_site or not answered:
                verdicts.append(UNCHECKED)
            elif spec.id == "column.stale" and not dated:
                verdicts.append(UNCHECKED)
            else:
                verdicts.append(PASS)
        names.append(column.name)
        per_column.append(verdicts)
    site_verdicts = []
    for spec in site_rules:
        if spec.id in failed_rules:
            site_verdicts.append(FAIL)
        elif spec.id == "site.unreachable":
            site_verdicts.append(PASS)
        elif not home_ok or site.scope is not None:
            site_verdicts.append(UNCHECKED)
        else:
            site_verdicts.append(PASS)
    columns_table = VerdictTable(tuple(names), tuple(
        VerdictRow(spec, tuple(verdicts[i] for verdicts in per_column)) for i, spec in enumerate(column_rules)))
    site_table = VerdictTable(("全站",), tuple(VerdictRow(spec, (verdict,)) for spec, verdict in zip(site_rules, site_verdicts)))
    return columns_table, site_table
