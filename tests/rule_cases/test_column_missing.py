"""column.missing: a required column must be reachable from home within 3 clicks, through the crawl of
the shared portal; unnamed, broken and deep columns are in-memory cases (cases/column.missing.yaml)."""


def test_fires_for_a_column_four_clicks_deep(column_audit):
    missing = {f["column"]: f for f in column_audit.of("column.missing")}
    assert set(missing) == {"xzxk"}
    assert missing["xzxk"]["url"] == column_audit.base_url
    assert "第4层" in missing["xzxk"]["message"]
    assert missing["xzxk"]["evidence"].endswith("/zwfw/xzxk/")


def test_quiet_for_columns_at_one_and_two_clicks_and_for_item_titles(column_audit):
    # lqhm is 1 click away, jbml/gfxwj/ggqsy 2; the home news title naming 行政许可事项清单 is no column.
    assert not {"lqhm", "jbml", "gfxwj", "ggqsy", "zcjd"} & {f["column"] for f in column_audit.of("column.missing")}
