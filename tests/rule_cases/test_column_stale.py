"""column.stale: the newest item of a column must be within its stale_days of as-of, through the crawl
of the shared portal; the threshold's edges are in-memory cases (cases/column.stale.yaml)."""


def test_fires_for_normative_documents_209_days_old(column_audit):
    stale = {f["column"]: f for f in column_audit.of("column.stale")}
    assert set(stale) == {"gfxwj"}
    assert stale["gfxwj"]["url"] == column_audit.base_url + "xxgk/gfxwj/"
    assert "2022-03-20" in stale["gfxwj"]["message"] and "209天" in stale["gfxwj"]["message"]
    assert stale["gfxwj"]["evidence"] == "2022-03-20 测试县城市道路管理办法；点击路径：首页 › 政府信息公开 › 规范性文件"


def test_quiet_when_a_pinned_old_row_comes_first_and_the_newest_is_on_page_two(column_audit):
    assert "lqhm" not in {f["column"] for f in column_audit.of("column.stale")}


def test_quiet_when_the_newest_item_sits_in_a_sub_column(column_audit):
    assert "jbml" not in {f["column"] for f in column_audit.of("column.stale")}


def test_no_verdict_for_undated_items(column_audit):
    # zcjd (from the test config, 30-day threshold) lists items with no date anywhere.
    assert "zcjd" not in {f["column"] for f in column_audit.of("column.stale")}
    assert "zcjd" not in {f["column"] for f in column_audit.of("column.empty")}
