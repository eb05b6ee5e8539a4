"""The config file is checked against the known sections and the options each rule declares:
a wrong key or value is one line naming it (exit 2 through the CLI, see tests/test_cli.py)."""
import pytest

from audit.config import ConfigError, load_config
from rules import registered_rules
from rules.column.due_soon import Options as DueSoon
from rules.entity.sector_missing import Options as Sectors
from rules.interpretation.missing import Options as Missing
from rules.policy import interpretation_options
from rules.text.wrong_expression import Options as Wording


def _load(tmp_path, text: str):
    path = tmp_path / "govaudit.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


@pytest.mark.parametrize("settings, words", [
    ("rules:\n  normative.no_download:\n    extensions: pdf\n", ["wrong type", "rules.normative.no_download.extensions"]),
    ("rules:\n  label.missing:\n    column: gfxwj\n", ["unknown config key: rules.label.missing.column"]),
    ("rules:\n  interpretation.unlinked:\n    max_related: 0\n", ["rules.interpretation.unlinked.max_related"]),
    ("crawl:\n  max_click: 4\n", ["unknown config key: crawl.max_click", "did you mean: max_clicks"]),
    ("crawl:\n  obey_robots: maybe\n", ["wrong type", "crawl.obey_robots"]),
    ("site:\n  stale_days: two weeks\n", ["wrong type", "site.stale_days"]),
    ("columns:\n  zdxm: {name: 重大建设项目, anchors: [重大建设项目]}\n", ["missing config key: columns.zdxm.stale_days"]),
    ("columns:\n  zcjd: {supplies: everything}\n", ["wrong type", "columns.zcjd.supplies"]),
    ("columns:\n  lqhm: {stale_dyas: 90}\n", ["unknown config key: columns.lqhm.stale_dyas", "did you mean: stale_days"]),
    ("rules:\n  text.wrong_expression:\n    extra:\n      - {wrong: 旧名称}\n",
     ["missing config key: rules.text.wrong_expression.extra[0].right"]),
    # A misspelt key is named rather than the key it leaves missing.
    ("rules:\n  text.wrong_expression:\n    extra:\n      - {wrong: 旧名称, rihgt: 新名称}\n",
     ["unknown config key: rules.text.wrong_expression.extra[0].rihgt", "did you mean: right"]),
    ("rules:\n  text.wrong_expression:\n    extra:\n      - {wrong: 旧名称, right: ' '}\n",
     ["rules.text.wrong_expression.extra[0].right"]),
    ("rules:\n  text.wrong_expression:\n    extra: {wrong: 旧名称, right: 新名称}\n", ["rules.text.wrong_expression.extra"]),
    ("rules:\n  text.wrong_expression:\n    extra:\n      - {wrong: 旧名称, right: 新名称, since: '2019-13-01'}\n",
     ["wrong type", "rules.text.wrong_expression.extra[0].since"]),
    ("rules:\n  text.wrong_expression:\n    extra:\n      - {wrong: 旧名称, right: 新名称, since: 2019-13-01}\n",
     ["not valid YAML", "month must be in 1..12"]),
])
def test_a_bad_setting_is_one_line_naming_the_key(tmp_path, settings, words):
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, settings)
    message = str(caught.value)
    assert "\n" not in message and "govaudit.yaml" in message
    for word in words:
        assert word in message


def test_the_defaults_are_valid_and_every_rule_takes_its_declared_defaults():
    config = load_config()
    assert config.rule_settings == {}
    for spec in registered_rules():
        assert config.options(spec.options) == spec.options()
    assert config.options(DueSoon).warn_days == 14


def test_valid_settings_are_typed(tmp_path):
    config = _load(tmp_path, """
rules:
  column.due_soon: {warn_days: '7'}
  entity.sector_missing:
    sectors: {教育: [学校], 殡葬: ~}
  text.wrong_expression:
    extra:
      - {wrong: ' 县文体局 ', right: 县文化和旅游局, since: 2019-04-01}
    ignore: [再接再励]
  page.meta_missing:
""")
    assert config.options(DueSoon).warn_days == 7
    assert config.options(Sectors).sectors == {"教育": ("学校",), "殡葬": ("殡葬",)}
    [entry] = config.options(Wording).extra
    assert entry.wrong == "县文体局" and entry.since.isoformat() == "2019-04-01"


def test_a_list_of_sectors_names_each_sector_by_itself(tmp_path):
    config = _load(tmp_path, "rules:\n  entity.sector_missing:\n    sectors: [教育, 2023]\n")
    assert config.options(Sectors).sectors == {"教育": ("教育",), "2023": ("2023",)}


@pytest.mark.parametrize("settings, expected", [
    ("", (("解读",), 3)),
    ("interpretation.unlinked: {title_words: [解读, 答记者问]}", (("解读", "答记者问"), 3)),
    ("interpretation.missing: {max_related: 5}\n  interpretation.unlinked: {max_related: 4}", (("解读",), 5)),
])
def test_the_interpretation_rules_share_their_options(tmp_path, settings, expected):
    config = _load(tmp_path, f"rules:\n  {settings}\n" if settings else "")
    options = interpretation_options(config)
    assert (options.title_words, options.max_related) == expected
    assert isinstance(config.options(Missing), Missing)


def test_the_fingerprint_follows_the_effective_settings(tmp_path):
    default = load_config().fingerprint
    assert _load(tmp_path, "rules:\n  column.due_soon: {warn_days: 14}\n").fingerprint == default
    assert _load(tmp_path, "rules:\n  column.due_soon: {warn_days: 7}\n").fingerprint != default
