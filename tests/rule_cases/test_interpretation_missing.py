"""interpretation.missing: every 规范性文件 is related to a 解读 page, in either direction."""


def test_fires_for_documents_without_any_interpretation(content_audit):
    # g4 has none; g9's only 解读 links are a 「最新解读」 box of four, which relates nothing.
    assert content_audit.paths("interpretation.missing") == {"/xxgk/gfxwj/g4.html", "/xxgk/gfxwj/g9.html"}
    for finding in content_audit.of("interpretation.missing"):
        assert finding["column"] == "gfxwj" and finding["severity"] == "扣分"
    [g4] = [f for f in content_audit.of("interpretation.missing") if f["url"].endswith("/g4.html")]
    assert "测政规〔2022〕4号" in g4["evidence"]


def test_quiet_when_either_side_links(content_audit):
    fired = content_audit.paths("interpretation.missing")
    # g1 ⇄ j1; g3 ← j3 only and g5 → j5 only (both interpretation.unlinked); g6 links an off-site
    # 解读 the crawl does not fetch, recognised by its link text; a 解读 listed in gfxwj is no document.
    for quiet in (
        "/xxgk/gfxwj/g1.html",
        "/xxgk/gfxwj/g3.html",
        "/xxgk/gfxwj/g5.html",
        "/xxgk/gfxwj/g6.html",
        "/xxgk/gfxwj/g2.html",
        "/xxgk/zcjd/j1.html",
        "/xxgk/zcjd/",
    ):
        assert quiet not in fired


def test_a_larger_max_related_turns_the_box_into_pairings(content_configured_audit):
    assert content_configured_audit.paths("interpretation.missing") == {"/xxgk/gfxwj/g4.html"}


def test_a_column_check_reads_the_policy_reading_column(content_audit, content_column_audit):
    # --column gfxwj also reads the 政策解读 column: g3, linked only by its 解读 j3 there, has a
    # 解读 in the column check too; the findings are the full audit's.
    assert content_column_audit.paths("interpretation.missing") == {"/xxgk/gfxwj/g4.html", "/xxgk/gfxwj/g9.html"}

    def seen(result):
        return {
            (f["url"][len(result.base_url) :], f["column"], f["message"]) for f in result.of("interpretation.missing")
        }

    assert seen(content_column_audit) == seen(content_audit)
