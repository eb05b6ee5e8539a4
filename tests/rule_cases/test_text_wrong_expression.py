"""text.wrong_expression: known wrong or obsolete expressions, from the date they became wrong."""
from types import SimpleNamespace

import pytest

from rules.text.wrong_expression import _dictionary, _entries, _matcher, _words

DEFAULTS = SimpleNamespace(rule_option=lambda rule_id, name, default=None: default)


def test_fires_once_per_page_listing_every_hit(content_audit):
    assert content_audit.paths("text.wrong_expression") == {"/", "/news/typo.html"}
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
    by_path = {f["url"][len(content_configured_audit.base_url) - 1:]: f
               for f in content_configured_audit.of("text.wrong_expression")}
    assert "「县文体局」应为「县文化和旅游局」" in by_path["/news/former.html"]["message"]
    assert "再接再励" not in by_path["/news/typo.html"]["message"]


@pytest.mark.parametrize("line, found", [
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
])
def test_segmentation(line, found):
    matcher = _matcher(_entries(DEFAULTS), _words(DEFAULTS))
    assert [expression.wrong for expression, _ in matcher.find(line)] == found


def test_the_shipped_dictionary_is_real_and_well_formed():
    entries, words = _dictionary()
    wrongs = [entry.wrong for entry in entries]
    assert len(wrongs) == len(set(wrongs)) and len(entries) >= 500
    typos = [entry for entry in entries if entry.kind == "错别字"]
    assert len(typos) >= 300 and all(entry.since is None for entry in typos)
    dated = {entry.wrong: entry for entry in entries if entry.since is not None}
    for name in ("国家工商行政管理总局", "国家质量监督检验检疫总局", "国家卫生和计划生育委员会",
                 "县国土资源局", "县环境保护局", "县农业局"):
        assert name in dated and dated[name].right and dated[name].right != name
    assert all(entry.wrong != entry.right for entry in entries) and "环境保护部门" in words
