"""column.empty: a found column must list something, counting its sub-columns."""


def test_fires_when_every_sector_sub_column_is_empty(column_audit):
    [finding] = column_audit.of("column.empty")
    assert finding["column"] == "ggqsy"
    assert finding["url"] == column_audit.base_url + "xxgk/ggqsy/"
    assert "空白栏目" in finding["message"]
    assert "暂无信息" in finding["evidence"]


def test_quiet_when_one_tree_node_is_empty_but_another_lists_items(column_audit):
    assert "jbml" not in {f["column"] for f in column_audit.of("column.empty")}


def test_quiet_for_a_column_that_was_not_found(column_audit):
    # xzxk is too deep (column.missing); it is not also reported empty.
    assert "xzxk" not in {f["column"] for f in column_audit.of("column.empty")}


def test_quiet_when_the_list_sits_in_an_iframe(tmp_path):
    from portal_kit import audit_pages, list_page, page

    pages = {
        "/index.html": page("首页", '<a href="/xxgk/gfxwj/">规范性文件</a>'),
        "/xxgk/gfxwj/": page("规范性文件", '<iframe src="/xxgk/gfxwj/list.html" width="100%"></iframe>'),
        "/xxgk/gfxwj/list.html": list_page("规范性文件", [
            ("测试县城市道路管理办法", "/xxgk/gfxwj/1001.html", "2022-09-20"),
            ("测试县农村集体资产管理办法", "/xxgk/gfxwj/1002.html", "2022-08-02"),
        ]),
    }
    result = audit_pages(tmp_path, pages, "--column", "gfxwj")
    assert result.of("column.empty") == [] and result.of("column.stale") == []
    assert "条目 2" in result.stdout and "最新 2022-09-20" in result.stdout
