from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

import ahocorasick
import jieba
import yaml

from rules.settings import ConfigError
from rules.base import Problem, Severity, rule

RULE_ID = "text.wrong_expression"
# A leading level character belongs to the place name before it: 马关县 + 国土资源局.
_LEVELS = frozenset("省市州县区")
# Words that make an obsolete name a historical reference: 原县国土资源局.
_FORMER = frozenset({"原", "前"})
_CONTEXT_CHARS = 12
_MAX_EVIDENCE = 5


@dataclass(frozen=True)
class Expression:
    wrong: str
    right: str
    since: date | None
    kind: str


@rule(id=RULE_ID, title="错误或过时表述", severity=Severity.DEDUCT,
      clause="国办秘函〔2019〕19号 内容正确性（严重错别字、机构名称等错误表述）；《党政机关公文处理工作条例》")
def check(site, config):
    """Checks page text against a dictionary of wrong expressions (rules/data/wrong_expressions.yaml):
    some 400 common 错别字 of government writing (再接再励→再接再厉, 中华人民共合国, 攻府) and the
    names of bodies abolished or renamed by the 2018 reform at national, provincial, city and
    county level (国家工商行政管理总局, 县国土资源局, 县环境保护局, 县农业局 …), each with its
    correct form and the date from which it is wrong. One finding per page, listing every hit.
    Options: `extra` — entries to add ({wrong, right, since, kind}); `ignore` — wrong forms to drop;
    `words` — correct words that contain a wrong expression (环境保护部门), added to the dictionary's.

    Why: a 严重错别字 in a government page is a 普查 deduction, and an abolished body's name tells
    the public to go to an office that no longer exists.

    Fires: a 2022 news page with 要再接再励 or 马关县环境保护局; a page whose footer says 县农业局
    fires on the home page (text shared with the home page is judged there, as of the audit date).

    Quiet: 原县国土资源局 (a historical reference); a page published in 2017 that names the 县国土资源局;
    既使得群众满意 (既使 inside 既/使得: a match cutting a word is not a hit); 农业部门; a page
    with no date for a dated entry (no verdict rather than a guess).
    """
    matcher = _matcher(_entries(config), _words(config))
    home = site.home
    home_lines = set(site.text_of(home.url).splitlines()) if home is not None else set()
    for page in site.audited_pages():
        if not page.fetched_ok or not page.is_html:
            continue
        is_home = home is not None and page.url == home.url
        when = site.as_of if is_home else page.publish_date
        lines = site.text_of(page.url).splitlines()
        if not is_home:
            lines = [line for line in lines if line not in home_lines]
        hits = [hit for line in dict.fromkeys(lines) for hit in matcher.find(line)
                if hit[0].since is None or (when is not None and when >= hit[0].since)]
        if not hits:
            continue
        found = list(dict.fromkeys(f"「{expr.wrong}」应为「{expr.right}」" for expr, _ in hits))
        evidence = "；".join(context for _, context in hits[:_MAX_EVIDENCE])
        yield Problem(page.url, f"页面存在错误或过时表述：{'；'.join(found)}，请核实更正", evidence,
                      site.column_of(page.url))


