"""page.meta_missing (提示): article pages carry the 网页标签 meta tags."""


def test_fires_naming_the_missing_tags(content_audit):
    by_path = {f["url"][len(content_audit.base_url) - 1 :]: f for f in content_audit.of("page.meta_missing")}
    finding = by_path["/news/meta_partial.html"]
    assert finding["severity"] == "提示" and finding["column"] is None
    assert "SiteIDCode、PubDate" in finding["message"] and "SiteName" not in finding["message"]
    # A 规范性文件 page without any 网页标签.
    assert "ArticleTitle" in by_path["/xxgk/gfxwj/g1.html"]["message"]


def test_quiet_for_complete_tags_lists_undated_pages_and_home(content_audit):
    fired = content_audit.paths("page.meta_missing")
    # Lower-case sitename/columnname count; list pages, the undated 公开指南 and home are no articles.
    for quiet in (
        "/news/meta_ok.html",
        "/news/typo.html",
        "/news/",
        "/xxgk/gfxwj/",
        "/xxgk/gkzn.html",
        "/",
        "/xxgk/jbml/ghjh/",
    ):
        assert quiet not in fired


def test_required_tags_are_configurable(content_configured_audit):
    assert "/news/meta_partial.html" not in content_configured_audit.paths("page.meta_missing")
    assert "/xxgk/gfxwj/g1.html" in content_configured_audit.paths("page.meta_missing")
