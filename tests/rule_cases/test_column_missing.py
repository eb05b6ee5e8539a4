"""column.missing: a required column must be reachable from home within 3 clicks."""
from portal_kit import audit_pages, page


def test_fires_for_a_column_four_clicks_deep(column_audit):
    missing = {f["column"]: f for f in column_audit.of("column.missing")}
    assert set(missing) == {"xzxk"}
    assert missing["xzxk"]["url"] == column_audit.base_url
    assert "第4层" in missing["xzxk"]["message"]
    assert missing["xzxk"]["evidence"].endswith("/zwfw/xzxk/")


def test_quiet_for_columns_at_one_and_two_clicks_and_for_item_titles(column_audit):
    # lqhm is 1 click away, jbml/gfxwj/ggqsy 2; the home news title naming 行政许可事项清单 is no column.
    assert not {"lqhm", "jbml", "gfxwj", "ggqsy", "zcjd"} & {f["column"] for f in column_audit.of("column.missing")}


def test_fires_when_no_link_names_the_column_or_its_link_is_broken(tmp_path):
    pages = {
        "/index.html": page("首页", '<a href="/zt/lqhm/">利企惠民政策专区</a><a href="/xxgk/">政府信息公开</a>'),
        "/xxgk/": page("政府信息公开", '<a href="/xxgk/gfxwj/">规范性文件</a>'),
    }
    result = audit_pages(tmp_path, pages, "--column", "gfxwj")
    assert result.returncode == 0
    [finding] = result.of("column.missing")
    assert finding["column"] == "gfxwj" and "无法打开" in finding["message"] and "HTTP 404" in finding["evidence"]

    result = audit_pages(tmp_path / "again", pages, "--column", "jbml")
    [finding] = result.of("column.missing")
    assert finding["column"] == "jbml" and finding["message"] == "未找到「政府信息公开基本目录」栏目"
