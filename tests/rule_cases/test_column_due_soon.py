"""column.due_soon (提示): a column that becomes stale within 14 days of as-of is warned of, through
the crawl of the shared portals; the window's edges are in-memory cases (cases/column.due_soon.yaml)."""


def test_fires_six_days_before_the_column_goes_stale(content_audit):
    [finding] = content_audit.of("column.due_soon")
    assert finding["url"] == content_audit.base_url + "zt/lqhm/" and finding["column"] == "lqhm"
    assert finding["severity"] == "提示"
    assert "2022-04-20" in finding["message"] and "2022-10-21" in finding["message"] and "还剩6天" in finding["message"]


def test_quiet_for_stale_and_fresh_columns(content_audit, column_audit):
    # jbml is already stale (column.stale); gfxwj and ggqsy are fresh.
    assert "jbml" in {f["column"] for f in content_audit.of("column.stale")}
    assert {f["column"] for f in content_audit.of("column.due_soon")} == {"lqhm"}
    # Undated items give no verdict (zcjd in the column portal).
    assert "zcjd" not in {f["column"] for f in column_audit.of("column.due_soon")}


def test_warn_days_is_configurable(content_configured_audit):
    assert content_configured_audit.of("column.due_soon") == []
