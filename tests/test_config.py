"""The config file is checked against the known sections and the options each rule declares:
a wrong key or value is one line naming it (exit 2 through the CLI, see tests/test_cli.py)."""

import pytest

from audit.config import ConfigError, load_settings
from rules import registered_rules
from rules.column.due_soon import Options as DueSoon
from rules.entity.sector_missing import Options as Sectors
from rules.interpretation.missing import Options as Missing
from rules.policy import interpretation_options
from rules.text.wrong_expression import Options as Wording


def _load(tmp_path, text: str):
    path = tmp_path / "govaudit.yaml"
    path.write_text(text, encoding="utf-8")
    return load_settings(path)


@pytest.mark.parametrize(
    "settings, words",
    [
        (
            "rules:\n  normative.no_download:\n    extensions: pdf\n",
            ["wrong type", "rules.normative.no_download.extensions"],
        ),
        ("rules:\n  label.missing:\n    column: gfxwj\n", ["unknown config key: rules.label.missing.column"]),
        ("rules:\n  interpretation.unlinked:\n    max_related: 0\n", ["rules.interpretation.unlinked.max_related"]),
        ("crawl:\n  max_click: 4\n", ["unknown config key: crawl.max_click", "did you mean: max_clicks"]),
        ("crawl:\n  obey_robots: maybe\n", ["wrong type", "crawl.obey_robots"]),
        ("site:\n  stale_days: two weeks\n", ["wrong type", "site.stale_days"]),
        (
            "columns:\n  zdxm: {name: 重大建设项目, anchors: [重大建设项目]}\n",
            ["missing config key: columns.zdxm.stale_days"],
        ),
        ("columns:\n  zcjd: {supplies: everything}\n", ["wrong type", "columns.zcjd.supplies"]),
        (
            "columns:\n  lqhm: {stale_dyas: 90}\n",
            ["unknown config key: columns.lqhm.stale_dyas", "did you mean: stale_days"],
        ),
        (
            "rules:\n  text.wrong_expression:\n    extra:\n      - {wrong: 旧名称}\n",
            ["missing config key: rules.text.wrong_expression.extra[0].right"],
        ),
        # A misspelt key is named rather than the key it leaves missing.
        (
            "rules:\n  text.wrong_expression:\n    extra:\n      - {wrong: 旧名称, rihgt: 新名称}\n",
            ["unknown config key: rules.text.wrong_expression.extra[0].rihgt", "did you mean: right"],
        ),
        (
            "rules:\n  text.wrong_expression:\n    extra:\n      - {wrong: 旧名称, right: ' '}\n",
            ["rules.text.wrong_expression.extra[0].right"],
        ),
        (
            "rules:\n  text.wrong_expression:\n    extra: {wrong: 旧名称, right: 新名称}\n",
            ["rules.text.wrong_expression.extra"],
        ),
        (
            "rules:\n  text.wrong_expression:\n    extra:\n      - {wrong: 旧名称, right: 新名称, since: '2019-13-01'}\n",
            ["wrong type", "rules.text.wrong_expression.extra[0].since"],
        ),
        (
            "rules:\n  text.wrong_expression:\n    extra:\n      - {wrong: 旧名称, right: 新名称, since: 2019-13-01}\n",
            ["not valid YAML", "month must be in 1..12"],
        ),
        # The reporting sections are checked with the rest, and every scoring pattern against the rules.
        (
            "scoring:\n  indicators:\n    privacy:\n      rules: [privacy.*, privcy.phone]\n",
            ["no rule matches scoring.indicators.privacy.rules: 'privcy.phone'", "did you mean: privacy.phone"],
        ),
        (
            "scoring:\n  indicators:\n    new:\n      {name: 新, rules: [attachment.*], per_item: {value: 1}, points: {value: 5}}\n",
            ["scoring.indicators.new.rules: 'attachment.*'"],
        ),
        ("scoring:\n  veto_counts:\n    site.stael: {count: 1}\n", ["scoring.veto_counts.site.stael"]),
        ("scoring:\n  pass_mark: {value: 60, status: maybe}\n", ["scoring.pass_mark.status"]),
        ("scoring:\n  indicators:\n    labels: {where: top}\n", ["scoring.indicators.labels.where"]),
        ("bulletin:\n  deadline_working_days: {单项否决: 5, 严重: 3}\n", ["bulletin.deadline_working_days", "严重"]),
        ("bulletin:\n  holidays: [2022-10-32]\n", ["not valid YAML"]),
        ("bulletin:\n  holidays: ['2022-10-32']\n", ["bulletin.holidays"]),
        ("units:\n  colums: {}\n", ["unknown config key: units.colums", "did you mean: columns"]),
    ],
)
def test_a_bad_setting_is_one_line_naming_the_key(tmp_path, settings, words):
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, settings)
    message = str(caught.value)
    assert "\n" not in message and "govaudit.yaml" in message
    for word in words:
        assert word in message


def test_the_defaults_are_valid_and_every_rule_takes_its_declared_defaults():
    config = load_settings()
    assert config.rule_settings == {}
    for spec in registered_rules():
        assert config.options(spec.options) == spec.options()
    assert config.options(DueSoon).warn_days == 14


