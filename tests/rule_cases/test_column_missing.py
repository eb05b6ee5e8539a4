"""column.missing: a required column must be reachable from home within 3 clicks, through the crawl of
the shared portal; unnamed, broken and deep columns are in-memory cases (cases/column.missing.yaml)."""

from portal_kit import audit_pages, list_page, page


def test_fires_for_a_column_four_clicks_deep(column_audit):
    missing = {f["column"]: f for f in column_audit.of("column.missing")}
    assert set(missing) == {"xzxk"}
    assert missing["xzxk"]["url"] == column_audit.base_url
    assert "第4层" in missing["xzxk"]["message"]
    assert missing["xzxk"]["evidence"].endswith("/zwfw/xzxk/")


def test_quiet_for_columns_at_one_and_two_clicks_and_for_item_titles(column_audit):
    # lqhm is 1 click away, jbml/gfxwj/ggqsy 2; the home news title naming 行政许可事项清单 is no column.
    assert not {"lqhm", "jbml", "gfxwj", "ggqsy", "zcjd"} & {f["column"] for f in column_audit.of("column.missing")}


def test_quiet_for_a_column_whose_url_holds_chinese_characters_or_a_space(tmp_path):
    # The page is fetched under its percent-encoded URL; the link that named the column was raw. Both
    # spellings are one URL (crawler.vocabulary.urls), so the column is found, not reported missing.
    pages = {
        "/index.html": page(
            "首页",
            '<a href="/xxgk/规范性文件/">规范性文件</a><a href="/xxgk/jb ml/index.html">基本目录</a>'
            '<a href="/xxgk/%e6%94%bf%e7%ad%96%e8%a7%a3%e8%af%bb/">政策解读</a>',
        ),
        "/xxgk/规范性文件/": list_page(
            "规范性文件", [("关于印发某某办法的通知", "/xxgk/规范性文件/1.html", "2022-09-01")]
        ),
        "/xxgk/规范性文件/1.html": page("关于印发某某办法的通知", "<p>内容</p>"),
        "/xxgk/jb ml/": list_page("政府信息公开基本目录", [("机构职能", "/xxgk/jb ml/1.html", "2022-09-01")]),
        "/xxgk/jb ml/1.html": page("机构职能", "<p>内容</p>"),
        "/xxgk/政策解读/": list_page("政策解读", [("解读某某办法", "/xxgk/政策解读/1.html", "2022-09-01")]),
        "/xxgk/政策解读/1.html": page("解读某某办法", "<p>内容</p>"),
    }
    result = audit_pages(tmp_path, pages)
    assert result.returncode == 0, result.stderr
    missing = {f["column"] for f in result.of("column.missing")}
    assert not {"gfxwj", "jbml", "zcjd"} & missing
    assert not {"gfxwj", "jbml", "zcjd"} & {f["column"] for f in result.of("column.empty")}
    assert not result.of("link.broken")
