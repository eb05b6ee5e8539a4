"""text.wrong_expression: known wrong or obsolete expressions, from the date they became wrong."""

import pytest

from rules.text.wrong_expression import PHRASE_KIND, Options, _dictionary, _entries, _matcher, _phrase_data, _words

DEFAULTS = Options()


def test_fires_once_per_page_listing_every_hit(content_audit):
    assert content_audit.paths("text.wrong_expression") == {"/", "/news/typo.html", "/news/phrases.html"}
    [typo] = [f for f in content_audit.of("text.wrong_expression") if f["url"].endswith("/news/typo.html")]
    assert "「再接再励」应为「再接再厉」" in typo["message"]
    assert "「县环境保护局」应为" in typo["message"] and "生态环境局" in typo["message"]
    assert "马关县环境保护局" in typo["evidence"] and typo["severity"] == "扣分"


def test_text_shared_with_the_home_page_is_judged_there(content_audit):
    # 友情链接：测试县农业局 stands on the home page (judged as of the audit date) and on
    # /news/former.html, where it is not reported again.
    [home] = [f for f in content_audit.of("text.wrong_expression") if f["url"] == content_audit.base_url]
    assert "「县农业局」应为「县农业农村局」" in home["message"]


def test_quiet_for_history_old_pages_undated_pages_and_words_containing_a_match(content_audit):
    fired = content_audit.paths("text.wrong_expression")
    # 原县国土资源局; a 2017 page naming 县国土资源局; an undated page naming 县农业局;
    # 既使得 / 按排名 / 农业部门 in the same page as real hits do not add to them.
    for quiet in ("/news/former.html", "/news/old.html", "/news/nodate.html"):
        assert quiet not in fired
    [typo] = [f for f in content_audit.of("text.wrong_expression") if f["url"].endswith("/news/typo.html")]
    assert "既使" not in typo["message"] and "按排" not in typo["message"] and "农业部" not in typo["message"]


def test_user_entries_and_ignored_entries(content_configured_audit):
    by_path = {
        f["url"][len(content_configured_audit.base_url) - 1 :]: f
        for f in content_configured_audit.of("text.wrong_expression")
    }
    assert "「县文体局」应为「县文化和旅游局」" in by_path["/news/former.html"]["message"]
    assert "再接再励" not in by_path["/news/typo.html"]["message"]


@pytest.mark.parametrize(
    "line, found",
    [
        ("马关县国土资源局负责土地审批", ["县国土资源局"]),
        ("麻栗坡县环境保护局", ["县环境保护局"]),
        ("文山州国土资源局", ["州国土资源局"]),
        ("云南省国土资源厅", ["省国土资源厅"]),
        ("中华人民共合国宪法", ["中华人民共合国"]),
        ("马关县人民攻府", ["攻府"]),
        ("原则上县农业局应当参加", ["县农业局"]),
        ("原马关县国土资源局", []),
        ("原国家工商行政管理总局", []),
        ("按排名先后", []),
        ("把它当做为民服务的大事", []),
        ("既使得群众满意又", []),
        ("环境保护部门要加强监管", []),
        ("县农业农村局", []),
        ("国家市场监督管理总局", []),
        ("常见错误：「再接再励」应为「再接再厉」", []),  # quoted beside its correct form: an explanation
        ("发扬“再接再励”的精神", ["再接再励"]),  # quoted alone: still a misspelling
    ],
)
def test_segmentation(line, found):
    assert [expression.wrong for expression, _ in _default_matcher().find(line)] == found


def _default_matcher():
    words = _words(DEFAULTS)
    return _matcher(_entries(DEFAULTS, words), words)


def test_unlisted_misspellings_of_fixed_phrases_are_found(content_audit):
    [page] = [f for f in content_audit.of("text.wrong_expression") if f["url"].endswith("/news/phrases.html")]
    for wrong, right in (
        ("实是求是", "实事求是"),
        ("两个维户", "两个维护"),
        ("持而不息", "驰而不息"),
        ("污染防治功坚战", "污染防治攻坚战"),
        ("严于律已", "严于律己"),
    ):
        assert f"「{wrong}」应为「{right}」" in page["message"]
    assert "「实是求是」：" in page["evidence"]
    # The traps on the same page: 凌驾于人民之上, 以仁为本, 艰苦。奋斗, the explained 「凝心聚利」.
    for quiet in ("人民之上", "以仁为本", "凝心聚利", "艰苦"):
        assert quiet not in page["message"]


@pytest.mark.parametrize(
    "line, found",
    [
        # Homophones (pinyin, tones ignored) and look-alikes of listed phrases; none is in the dictionary.
        ("要坚持实是求是的思想路线", [("实是求是", "实事求是")]),
        ("做到两个维户", [("两个维户", "两个维护")]),
        ("打好污染防治功坚战", [("污染防治功坚战", "污染防治攻坚战")]),
        ("扎实做好防汛抗汗工作", [("防汛抗汗", "防汛抗旱")]),
        ("优化营商环竟", [("优化营商环竟", "优化营商环境")]),  # the longer phrase names it, once
        ("领导干部要严于律已", [("严于律已", "严于律己")]),  # 已 for 己: a look-alike
        ("发扬“实是求是”的作风", [("实是求是", "实事求是")]),  # quoted alone: still a misspelling
        # Traps: real words one character away, words across the match's edges, punctuation, explanations.
        ("决不允许凌驾于人民之上", []),  # 之上 is a word: 人民之上 is not looked for
        ("坚持以仁为本的理念", []),  # listed under words
        ("要发奋图强", []),  # an accepted form
        ("抓落实事求实效", []),  # 实事求实 would cut 落实 and 实效
        ("条件很艰苦。奋斗者不惧", []),
        ("常见错误：「实是求是」应为「实事求是」", []),  # quoted beside its correct form: an explanation
        ("坚持实事求是、一以贯之、凝心聚力、久久为功、守正创新", []),
    ],
)
def test_misspelt_fixed_phrases(line, found):
    hits = [(e.wrong, e.right) for e, _ in _default_matcher().find(line) if e.kind == PHRASE_KIND]
    assert hits == found


