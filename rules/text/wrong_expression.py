from __future__ import annotations

import atexit
import hashlib
import json
import logging
import os
import re
import shutil
import stat
import tempfile
from bisect import bisect_right
from collections import ChainMap
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import metadata, resources
from math import log
from pathlib import Path
from typing import Annotated

from ahocorasick_rs import AhoCorasick, MatchKind
from pydantic import Field, StringConstraints

from crawler.reading.safe_yaml import load_yaml
from rules.base import Problem, RuleOptions, Severity, Subject, rule
from rules.settings import ConfigError

# A leading level character belongs to the place name before it: 马关县 + 国土资源局.
_LEVELS = frozenset("省市州县区")
# Words that make an obsolete name a historical reference: 原县国土资源局.
_FORMER = frozenset({"原", "前"})
_CONTEXT_CHARS = 12
_MAX_EVIDENCE = 5
PHRASE_KIND = "固定表述"
_MIN_PHRASE_CHARS = 4
# A replaced character that makes a word this common (jieba's count) with its neighbours may be
# ordinary text, not a typo (人民之上: 之上 3503), so that replacement is not looked for.
_COMMON_WORD_FREQ = 100
_WORD_SPAN = 4  # the longest word looked up around a replaced character
_OPEN_QUOTES, _CLOSE_QUOTES = "「“‘《\"'", "」”’》\"'"


@dataclass(frozen=True, slots=True)  # some 37k of them, the fixed phrases' misspellings
class Expression:
    wrong: str
    right: str
    since: date | None
    kind: str


_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Entry(RuleOptions):
    """A dictionary entry a user adds in the config, in the shape of rules/data/wrong_expressions.yaml."""

    wrong: _Text
    right: _Text
    since: date | None = None
    kind: str = ""


class Options(RuleOptions):
    extra: tuple[Entry, ...] = Field(
        (),
        description="增补到 rules/data/wrong_expressions.yaml 的词条，如 "
        "{wrong: 县文体局, right: 县文化和旅游局, since: '2019-04-01', kind: 机构名称}",
    )
    ignore: tuple[str, ...] = Field((), description="不检查的自带词典错误写法")
    words: tuple[str, ...] = Field(
        (),
        description="含有错误写法的正确词语（如 环境保护部门），其中的匹配不报告",
    )


