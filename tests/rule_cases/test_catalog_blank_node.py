"""catalog.blank_node: a 基本目录 node holds items or explains why it has none."""


def test_fires_for_nodes_with_nothing_and_no_note(content_audit):
    # 规划计划 says 暂无信息; 统计信息 shows an empty list and no notice.
    assert content_audit.paths("catalog.blank_node") == {"/xxgk/jbml/ghjh/", "/xxgk/jbml/kong/"}
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
                                                                     "/xxgk/jbml/zrzh/"}
