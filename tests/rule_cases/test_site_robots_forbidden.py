"""site.robots_forbidden: robots.txt that forbids the whole site is reported (提示), not a veto, and the
rest of the audit still reads and reports the site."""

from portal_kit import audit_pages, doc_page, list_page, page

PAGES = {
    "/index.html": page("首页", '<a href="/xxgk/gfxwj/">规范性文件</a><a href="/private/a.html">内部</a>'),
    "/xxgk/gfxwj/": list_page("规范性文件", [("关于印发某某办法的通知", "/xxgk/gfxwj/1.html", "2022-09-01")]),
    "/xxgk/gfxwj/1.html": doc_page(
        "关于印发某某办法的通知", doc_number="测政规〔2022〕9号", body="<p>李四 身份证 532625198503122010</p>"
    ),
    "/private/a.html": page("内部", "<p>内容</p>"),
}


def test_fires_for_disallow_all_and_the_site_is_still_audited(tmp_path):
    result = audit_pages(tmp_path, {**PAGES, "/robots.txt": "User-agent: *\nDisallow: /\n"})
    assert result.returncode == 0, result.stderr
    [finding] = result.of("site.robots_forbidden")
    assert finding["severity"] == "提示" and finding["url"] == result.base_url
    assert not result.of("site.unreachable")
    # What lies behind the refusal is read and judged as usual.
    assert result.paths("privacy.id_number") == {"/xxgk/gfxwj/1.html"}
    assert "gfxwj" not in {f["column"] for f in result.of("column.missing")}


def test_quiet_without_robots_or_when_it_forbids_only_some_folders(tmp_path):
    result = audit_pages(tmp_path / "none", PAGES)
    assert result.returncode == 0 and not result.of("site.robots_forbidden")
    result = audit_pages(tmp_path / "some", {**PAGES, "/robots.txt": "User-agent: *\nDisallow: /private/\n"})
    assert result.returncode == 0 and not result.of("site.robots_forbidden")
    assert result.paths("privacy.id_number") == {"/xxgk/gfxwj/1.html"}