@rule(
    id="text.wrong_expression",
    title="错误或过时表述",
    severity=Severity.DEDUCT,
    subject=Subject.PAGE,
    summary=(
        "严重错别字、机构改革前的旧名称（按词典中的生效日期，页面早于该日期不报）；"
        "词典 `rules/data/wrong_expressions.yaml` 可在配置中增补；"
        "另有约 500 条固定政治、行政表述和公文惯用语（`rules/data/fixed_phrases.yaml`：艰苦奋斗、实事求是、两个维护……），"
        "其中任一字被同音字（拼音相同，不计声调）或形近字替换即报告，如「实是求是」应为「实事求是」，"
        '词典未收录的也能发现；替换后成为常用词的（如"凌驾于人民之上"）、真实词语（以仁为本）、'
        "引号中与正确写法并列说明的不报"
    ),
    clause="国办秘函〔2019〕19号 内容正确性（严重错别字、机构名称等错误表述）；《党政机关公文处理工作条例》",
    options=Options,
)
def check(site, config):
    """Checks page text against a dictionary of wrong expressions (rules/data/wrong_expressions.yaml):
    some 400 common 错别字 of government writing (再接再励→再接再厉, 中华人民共合国, 攻府) and the
    names of bodies abolished or renamed by the 2018 reform at national, provincial, city and
    county level (国家工商行政管理总局, 县国土资源局, 县环境保护局, 县农业局 …), each with its
    correct form and the date from which it is wrong. Beyond the dictionary, some 500 fixed phrases
    of government writing (rules/data/fixed_phrases.yaml: 艰苦奋斗, 一以贯之, 实事求是, 两个维护 …)
    are matched with any one character replaced by a homophone (pypinyin, tones ignored) or a
    look-alike (形近字 table), so an unlisted 实是求是 is reported as 「实是求是」应为「实事求是」.
    One finding per page, listing every hit.
    Options: `extra` — entries to add ({wrong, right, since, kind}); `ignore` — wrong forms to drop;
    `words` — correct words that contain a wrong expression (环境保护部门), added to the dictionary's.

    Why: a 严重错别字 in a government page is a 普查 deduction, and an abolished body's name tells
    the public to go to an office that no longer exists.

    Fires: a 2022 news page with 要再接再励 or 马关县环境保护局; a page whose footer says 县农业局
    fires on the home page (text shared with the home page is judged there, as of the audit date);
    要坚持实是求是, 做到两个维户, 打好污染防治功坚战 (no dictionary entry: misspelt fixed phrases);
    发扬“实是求是”的作风 (a quoted misspelling with no correction beside it is still one).

    Quiet: 原县国土资源局 (a historical reference); a page published in 2017 that names the 县国土资源局;
    既使得群众满意 (既使 inside 既/使得: a match cutting a word is not a hit); 农业部门; a page
    with no date for a dated entry (no verdict rather than a guess); 凌驾于人民之上 (之上 is a word
    of its own, not a misspelt 人民至上); 落实事求实效 (实事求实 would cut 落实 and 实效); 坚持以仁为本
    (a real phrase, listed under words); 工作艰苦。奋斗… (no phrase across punctuation); a page that
    quotes a misspelling beside its correct form to explain it (「实是求是」应为「实事求是」).
    """
    options = config.options(Options)
    words = _words(options)
    matcher = _matcher(_entries(options, words), words)
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
        hits = [
            hit
            for line in dict.fromkeys(lines)
            for hit in matcher.find(line)
            if hit[0].since is None or (when is not None and when >= hit[0].since)
        ]
        if not hits:
            continue
        found = list(dict.fromkeys(f"「{expr.wrong}」应为「{expr.right}」" for expr, _ in hits))
        evidence = "；".join(context for _, context in hits[:_MAX_EVIDENCE])
        yield Problem(
            page.url, f"页面存在错误或过时表述：{'；'.join(found)}，请核实更正", evidence, site.column_of(page.url)
        )


@lru_cache(maxsize=None)
def _cache_dir() -> str:
    """Where jieba keeps its dictionary cache: the user's own cache folder. Its default,
    /tmp/jieba.cache, is one file shared by every user — another user's copy there broke the rule.
    With no usable home (HOME unset, unwritable, not a folder): one folder of this user's in the
    temporary directory, reused by every run (a new one per run left 10 MB behind each time); a
    temporary one, removed at exit, when even that is not safely ours."""
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "govaudit"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if os.access(folder, os.W_OK):
            return str(folder)
    except (OSError, RuntimeError):
        pass
    shared = Path(tempfile.gettempdir()) / f"govaudit-cache-{os.getuid()}"
    try:
        shared.mkdir(mode=0o700, exist_ok=True)
        found = shared.lstat()
        if stat.S_ISDIR(found.st_mode) and found.st_uid == os.getuid() and not found.st_mode & 0o077:
            return str(shared)
    except OSError:
        pass
    scratch = tempfile.mkdtemp(prefix="govaudit-jieba-")
    atexit.register(shutil.rmtree, scratch, ignore_errors=True)
    return scratch


