"""entity.sector_missing: the 公共企事业单位 专栏 covers every required sector."""


def test_fires_once_on_the_column_naming_every_missing_sector(content_audit):
    [finding] = content_audit.of("entity.sector_missing")
    assert finding["url"] == content_audit.base_url + "xxgk/ggqsy/" and finding["column"] == "ggqsy"
    assert "环境保护、公共交通" in finding["message"]
    assert "教育" in finding["evidence"] and "燃气" in finding["evidence"]


def test_quiet_for_sectors_found_by_alias_or_entry(content_audit):
    [finding] = content_audit.of("entity.sector_missing")
    missing = finding["message"].split("：")[1]
    # 燃气 covers 供气; the entries 供电公司… and 自来水公司… cover 供电 and 供水.
    for covered in ("教育", "卫生健康", "供气", "供电", "供水"):
        assert covered not in missing


def test_the_sector_list_is_configurable(content_configured_audit):
    [finding] = content_configured_audit.of("entity.sector_missing")
    assert "殡葬" in finding["message"] and "公共交通" not in finding["message"]


def test_quiet_when_the_column_is_missing(label_audit):
    # The label portal has no 公共企事业单位 专栏 at all: that is column.missing, not this rule.
    assert label_audit.of("entity.sector_missing") == []