class Matcher:
    """Finds dictionary expressions in a line: literal matches that do not cut a word in two."""

    def __init__(self, expressions: tuple[Expression, ...], words: tuple[str, ...]):
        self._by_wrong = {expr.wrong: expr for expr in expressions}
        # Aho-Corasick finds every dictionary entry in one pass over a line, overlaps included
        # (a regex alternation of hundreds of entries tried at every position was 90 % of the rule).
        self._automaton = ahocorasick.Automaton()
        for wrong in self._by_wrong:
            self._automaton.add_word(wrong, wrong)
        if self._by_wrong:
            self._automaton.make_automaton()
        self._tokenizer = jieba.Tokenizer()
        jieba.setLogLevel(logging.WARNING)
        for word in (*self._by_wrong, *words):
            self._tokenizer.add_word(word)

    def _candidates(self, line: str) -> list[tuple[int, str]]:
        """Every start position in the line with the longest expression starting there."""
        longest: dict[int, str] = {}
        for end, wrong in self._automaton.iter(line):
            start = end - len(wrong) + 1
            if len(wrong) > len(longest.get(start, "")):
                longest[start] = wrong
        return sorted(longest.items())

    def find(self, line: str) -> list[tuple[Expression, str]]:
        if not self._by_wrong:
            return []
        candidates = self._candidates(line)
        if not candidates:
            return []
        tokens = [(start, end) for _, start, end in self._tokenizer.tokenize(line, HMM=False)]
        starts = {start: end for start, end in tokens}
        ends = {end: start for start, end in tokens}
        hits = []
        for start, wrong in candidates:
            end = start + len(wrong)
            if end not in ends:
                continue
            level = wrong[0] in _LEVELS and len(wrong) > 2
            if start not in starts and not (level and start + 1 in starts):
                continue
            if self._former(line, start, level, tokens):
                continue
            context = line[max(0, start - _CONTEXT_CHARS):end + _CONTEXT_CHARS]
            hits.append((self._by_wrong[wrong], f"「{wrong}」：…{context}…"))
        return hits

    @staticmethod
    def _former(line: str, start: int, level: bool, tokens: list[tuple[int, int]]) -> bool:
        """Whether 原 stands right before the match, or before the place name its level follows."""
        before = [(s, e) for s, e in tokens if e <= start or (level and s < start < e)]
        if not before:
            return False
        if line[before[-1][0]:before[-1][1]] in _FORMER:
            return True
        return level and len(before) > 1 and line[before[-2][0]:before[-2][1]] in _FORMER


def _entries(config) -> tuple[Expression, ...]:
    extra = config.rule_option(RULE_ID, "extra", []) or []
    ignore = {str(w) for w in (config.rule_option(RULE_ID, "ignore", []) or [])}
    if not isinstance(extra, list):
        raise ConfigError(f"rules.{RULE_ID}.extra 必须是列表 / must be a list of entries")
    merged = {expr.wrong: expr for expr in (*_dictionary()[0], *(_expression(raw, "config") for raw in extra))}
    return tuple(expr for wrong, expr in merged.items() if wrong not in ignore)


def _words(config) -> tuple[str, ...]:
    extra = config.rule_option(RULE_ID, "words", []) or []
    return tuple(dict.fromkeys((*_dictionary()[1], *(str(word) for word in extra))))


@lru_cache(maxsize=1)
def _dictionary() -> tuple[tuple[Expression, ...], tuple[str, ...]]:
    """The shipped entries and the correct words that contain one of them."""
    data = yaml.safe_load(resources.files("rules").joinpath("data/wrong_expressions.yaml").read_text("utf-8"))
    entries = tuple(_expression(raw, "wrong_expressions.yaml") for raw in data["entries"])
    return entries, tuple(str(word) for word in data.get("words") or ())


def _expression(raw, origin: str) -> Expression:
    if not isinstance(raw, dict) or not raw.get("wrong") or not raw.get("right"):
        raise ConfigError(f"{origin}: 词条须有 wrong 和 right / an entry needs wrong and right: {raw!r}")
    since = raw.get("since")
    if since is not None and not isinstance(since, date):
        try:
            since = date.fromisoformat(str(since))
        except ValueError as exc:
            raise ConfigError(f"{origin}: since 须为 YYYY-MM-DD / since must be YYYY-MM-DD: {raw!r}") from exc
    return Expression(str(raw["wrong"]).strip(), str(raw["right"]).strip(), since, str(raw.get("kind", "")))


@lru_cache(maxsize=4)
def _matcher(expressions: tuple[Expression, ...], words: tuple[str, ...]) -> Matcher:
    return Matcher(expressions, words)