def test_valid_settings_are_typed(tmp_path):
    config = _load(
        tmp_path,
        """
rules:
  column.due_soon: {warn_days: '7'}
  entity.sector_missing:
    sectors: {教育: [学校], 殡葬: ~}
  text.wrong_expression:
    extra:
      - {wrong: ' 县文体局 ', right: 县文化和旅游局, since: 2019-04-01}
    ignore: [再接再励]
  page.meta_missing:
""",
    )
    assert config.options(DueSoon).warn_days == 7
    assert config.options(Sectors).sectors == {"教育": ("学校",), "殡葬": ("殡葬",)}
    [entry] = config.options(Wording).extra
    assert entry.wrong == "县文体局" and entry.since.isoformat() == "2019-04-01"


def test_a_list_of_sectors_names_each_sector_by_itself(tmp_path):
    config = _load(tmp_path, "rules:\n  entity.sector_missing:\n    sectors: [教育, 2023]\n")
    assert config.options(Sectors).sectors == {"教育": ("教育",), "2023": ("2023",)}


@pytest.mark.parametrize(
    "settings, expected",
    [
        ("", (("解读",), 3)),
        ("interpretation.unlinked: {title_words: [解读, 答记者问]}", (("解读", "答记者问"), 3)),
        ("interpretation.missing: {max_related: 5}\n  interpretation.unlinked: {max_related: 4}", (("解读",), 5)),
    ],
)
def test_the_interpretation_rules_share_their_options(tmp_path, settings, expected):
    config = _load(tmp_path, f"rules:\n  {settings}\n" if settings else "")
    options = interpretation_options(config)
    assert (options.title_words, options.max_related) == expected
    assert isinstance(config.options(Missing), Missing)


def test_the_fingerprint_follows_the_effective_settings(tmp_path):
    default = load_settings().fingerprint
    assert _load(tmp_path, "rules:\n  column.due_soon: {warn_days: 14}\n").fingerprint == default
    assert _load(tmp_path, "rules:\n  column.due_soon: {warn_days: 7}\n").fingerprint != default


def test_scoring_patterns_that_match_a_rule_load(tmp_path):
    # Traps for the pattern check: a shell pattern, a family pattern and an exact id all match.
    settings = _load(
        tmp_path,
        "scoring:\n  indicators:\n    privacy:\n      rules: ['privacy.*', 'link.*', 'site.stale']\n"
        "  veto_counts:\n    link.broken: {count: 3}\n",
    )
    indicator = next(ind for ind in settings.scoring.indicators if ind.key == "privacy")
    assert indicator.rules == ("privacy.*", "link.*", "site.stale")
    assert [veto.rule for veto in settings.scoring.veto_counts] == ["column.empty", "column.stale", "link.broken"]
    assert settings.scoring.veto_counts[-1].name == "link.broken"  # no name given: the rule id


def test_the_defaults_live_in_defaults_yaml_only():
    # No Python field of the crawl, site, bulletin or top level carries a default of its own.
    from crawler.vocabulary.columns import CrawlLimits
    from rules.settings import BulletinSettings, DocxFonts, Settings, Site

    for model in (CrawlLimits, Site, BulletinSettings, DocxFonts):
        assert all(field.is_required() for field in model.model_fields.values()), model
    assert [name for name, field in Settings.model_fields.items() if not field.is_required()] == [
        "rule_settings",
        "fingerprint",
    ]  # filled by the loader, not read from YAML


def test_settings_are_frozen_and_one_tree():
    from pydantic import ValidationError

    settings = load_settings()
    assert settings.bulletin.deadline_days("扣分") == 10 and settings.units.site == "县政府办公室"
    assert [spec.key for spec in settings.columns][:2] == ["lqhm", "jbml"]
    with pytest.raises(ValidationError):
        settings.crawl.timeout = 1


def test_one_deadline_for_every_severity(tmp_path):
    settings = _load(tmp_path, "bulletin:\n  deadline_working_days: 7\n")
    assert settings.bulletin.deadline_working_days == {"单项否决": 7, "扣分": 7, "提示": 7}


def test_a_command_reads_its_config_once(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import audit.config
    from audit.cli import main

    reads = []
    real = audit.config._raw
    monkeypatch.setattr(audit.config, "_raw", lambda path=None: reads.append(path) or real(path))
    config = tmp_path / "govaudit.yaml"
    config.write_text("bulletin:\n  issuer: 测试县人民政府办公室\n", encoding="utf-8")
    done = CliRunner().invoke(main, ["history", "--db", f"sqlite:///{tmp_path / 'a.db'}", "--config", str(config)])
    assert done.exit_code == 0, done.output
    assert reads == [str(config)]


def test_defaults_yaml_is_read_once_per_process(tmp_path):
    # The help texts (audit.cli.options) and the command's settings share one reading of defaults.yaml.
    import audit.cli.options  # noqa: F401  (reads the defaults for its help texts)
    import audit.config

    audit.config._defaults.cache_clear()
    first, second = load_settings(), load_settings()
    assert audit.config._defaults.cache_info().misses == 1 and first == second
    # Each load gets its own copy: one command's merge never leaks into the next.
    _load(tmp_path, "site:\n  stale_days: 3\n")
    assert load_settings().site.stale_days == 14