class Matcher:
    """Finds dictionary expressions in a line: literal matches that do not cut a word in two."""

    def __init__(self, expressions: tuple[Expression, ...], words: tuple[str, ...]):
        self._by_wrong = {expr.wrong: expr for expr in expressions}
        # Aho-Corasick finds every entry in one pass over a line, overlaps included (a regex
        # alternation of hundreds of entries tried at every position was 90 % of the rule). The
        # Rust automaton keeps that pass fast with tens of thousands of misspelt phrases, where
        # pyahocorasick's trie, scanning each node's branches one by one, made every line 3x slower.
        self._keys = list(self._by_wrong)
        self._automaton = AhoCorasick(self._keys, matchkind=MatchKind.Standard) if self._keys else None
        # Misspelt phrases are not made words: a typo is found where the line's own words end.
        listed = [wrong for wrong, expr in self._by_wrong.items() if expr.kind != PHRASE_KIND]
        self._words = (*listed, *words)
        self._loaded_tokenizer = None

    @property
    def _tokenizer(self):
        """jieba with the dictionary's words, loaded for the first line that holds a candidate
        (its dictionary is some 85 MB; most sites' pages hold none)."""
        if self._loaded_tokenizer is None:
            tokenizer = _tokenizer()
            for word in self._words:
                tokenizer.add_word(word)
            self._loaded_tokenizer = tokenizer
        return self._loaded_tokenizer

    def _candidates(self, line: str) -> list[tuple[int, str]]:
        """Every start position in the line with the longest expression starting there."""
        longest: dict[int, str] = {}
        for index, start, end in self._automaton.find_matches_as_indexes(line, overlapping=True):
            if end - start > len(longest.get(start, "")):
                longest[start] = self._keys[index]
        return sorted(longest.items())

    def find(self, line: str) -> list[tuple[Expression, str]]:
        """Linear in the line's length: each candidate looks up its neighbouring words by position
        (a scan of every word before it made a 160k-character line take minutes)."""
        if not self._by_wrong:
            return []
        candidates = self._candidates(line)
        if not candidates:
            return []
        tokens = _word_spans(line, self._tokenizer)
        starts = {start: end for start, end in tokens}
        ends = {end: start for start, end in tokens}
        token_ends = [end for _, end in tokens]
        in_line: dict[str, bool] = {}
        hits = []
        for start, wrong in candidates:
            end = start + len(wrong)
            if end not in ends:
                continue
            level = wrong[0] in _LEVELS and len(wrong) > 2
            if start not in starts and not (level and start + 1 in starts):
                continue
            if self._former(line, start, level, tokens, token_ends):
                continue
            expression = self._by_wrong[wrong]
            if _quoted_beside_correction(line, start, end, expression.right, in_line):
                continue
            context = line[max(0, start - _CONTEXT_CHARS) : end + _CONTEXT_CHARS]
            hits.append((start, end, expression, f"「{wrong}」：…{context}…"))
        # 营商环竟 inside 优化营商环竟 is the same misspelling: the longer one names it. Hits start at
        # different places, in order: one is inside another that starts before it and ends no sooner.
        kept, reach = [], -1
        for start, end, expression, context in hits:
            if reach < end:
                kept.append((expression, context))
            reach = max(reach, end)
        return kept

    @staticmethod
    def _former(line: str, start: int, level: bool, tokens: list[tuple[int, int]], token_ends: list[int]) -> bool:
        """Whether 原 stands right before the match, or before the place name its level follows.
        The words before the match are those ending by its start, and (for a level) the word it
        starts inside of: found by bisection, as the words follow one another."""
        count = bisect_right(token_ends, start)
        if level and count < len(tokens) and tokens[count][0] < start:
            count += 1
        if not count:
            return False
        last = tokens[count - 1]
        if line[last[0] : last[1]] in _FORMER:
            return True
        return level and count > 1 and line[tokens[count - 2][0] : tokens[count - 2][1]] in _FORMER


def _word_spans(line: str, tokenizer) -> list[tuple[int, int]]:
    """(start, end) of each word of the line, exactly as jieba's tokenize(line, HMM=False) finds them,
    several times faster: jieba looks every fragment up through its ChainMap of added words over
    the loaded dictionary (a Python call per lookup), and cuts a block repeated in the line again
    each time. The steps are jieba's own (jieba/__init__.py: cut, get_DAG, calc,
    __cut_DAG_NO_HMM), with its patterns; tests compare the two on real pages."""
    import jieba

    added, loaded = tokenizer.FREQ.maps if isinstance(tokenizer.FREQ, ChainMap) else ({}, tokenizer.FREQ)
    log_total = log(tokenizer.total)
    cut: dict[str, list[int]] = {}
    spans: list[tuple[int, int]] = []
    position = 0
    for piece in jieba.re_han_default.split(line):
        if not piece:
            continue
        if jieba.re_han_default.match(piece):
            lengths = cut.get(piece)
            if lengths is None:
                lengths = cut[piece] = _block_word_lengths(piece, added, loaded, log_total, jieba.re_eng)
        else:
            # Between blocks: each space (or \r\n) is a word, and so is each other character.
            lengths = []
            for part in jieba.re_skip_default.split(piece):
                lengths.extend([len(part)] if jieba.re_skip_default.match(part) else [1] * len(part))
        for length in lengths:
            spans.append((position, position + length))
            position += length
    return spans


