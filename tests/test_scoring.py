"""Scoring in the shape of 国办秘函〔2019〕19号, per indicator, from the default point table."""

from dataclasses import dataclass
from datetime import date

import pytest

from audit.config import ConfigError, load_settings
from audit.judging.scoring import FAIL, PASS, indicator_for, score
from rules import registered_rules
from rules.base import Finding, Severity
from rules.snapshot import LinkView, PageView, SiteSnapshot

TABLE = load_settings().scoring
TITLES = {spec.id: spec.title for spec in registered_rules()}
INDICATORS = {ind.key: ind for ind in TABLE.indicators}


@dataclass(frozen=True)
class Row:
    rule: str
    severity: str
    indicator: str | None


def rows(rule: str, indicator: str | None, n: int, severity: str = "扣分") -> list[Row]:
    return [Row(rule, severity, indicator)] * n


def line(result, key):
    return next(item for item in result.lines if item.indicator.key == key)


def test_every_value_is_marked_confirmed_or_assumed():
    assert TABLE.full_marks.value == 100 and TABLE.full_marks.confirmed
    assert TABLE.pass_mark.value == 60 and TABLE.pass_mark.confirmed
    for indicator in TABLE.indicators:
        assert indicator.per_item.status in ("confirmed", "assumed")
        assert indicator.points.status in ("confirmed", "assumed")


def test_no_findings_is_full_marks():
    result = score([], TABLE, TITLES)
    assert result.verdict == PASS and result.points == 100 and not result.vetoed


@pytest.mark.parametrize(
    "key, rule",
    [
        ("home_links", "link.broken"),
        ("other_links", "link.broken"),
        ("column_update", "catalog.blank_node"),
        ("required_columns", "column.missing"),
        ("interpretation", "interpretation.missing"),
        ("labels", "label.missing"),
        ("privacy", "privacy.phone"),
        ("attachments", "normative.no_download"),
        ("normative_metadata", "normative.metadata_missing"),
        ("wording", "text.wrong_expression"),
    ],
)
def test_each_indicator_deducts_per_item_up_to_its_points(key, rule):
    indicator = INDICATORS[key]
    one = score(rows(rule, key, 1), TABLE, TITLES)
    assert line(one, key).deducted == pytest.approx(indicator.per_item.value)
    assert one.points == pytest.approx(100 - indicator.per_item.value)
    many = int(indicator.points.value / indicator.per_item.value) + 5
    capped = score(rows(rule, key, many), TABLE, TITLES)
    assert line(capped, key).deducted == indicator.points.value and line(capped, key).capped
    assert capped.points == pytest.approx(100 - indicator.points.value)
    # Other indicators are untouched.
    assert all(item.deducted == 0 for item in capped.lines if item.indicator.key != key)


def test_indicator_without_a_rule_is_reported_unchecked():
    result = score([], TABLE, TITLES)
    has_rule = {
        key: any(rule.startswith(pattern.rstrip("*")) for rule in TITLES for pattern in ind.rules)
        for key, ind in INDICATORS.items()
    }
    for item in result.lines:
        assert item.checked == has_rule[item.indicator.key]


def test_veto_fails_and_stops_scoring():
    result = score(rows("label.not_public", None, 1, "单项否决") + rows("label.missing", "labels", 3), TABLE, TITLES)
    assert result.verdict == FAIL and result.points is None
    assert result.vetoes == (TITLES["label.not_public"],)


def test_five_blank_columns_are_a_veto():
    four = score(rows("column.empty", "column_update", 4), TABLE, TITLES)
    five = score(rows("column.empty", "column_update", 5), TABLE, TITLES)
    assert not four.vetoed and four.verdict == PASS
    assert five.vetoed and five.verdict == FAIL and "空白栏目" in five.vetoes[0]


def test_below_pass_mark_fails():
    findings = (
        rows("column.missing", "required_columns", 5)
        + rows("column.stale", "column_update", 4)
        + rows("privacy.phone", "privacy", 5)
        + rows("label.missing", "labels", 5)
    )
    result = score(findings, TABLE, TITLES)
    assert result.points == pytest.approx(100 - 20 - 8 - 10 - 5)  # 57
    assert result.verdict == FAIL and not result.vetoed


def test_hints_and_unmapped_rules_do_not_deduct():
    result = score(rows("column.due_soon", None, 9, "提示") + rows("some.new_rule", None, 2), TABLE, TITLES)
    assert result.points == 100
    assert result.unscored_rules == ("some.new_rule",)


def test_point_table_is_configurable(tmp_path):
    config = tmp_path / "points.yaml"
    config.write_text("scoring:\n  indicators:\n    labels:\n      per_item: {value: 3, status: confirmed}\n", "utf-8")
    table = load_settings(config).scoring
    labels = next(ind for ind in table.indicators if ind.key == "labels")
    assert labels.per_item.value == 3 and labels.per_item.confirmed
    assert score(rows("label.missing", "labels", 1), table, TITLES).points == 97
    bad = tmp_path / "bad.yaml"
    bad.write_text("scoring:\n  pass_mark: {value: 60, status: maybe}\n", "utf-8")
    with pytest.raises(ConfigError):
        load_settings(bad)


class _Links:
    def __init__(self, links):
        self.links = links

    def links_to(self, url):
        return [link for link in self.links if link.to_url == url]


def _page(url):
    return PageView(url, None, 200, None, "text/html", "t", None, None, None, (), False, False)


def test_broken_links_split_by_home_page():
    home, inner = "http://h/", "http://h/a.html"
    site = SiteSnapshot(
        site_url=home,
        as_of=date(2022, 10, 15),
        scope=None,
        config=load_settings(),
        pages={home: _page(home), inner: _page(inner)},
        content=_Links(
            [LinkView(home, "http://h/dead1", "x", "a", True), LinkView(inner, "http://h/dead2", "y", "a", True)]
        ),
    )
    on_home = Finding("link.broken", "http://h/dead1", None, Severity.DEDUCT, "m", "e")
    elsewhere = Finding("link.broken", "http://h/dead2", None, Severity.DEDUCT, "m", "e")
    assert indicator_for(on_home, site, TABLE) == "home_links"
    assert indicator_for(elsewhere, site, TABLE) == "other_links"
    veto = Finding("label.not_public", inner, None, Severity.VETO, "m", "e")
    assert indicator_for(veto, site, TABLE) is None
