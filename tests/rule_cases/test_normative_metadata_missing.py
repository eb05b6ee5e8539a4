"""normative.metadata_missing: a 规范性文件 shows its 文号, a date and its 有效性."""


def test_fires_once_per_document_naming_every_missing_field(content_audit):
    assert content_audit.paths("normative.metadata_missing") == {
        "/xxgk/gfxwj/g2.html",
        "/xxgk/gfxwj/202209/t20220907_7.html",
    }
    by_path = {f["url"][len(content_audit.base_url) - 1 :]: f for f in content_audit.of("normative.metadata_missing")}
    # 文号：无 is no 文号; the 有效性 row is absent.
    assert "文号、有效性" in by_path["/xxgk/gfxwj/g2.html"]["message"]
    assert "文号：无" in by_path["/xxgk/gfxwj/g2.html"]["evidence"]
    assert by_path["/xxgk/gfxwj/g2.html"]["column"] == "gfxwj"
    assert by_path["/xxgk/gfxwj/g2.html"]["severity"] == "扣分"
    # The only date is the one in the URL, which the page does not show.
    assert "成文日期或发布日期" in by_path["/xxgk/gfxwj/202209/t20220907_7.html"]["message"]
    assert "文号" not in by_path["/xxgk/gfxwj/202209/t20220907_7.html"]["message"].split("未标注")[1]


def test_quiet_for_repealed_number_in_title_and_interpretations(content_audit):
    fired = content_audit.paths("normative.metadata_missing")
    # 已废止 is a valid 有效性; g5's 文号 stands in its title and it shows only 发布日期;
    # a 解读 listed in the 文件库 is not a document; news with no metadata is not in the 文件库.
    for quiet in (
        "/xxgk/gfxwj/g3.html",
        "/xxgk/gfxwj/g5.html",
        "/xxgk/gfxwj/g1.html",
        "/xxgk/zcjd/j1.html",
        "/news/typo.html",
        "/bm/1.html",
    ):
        assert quiet not in fired


def test_validity_values_are_configurable(content_configured_audit):
    # With only 现行有效 accepted, 已废止 no longer counts.
    fired = content_configured_audit.paths("normative.metadata_missing")
    assert "/xxgk/gfxwj/g3.html" in fired
    [finding] = [f for f in content_configured_audit.of("normative.metadata_missing") if f["url"].endswith("/g3.html")]
    assert "有效性" in finding["message"] and "已废止" in finding["evidence"]