def _block_word_lengths(block: str, added: dict, loaded: dict, log_total: float, english: re.Pattern) -> list[int]:
    """jieba's most probable cut of one block of Han characters, letters and digits (no HMM): the
    lengths of its words, single letters and digits run together as jieba does. A fragment's
    count is the added words' (0 for their prefixes), else the loaded dictionary's."""
    added_get, loaded_get = added.get, loaded.get
    size = len(block)
    graph = []
    for start in range(size):
        ends = []
        index, fragment = start, block[start]
        while index < size:
            found = added_get(fragment)
            if found is None:
                found = loaded_get(fragment)
                if found is None:
                    break
            if found:
                ends.append(index)
            index += 1
            fragment = block[start : index + 1]
        graph.append(ends or [start])
    route: list[tuple[float, int]] = [(0, 0)] * (size + 1)
    for start in range(size - 1, -1, -1):
        best = None
        for end in graph[start]:
            word = block[start : end + 1]
            found = added_get(word)
            if found is None:
                found = loaded_get(word)
            choice = (log(found or 1) - log_total + route[end + 1][0], end)
            if best is None or choice > best:
                best = choice
        route[start] = best
    lengths: list[int] = []
    start, letters = 0, 0
    while start < size:
        stop = route[start][1] + 1
        if stop - start == 1 and english.match(block[start]):
            letters += 1
        else:
            if letters:
                lengths.append(letters)
                letters = 0
            lengths.append(stop - start)
        start = stop
    if letters:
        lengths.append(letters)
    return lengths


def _quoted_beside_correction(line: str, start: int, end: int, right: str, in_line: dict[str, bool]) -> bool:
    """「实是求是」应为「实事求是」: a quoted misspelling with its correct form beside it is an
    explanation (of a typo or of a renamed body). A quoted misspelling alone (发扬“坚苦奋斗”精神) is
    still a misspelling."""
    return (
        0 < start
        and end < len(line)
        and line[start - 1] in _OPEN_QUOTES
        and line[end] in _CLOSE_QUOTES
        and _holds(line, right, in_line)
    )


def _holds(line: str, right: str, in_line: dict[str, bool]) -> bool:
    """Whether the line holds `right`, looked for once per line and form."""
    if right not in in_line:
        in_line[right] = right in line
    return in_line[right]


def _entries(options: Options, words: tuple[str, ...]) -> tuple[Expression, ...]:
    extra = (Expression(entry.wrong, entry.right, entry.since, entry.kind) for entry in options.extra)
    listed = (*_dictionary()[0], *extra)
    # Dictionary entries win over a generated misspelling of the same form.
    merged = {expr.wrong: expr for expr in (*_phrase_variants(frozenset(words)), *listed)}
    return tuple(expr for wrong, expr in merged.items() if wrong not in options.ignore)


def _words(options: Options) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*_dictionary()[1], *_phrase_data()[2], *options.words)))


@lru_cache(maxsize=1)
def _phrase_data() -> tuple[tuple[str, ...], dict[str, frozenset[str]], tuple[str, ...]]:
    """The fixed phrases, each character's look-alikes, and the real words near a phrase."""
    data = _load_data("fixed_phrases.yaml")
    look_alike: dict[str, set[str]] = {}
    for group in data["look_alike"]:
        for char in group:
            look_alike.setdefault(char, set()).update(c for c in group if c != char)
    return (
        tuple(str(p) for p in data["phrases"]),
        {c: frozenset(g) for c, g in look_alike.items()},
        tuple(str(w) for w in data.get("words") or ()),
    )


@lru_cache(maxsize=1)
def _homophones() -> dict[str, frozenset[str]]:
    """Toneless pinyin -> the common characters (GB2312 level 1) read that way by default: the
    characters a pinyin input method offers for what the writer typed."""
    from pypinyin import Style, lazy_pinyin
    from pypinyin.pinyin_dict import pinyin_dict

    common = [chr(code) for code in pinyin_dict if _is_common(chr(code))]
    by_sound: dict[str, set[str]] = {}
    for char, sound in zip(common, lazy_pinyin(common, style=Style.NORMAL)):
        by_sound.setdefault(sound, set()).add(char)
    return {sound: frozenset(chars) for sound, chars in by_sound.items()}


