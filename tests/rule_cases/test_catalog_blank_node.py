"""catalog.blank_node: a 基本目录 node holds items or explains why it has none."""


def test_fires_for_nodes_with_nothing_and_no_note(content_audit):
    # 规划计划 says 暂无信息; 统计信息 shows an empty list and no notice.
    assert content_audit.paths("catalog.blank_node") == {
        "/xxgk/jbml/ghjh/",
        "/xxgk/jbml/kong/",
        "/xxgk/jbml/czxx/",
        "/xxgk/jbml/rsxx/zp/",
    }
    for finding in content_audit.of("catalog.blank_node"):
        assert finding["column"] == "jbml" and finding["severity"] == "扣分"
    [ghjh] = [f for f in content_audit.of("catalog.blank_node") if f["url"].endswith("/ghjh/")]
    assert "规划计划" in ghjh["message"] and "暂无信息" in ghjh["evidence"]


def test_quiet_for_nodes_with_items_notes_or_an_article(content_audit):
    fired = content_audit.paths("catalog.blank_node")
    # 机构职能 lists an item; 重大建设项目 has 备注：…; 自然灾害 says 本县不涉及此项职能;
    # 机构设置 is a dated article; the 基本目录 index and other columns' empty sub-columns are no nodes.
    for quiet in (
        "/xxgk/jbml/jgzn/",
        "/xxgk/jbml/zdxm/",
        "/xxgk/jbml/zrzh/",
        "/xxgk/jbml/jgsz.html",
        "/xxgk/jbml/",
        "/xxgk/ggqsy/wsjk/",
    ):
        assert quiet not in fired


def test_note_phrases_are_configurable(content_configured_audit):
    # Without note phrases, 本县不涉及此项职能 no longer explains; 备注： still does.
    assert content_configured_audit.paths("catalog.blank_node") == {
        "/xxgk/jbml/ghjh/",
        "/xxgk/jbml/kong/",
        "/xxgk/jbml/zrzh/",
        "/xxgk/jbml/czxx/",
        "/xxgk/jbml/rsxx/zp/",
    }


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


def test_a_node_whose_list_was_read_short_is_not_judged(tmp_path):
    """统计公报 declares 5 records, embeds none, and its jpage POST is refused (the static server
    answers 405): a coverage gap the bulletin names; the node is not judged blank. 规划计划, blank,
    still fires."""
    from portal_kit import audit_pages, list_page, page

    tree = (
        '<ul class="tree"><li><a href="/jbml/jgzn/">机构职能</a></li><li><a href="/jbml/ghjh/">规划计划</a></li>'
        '<li><a href="/jbml/tjgb/">统计公报</a></li></ul>'
    )
    jpage = (
        '<div id="77"><script type="text/xml"><datastore><recordset></recordset></datastore></script>'
        "<script>$('#77').jpage({proxyUrl:'/module/web/jpage/dataproxy.jsp',perPage:15,groupSize:3,"
        "totalRecord:5,ajaxParam:{columnid:77,unitid:'77'}});</script></div>"
    )
    result = audit_pages(
        tmp_path,
        {
            "/index.html": page("测试县人民政府", '<a href="/jbml/">基本目录</a>'),
            "/jbml/": page("政府信息公开基本目录", tree),
            "/jbml/jgzn/": list_page("机构职能", [("测试县人民政府办公室主要职责", "/jbml/jgzn/1.html", "2022-09-01")]),
            "/jbml/jgzn/1.html": page("测试县人民政府办公室主要职责", "<p>职责。</p>"),
            "/jbml/ghjh/": page("规划计划", '<ul class="list"></ul><div class="no-data">暂无信息</div>'),
            "/jbml/tjgb/": page("统计公报", jpage),
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.paths("catalog.blank_node") == {"/jbml/ghjh/"}
    # The list coverage is in the office's technical file (the distributed body keeps to the problems).
    bulletin = (result.out_dir / "technical.html").read_text("utf-8")
    coverage = bulletin[bulletin.index("列表读取情况") : bulletin.index("各项检查在各栏目的结论")]
    assert "/jbml/tjgb/" in coverage and "列表声明5条，读到0条：第2页无法读取（HTTP 405）" in coverage


def test_explanations_in_the_offices_own_words_are_notes(tmp_path):
    """行政处罚 says the unit has no such duty; 财政预决算 says it is published on another platform
    and links there: both explain the empty node. 规划计划 shows only the CMS's 暂无信息: it fires."""
    from portal_kit import audit_pages, list_page, page

    tree = (
        '<ul class="tree"><li><a href="/jbml/jgzn/">机构职能</a></li><li><a href="/jbml/ghjh/">规划计划</a></li>'
        '<li><a href="/jbml/xzcf/">行政处罚</a></li><li><a href="/jbml/czyjs/">财政预决算</a></li></ul>'
    )
    result = audit_pages(
        tmp_path,
        {
            "/index.html": page("测试县人民政府", '<a href="/jbml/">基本目录</a>'),
            "/jbml/": page("政府信息公开基本目录", tree),
            "/jbml/jgzn/": list_page("机构职能", [("测试县人民政府办公室主要职责", "/jbml/jgzn/1.html", "2022-09-01")]),
            "/jbml/jgzn/1.html": page("测试县人民政府办公室主要职责", "<p>职责。</p>"),
            "/jbml/ghjh/": page("规划计划", '<ul class="list"></ul><div class="no-data">暂无信息</div>'),
            "/jbml/xzcf/": page("行政处罚", '<ul class="list"></ul><p>本单位无行政处罚职能，故无此类信息。</p>'),
            "/jbml/czyjs/": page(
                "财政预决算",
                '<ul class="list"></ul><p>该栏目信息统一在县财政预决算公开平台集中发布，'
                '<a href="http://czyjs.example.invalid/">请点击前往查看</a>。</p>',
            ),
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.paths("catalog.blank_node") == {"/jbml/ghjh/"}
