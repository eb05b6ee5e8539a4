"""Each rule's verdict on each audited column — 合格 / 不合格 / 未检查 / 未能完整检查 / 不适用 — and on
the site as a whole.

未检查 means the run could not judge, and the note says why: the rule needs pages the run did not
read (a one-column check judges the site's home page only in a full audit, and the 解读 rules only
when it found the 政策解读 column), the home page did not answer, the column was not found or is on
another host (its pages were not crawled), none of its pages answered, or (栏目不更新) none of its
items carries a date. 未能完整检查: a rule that needs the whole list (needs_whole_list) found no
problem in what was read, but a list of the column was read short of what it declares. 不适用
means the rule does not look at that column at all (基本目录空白节点 on the 规范性文件库), so the
column neither passes nor fails it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from crawler.vocabulary.columns import ColumnSpec, Evidence
from rules.base import RuleSpec, Subject
from rules.documents import NORMATIVE_COLUMN
from rules.settings import Settings
from rules.snapshot import SiteSnapshot

PASS = "合格"
FAIL = "不合格"
UNCHECKED = "未检查"
INCOMPLETE = "未能完整检查"
NOT_APPLICABLE = "不适用"
# Rules about 规范性文件 and their 解读 judge the documents of the 规范性文件库 only.
_NORMATIVE_RULES = ("normative.", "interpretation.")


def applies(spec: RuleSpec, column: str, config: Settings) -> bool:
    """Whether the rule judges the column: a rule set to one column (its `column` setting) judges
    that one only; the 规范性文件 rules judge the 规范性文件库; every other rule judges every column."""
    own = getattr(config.options(spec.options), "column", None)
    if own is not None:
        return own == column
    if spec.id.startswith(_NORMATIVE_RULES):
        return column == NORMATIVE_COLUMN
    return True


# Why a rule whose evidence the run did not read is 未检查.
_UNREAD = {
    Evidence.SITE: "全站检查项，单栏目检查不检查",
    Evidence.INTERPRETATIONS: "未找到网站的政策解读栏目，无法确认文件有无解读",
}
_HOME_FAILED = "首页无法访问"
# What a one-column check does with a rule that needs more than the audited pages (`govaudit rules`).
COLUMN_CHECK = {
    Evidence.SITE: "单栏目检查：不检查（全站检查项）",
    Evidence.INTERPRETATIONS: "单栏目检查：另读取网站的政策解读栏目；找不到该栏目时不检查",
}


@dataclass(frozen=True)
class VerdictRow:
    rule: RuleSpec
    verdicts: tuple[str, ...]  # one per entry of VerdictTable.scopes
    notes: tuple[str, ...] = ()  # why, for each 未检查 ("" otherwise)


@dataclass(frozen=True)
class VerdictTable:
    scopes: tuple[str, ...]  # column names, or 全站
    rows: tuple[VerdictRow, ...]

    def verdict(self, rule_id: str, scope: str) -> str:
        return self._row(rule_id).verdicts[self.scopes.index(scope)]

    def note(self, rule_id: str, scope: str) -> str:
        return self._row(rule_id).notes[self.scopes.index(scope)]

    def _row(self, rule_id: str) -> VerdictRow:
        for row in self.rows:
            if row.rule.id == rule_id:
                return row
        raise KeyError(rule_id)


@dataclass(frozen=True)
class _ColumnFacts:
    """What the run saw of one audited column, as far as verdicts depend on it."""

    found: bool
    on_site: bool
    answered: bool
    dated: bool
    # A list of the column was read short of what it declares (a coverage gap).
    gaps: bool = False
    # Whole-list rules that what was read already passes (see _settled_by_what_was_read).
    settled: frozenset[str] = frozenset()


def _facts(site: SiteSnapshot, column: ColumnSpec) -> _ColumnFacts:
    entry = site.column_index(column.key)
    on_site = entry is not None and entry.on_site
    members = {url for url, _ in site.members.get(column.key, ())}
    answered = any(site.pages[url].fetched_ok for url in members if url in site.pages)
    dated = on_site and site.newest(site.column_items(column.key)) is not None
    settled = _settled_by_what_was_read(site, column) if on_site else frozenset()
    return _ColumnFacts(entry is not None, on_site, answered, dated, bool(site.list_gaps(column.key)), settled)


def _settled_by_what_was_read(site: SiteSnapshot, column: ColumnSpec) -> frozenset[str]:
    """Whole-list rules that part of a list already passes: a column with items is not empty,
    and one with a fresh item is not stale, whatever the unread pages hold."""
    items = site.column_items(column.key)
    settled = {"column.empty"} if items else set()
    newest = site.newest(items)
    if newest is not None and newest[1] >= site.as_of - timedelta(days=column.stale_days):
        settled.add("column.stale")
    return frozenset(settled)


def _column_verdict(
    site: SiteSnapshot, spec: RuleSpec, facts: _ColumnFacts, failed: bool, home_ok: bool, column: str
) -> tuple[str, str]:
    if failed:
        return FAIL, ""
    if not applies(spec, column, site.config):
        return NOT_APPLICABLE, ""
    if not site.reads(spec.needs):
        return UNCHECKED, _UNREAD[spec.needs]
    if not home_ok:
        return UNCHECKED, _HOME_FAILED
    if spec.id == "column.missing":
        if not facts.found and site.unread_near_home(site.config.crawl.max_clicks):
            return INCOMPLETE, "首页附近的页面未能全部读取（达到抓取上限等），无法确认栏目是否存在"
        platforms = [] if facts.found else site.offsite_platforms_near_home(site.config.crawl.max_clicks)
        if platforms:
            return INCOMPLETE, (
                f"首页链接的政府信息公开平台位于其他网站（{platforms[0]}），未抓取，无法确认栏目是否存在；"
                "如属本网站，请在配置 crawl.site_hosts 中加入其主机名"
            )
        return PASS, ""
    if not facts.found:
        return UNCHECKED, "未找到该栏目"
    if not facts.on_site:
        return UNCHECKED, "栏目位于其他网站，未抓取"
    if not facts.answered:
        return UNCHECKED, "栏目页面均无法打开"
    if spec.needs_whole_list and facts.gaps and spec.id not in facts.settled:
        return INCOMPLETE, "栏目列表未能完整读取，见列表读取情况"
    if spec.id == "column.stale" and not facts.dated:
        return UNCHECKED, "栏目信息均无日期"
    return PASS, ""


def _site_verdict(site: SiteSnapshot, spec: RuleSpec, failed: bool, home_ok: bool) -> tuple[str, str]:
    if failed:
        return FAIL, ""
    if not site.reads(spec.needs):
        return UNCHECKED, _UNREAD[spec.needs]
    if spec.id != "site.unreachable" and not home_ok:
        return UNCHECKED, _HOME_FAILED
    return PASS, ""


def _is_site_rule(spec: RuleSpec) -> bool:
    """A rule about the portal as a whole: the site.* rules, and any rule that needs the whole site."""
    return spec.id.startswith("site.") or spec.needs == Evidence.SITE


def verdict_table(site: SiteSnapshot, findings, specs: list[RuleSpec]) -> tuple[VerdictTable, VerdictTable]:
    """Verdicts of the column rules per column, and of the rules about the whole portal on the site."""
    failed = {(f.rule, f.column) for f in findings}
    failed_rules = {f.rule for f in findings}
    chain = site.home_chain()
    home_ok = bool(chain) and chain[-1].fetched_ok
    specs = [spec for spec in specs if spec.subject is not Subject.REGISTER]
    site_rules = [spec for spec in specs if _is_site_rule(spec)]
    column_rules = [spec for spec in specs if not _is_site_rule(spec)]
    columns = list(site.audited_columns())
    cells = [
        [
            _column_verdict(site, spec, _facts(site, column), (spec.id, column.key) in failed, home_ok, column.key)
            for column in columns
        ]
        for spec in column_rules
    ]
    columns_table = VerdictTable(
        tuple(column.name for column in columns),
        tuple(
            VerdictRow(spec, tuple(v for v, _ in row), tuple(n for _, n in row))
            for spec, row in zip(column_rules, cells)
        ),
    )
    site_cells = [_site_verdict(site, spec, spec.id in failed_rules, home_ok) for spec in site_rules]
    site_table = VerdictTable(
        ("全站",), tuple(VerdictRow(spec, (verdict,), (note,)) for spec, (verdict, note) in zip(site_rules, site_cells))
    )
    return columns_table, site_table


def rule_table(columns_table: VerdictTable, site_table: VerdictTable) -> VerdictTable:
    """Every rule's verdict for a one-column check: the column's, and the site's for the site.* rules
    (the home page the column is reached from)."""
    (scope,) = columns_table.scopes
    return VerdictTable((scope,), columns_table.rows + site_table.rows)
