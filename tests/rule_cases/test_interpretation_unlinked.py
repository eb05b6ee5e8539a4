"""interpretation.unlinked: a 解读 and its document link both ways; the side lacking the link is named."""


def test_fires_on_the_side_that_lacks_the_link(content_audit):
    # j3 → g3 but not back (on g3); g5 → j5 but not back (on j5); a department 公文 with a 文号
    # in its title is linked from its 解读 but does not link it (on /bm/1.html, any column).
    assert content_audit.paths("interpretation.unlinked") == {"/xxgk/gfxwj/g3.html", "/xxgk/zcjd/j5.html", "/bm/1.html"}
    by_path = {f["url"][len(content_audit.base_url) - 1 :]: f for f in content_audit.of("interpretation.unlinked")}
    assert by_path["/xxgk/gfxwj/g3.html"]["column"] == "gfxwj"
    assert "《测试县丙办法》政策解读" in by_path["/xxgk/gfxwj/g3.html"]["message"]
    assert by_path["/xxgk/zcjd/j5.html"]["column"] is None
    assert "原文链接" in by_path["/xxgk/zcjd/j5.html"]["message"]
    assert by_path["/xxgk/zcjd/j5.html"]["evidence"].endswith("/xxgk/gfxwj/g5.html 链接了本解读")
    assert by_path["/bm/1.html"]["column"] is None


def test_quiet_for_paired_pages_news_boxes_and_lists(content_audit):
    fired = content_audit.paths("interpretation.unlinked")
    # g1 ⇄ j1 and g7 ⇄ j7; a news page (no 文号) links j1; g9's box of four 解读 pairs nothing;
    # the 政策解读 column page lists every 解读; g6's 解读 is off-site and not fetched.
    for quiet in (
        "/xxgk/gfxwj/g1.html",
        "/xxgk/zcjd/j1.html",
        "/xxgk/zcjd/j7.html",
        "/xxgk/zcjd/j3.html",
        "/xxgk/gfxwj/g9.html",
        "/news/typo.html",
        "/xxgk/zcjd/",
        "/xxgk/gfxwj/g6.html",
        "/bm/jd.html",
    ):
        assert quiet not in fired


def test_a_box_within_max_related_pairs_its_pages(content_configured_audit):
    # With max_related 5, g9's four 解读 links are pairings, and none of the four links back.
    fired = content_configured_audit.paths("interpretation.unlinked")
    assert {"/xxgk/zcjd/j1.html", "/xxgk/zcjd/j3.html", "/xxgk/zcjd/j7.html"} <= fired


def test_a_column_check_reports_the_pages_of_its_column(content_audit, content_column_audit):
    # --column gfxwj reads j3 in the 政策解读 column: g3 lacks its link back there too. j5 and
    # /bm/1.html lie outside the column (only the full audit reports them); j1, listed in the
    # 规范性文件库 as well, is paired with g1.
    assert content_column_audit.paths("interpretation.unlinked") == {"/xxgk/gfxwj/g3.html"}
    [g3] = content_column_audit.of("interpretation.unlinked")
    [same] = [f for f in content_audit.of("interpretation.unlinked") if f["url"].endswith("/xxgk/gfxwj/g3.html")]
    assert g3["column"] == same["column"] == "gfxwj" and g3["message"] == same["message"]
