"""catalog.blank_node: a 基本目录 node holds items or explains why it has none."""


def test_fires_for_nodes_with_nothing_and_no_note(content_audit):
    # 规划计划 says 暂无信息; 统计信息 shows an empty list and no notice.
    assert content_audit.paths("catalog.blank_node") == {"/xxgk/jbml/ghjh/", "/xxgk/jbml/kong/", "/xxgk/jbml/czxx/",
                                                          "/xxgk/jbml/rsxx/zp/"}
    for finding in content_audit.of("catalog.blank_node"):
        assert finding["column"] == "jbml" and finding["severity"] == "扣分"
    [ghjh] = [f for f in content_audit.of("catalog.blank_node") if f["url"].endswith("/ghjh/")]
    assert "规划计划" in ghjh["message"] and "暂无信息" in ghjh["evidence"]


def test_quiet_for_nodes_with_items_notes_or_an_article(content_audit):
    fired = content_audit.paths("catalog.blank_node")
    # 机构职能 lists an item; 重大建设项目 has 备注：…; 自然灾害 says 本县不涉及此项职能;
    # 机构设置 is a dated article; the 基本目录 index and other columns' empty sub-columns are no nodes.
    for quiet in ("/xxgk/jbml/jgzn/", "/xxgk/jbml/zdxm/", "/xxgk/jbml/zrzh/", "/xxgk/jbml/jgsz.html",
                  "/xxgk/jbml/", "/xxgk/ggqsy/wsjk/"):
        assert quiet not in fired


def test_note_phrases_are_configurable(content_configured_audit):
    # Without note phrases, 本县不涉及此项职能 no longer explains; 备注： still does.
    assert content_configured_audit.paths("catalog.blank_node") == {"/xxgk/jbml/ghjh/", "/xxgk/jbml/kong/",
                                                                     "/xxgk/jbml/zrzh/", "/xxgk/jbml/czxx/",
                                                                     "/xxgk/jbml/rsxx/zp/"}


def test_a_blank_branch_is_reported_once_as_the_branch(content_audit):
    # 财政信息 lists two nodes, 财政预算 and 财政决算, both empty: one finding, on the branch.
    [branch] = [f for f in content_audit.of("catalog.blank_node") if f["url"].endswith("/czxx/")]
    assert "财政信息" in branch["message"] and "2个子节点" in branch["message"]
    assert "财政预算" in branch["evidence"] and "财政决算" in branch["evidence"]
    for child in ("/xxgk/jbml/czxx/ys/", "/xxgk/jbml/czxx/js/"):
        assert child not in content_audit.paths("catalog.blank_node")


def test_a_branch_with_a_filled_node_reports_only_its_empty_node(content_audit):
    # 人事信息: 人事任免 lists an item, 招考录用 says 暂无信息: only 招考录用 is reported.
    fired = content_audit.paths("catalog.blank_node")
    assert "/xxgk/jbml/rsxx/zp/" in fired
    assert "/xxgk/jbml/rsxx/" not in fired and "/xxgk/jbml/rsxx/rm/" not in fired
