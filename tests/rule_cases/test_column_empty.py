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
