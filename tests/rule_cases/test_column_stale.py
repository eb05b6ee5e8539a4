"""column.stale: the newest item of a column must be within its stale_days of as-of."""
from portals import COLUMN_PORTAL
from portal_kit import audit_pages


def test_fires_for_normative_documents_209_days_old(column_audit):
    stale = {f["column"]: f for f in column_audit.of("column.stale")}
    assert set(stale) == {"gfxwj"}
    assert stale["gfxwj"]["url"] == column_audit.base_url + "xxgk/gfxwj/"
    assert "2022-03-20" in stale["gfxwj"]["message"] and "209天" in stale["gfxwj"]["message"]
    assert stale["gfxwj"]["evidence"] == "2022-03-20 测试县城市道路管理办法"


def test_quiet_when_a_pinned_old_row_comes_first_and_the_newest_is_on_page_two(column_audit):
    assert "lqhm" not in {f["column"] for f in column_audit.of("column.stale")}


def test_quiet_when_the_newest_item_sits_in_a_sub_column(column_audit):
    assert "jbml" not in {f["column"] for f in column_audit.of("column.stale")}


def test_no_verdict_for_undated_items(column_audit):
    # zcjd (from the test config, 30-day threshold) lists items with no date anywhere.
    assert "zcjd" not in {f["column"] for f in column_audit.of("column.stale")}
    assert "zcjd" not in {f["column"] for f in column_audit.of("column.empty")}


def test_threshold_is_exactly_stale_days_after_the_newest_item(tmp_path):
    # lqhm's newest item is 2022-09-20; 183 days later is 2023-03-22.
    on_the_day = audit_pages(tmp_path / "a", COLUMN_PORTAL, "--column", "lqhm", as_of="2023-03-22")
    assert on_the_day.returncode == 0 and on_the_day.of("column.stale") == []
    day_after = audit_pages(tmp_path / "b", COLUMN_PORTAL, "--column", "lqhm", as_of="2023-03-23")
    [finding] = day_after.of("column.stale")
    assert finding["column"] == "lqhm" and "184天" in finding["message"]