def _is_common(char: str) -> bool:
    try:
        encoded = char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7


@lru_cache(maxsize=4)
def _phrase_variants(words: frozenset[str]) -> tuple[Expression, ...]:
    """Every one-character misspelling of a fixed phrase worth looking for (see fixed_phrases.yaml).
    Worked out once and kept in the cache folder, under a key of everything it depends on: working
    it out loads pypinyin's and jieba's dictionaries (some 140 MB and a second), which an audit
    then does not need."""
    path = Path(_cache_dir()) / f"phrase-variants-{_variants_key(words)}.json"
    try:
        pairs = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        pairs = _worked_out_variants(words)
        _write_cache(path, json.dumps(pairs, ensure_ascii=False))
    return tuple(Expression(variant, phrase, None, PHRASE_KIND) for variant, phrase in pairs)


def _variants_key(words: frozenset[str]) -> str:
    """The variants' inputs: this module (how they are made), the data files, the words, and the
    versions of the dictionaries' libraries."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for name in ("fixed_phrases.yaml", "wrong_expressions.yaml"):
        digest.update(resources.files("rules").joinpath(f"data/{name}").read_bytes())
    digest.update("\n".join(sorted(words)).encode("utf-8"))
    digest.update(f"{metadata.version('pypinyin')} {metadata.version('jieba')}".encode())
    return digest.hexdigest()[:24]


def _write_cache(path: Path, text: str) -> None:
    """Written whole or not at all: audits running side by side may write the same file."""
    try:
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False) as file:
            file.write(text)
        os.replace(file.name, path)
    except OSError:
        return


def _worked_out_variants(words: frozenset[str]) -> list[tuple[str, str]]:
    from pypinyin import Style, lazy_pinyin

    phrases, look_alike, _ = _phrase_data()
    homophones = _homophones()
    freq = _word_frequencies()[0]
    taken = set(phrases) | {expr.wrong for expr in _dictionary()[0]} | words
    found: dict[str, str | None] = {}
    for phrase in phrases:
        if len(phrase) < _MIN_PHRASE_CHARS:
            continue
        for index, sound in enumerate(lazy_pinyin(phrase, style=Style.NORMAL)):
            original = phrase[index]
            for char in (homophones.get(sound, frozenset()) | look_alike.get(original, frozenset())) - {original}:
                variant = phrase[:index] + char + phrase[index + 1 :]
                if variant in taken or _makes_common_word(variant, index, freq):
                    continue
                # Two phrases one character from the same text: which one was meant is unknown.
                found[variant] = phrase if found.get(variant, phrase) == phrase else None
    return [(variant, phrase) for variant, phrase in found.items() if phrase]


def _makes_common_word(text: str, index: int, freq: dict[str, int]) -> bool:
    """Whether the character at index forms a common word with its neighbours in text."""
    return any(
        freq.get(text[start:end], 0) >= _COMMON_WORD_FREQ
        for start in range(max(0, index - _WORD_SPAN + 1), index + 1)
        for end in range(max(index + 1, start + 2), min(len(text), start + _WORD_SPAN) + 1)
    )


@lru_cache(maxsize=1)
def _word_frequencies() -> tuple[dict[str, int], int]:
    """jieba's word counts and their total, loaded once (loading is most of the rule's start-up)."""
    import jieba

    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = _cache_dir()
    jieba.setLogLevel(logging.WARNING)
    tokenizer.initialize()
    return tokenizer.FREQ, tokenizer.total


def _tokenizer():
    """A tokenizer of its own: words added to it go into a layer over the loaded dictionary's
    counts (a copy of them was 20 MB)."""
    import jieba

    freq, total = _word_frequencies()
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = ChainMap({}, freq), total, True
    return tokenizer


@lru_cache(maxsize=1)
def _dictionary() -> tuple[tuple[Expression, ...], tuple[str, ...]]:
    """The shipped entries and the correct words that contain one of them."""
    data = _load_data("wrong_expressions.yaml")
    entries = tuple(_expression(raw, "wrong_expressions.yaml") for raw in data["entries"])
    return entries, tuple(str(word) for word in data.get("words") or ())


def _load_data(name: str):
    return load_yaml(resources.files("rules").joinpath(f"data/{name}").read_text("utf-8"), name)


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