def test_the_phrase_list_is_real_and_well_formed():
    phrases, look_alike, words = _phrase_data()
    assert len(phrases) >= 300 and len(set(phrases)) == len(phrases) and all(len(p) >= 4 for p in phrases)
    for phrase in ("艰苦奋斗", "一以贯之", "实事求是", "全心全意为人民服务", "两个维护"):
        assert phrase in phrases
    assert "已" in look_alike["己"] and "以仁为本" in words


def test_the_shipped_dictionary_is_real_and_well_formed():
    entries, words = _dictionary()
    wrongs = [entry.wrong for entry in entries]
    assert len(wrongs) == len(set(wrongs)) and len(entries) >= 500
    typos = [entry for entry in entries if entry.kind == "错别字"]
    assert len(typos) >= 300 and all(entry.since is None for entry in typos)
    dated = {entry.wrong: entry for entry in entries if entry.since is not None}
    for name in (
        "国家工商行政管理总局",
        "国家质量监督检验检疫总局",
        "国家卫生和计划生育委员会",
        "县国土资源局",
        "县环境保护局",
        "县农业局",
    ):
        assert name in dated and dated[name].right and dated[name].right != name
    assert all(entry.wrong != entry.right for entry in entries) and "环境保护部门" in words


# -- one long line: linear in its length ------------------------------------------------------------

_NEAR_MISSES = (
    "原县国土资源局",
    "原马关县农业局",
    "抓落实事求实效",
    "既使得群众满意",
    "按排名先后",
    "凌驾于人民之上",
    "环境保护部门",
    "坚持以仁为本",
    "常见错误：「实是求是」应为「实事求是」",
    "条件很艰苦。奋斗者不惧",
)


def _near_miss_line(length: int, seed: int, punctuated: bool) -> str:
    """A line of traps the rule must look at and let go, drawn at random so that no block of it repeats
    the one before (jieba's cut of a block is reused within a line)."""
    import random

    draw = random.Random(seed)
    pieces, size = [], 0
    while size < length:
        piece = draw.choice(_NEAR_MISSES) + (draw.choice("，、；") if punctuated else "")
        pieces.append(piece)
        size += len(piece)
    return "".join(pieces)[:length]


def _judge_seconds(text: str) -> float:
    """CPU seconds (not wall clock: the machine may be busy) the rule takes over one page holding `text`."""
    import time

    from memory import build_site

    from rules import registered_rules

    [spec] = [spec for spec in registered_rules() if spec.id == "text.wrong_expression"]
    site = build_site(
        {
            "pages": {
                "/": {"title": "首页", "text": "首页"},
                "/news/1.html": {"title": "长文", "date": "2022-10-10", "text": text},
            }
        }
    )
    started = time.process_time()
    findings = list(spec.findings(site, site.config))
    spent = time.process_time() - started
    assert findings == []  # every phrase of the line is a trap
    return spent


@pytest.mark.parametrize("punctuated", [True, False], ids=["phrases", "one-block"])
def test_a_long_line_of_near_misses_is_judged_in_linear_time(punctuated):
    """Issue 27 item 14: 20k characters took 7 s and 160k 166 s (a scan of every word before each
    candidate). Eight times the text now costs about eight times the time, not sixty-four."""
    _judge_seconds(_near_miss_line(2_000, 0, punctuated))  # the dictionary and the tokenizer loaded
    short = min(_judge_seconds(_near_miss_line(20_000, seed, punctuated)) for seed in (1, 2))
    long = _judge_seconds(_near_miss_line(160_000, 3, punctuated))
    assert long / max(short, 0.01) < 20, (short, long)


def test_words_are_cut_as_jieba_cuts_them():
    """The rule's own cut (two dict lookups a fragment) is jieba's tokenize(line, HMM=False), word for
    word: on the traps and hits above, on mixed scripts, spaces, \\r\\n and single letters."""
    import random

    from rules.text.wrong_expression import _word_spans

    matcher = _default_matcher()
    tokenizer = matcher._tokenizer
    draw = random.Random(5)
    alphabet = "原县国土资源局农业落实事求是实效既使得群众满意马关环境保护部门再接再励 ab1C2\t,，。、-_.%#&+  \r\n"
    lines = [
        *_NEAR_MISSES,
        _near_miss_line(3_000, 9, True),
        _near_miss_line(3_000, 9, False),
        *("".join(draw.choice(alphabet) for _ in range(draw.randint(1, 120))) for _ in range(500)),
    ]
    for line in lines:
        assert _word_spans(line, tokenizer) == [(start, end) for _, start, end in tokenizer.tokenize(line, HMM=False)]
