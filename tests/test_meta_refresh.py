"""A <meta http-equiv=refresh> never replaces the page the auditor judges.

News portals refresh their home page every minute; an article may send the reader home after a few
seconds. What was served is what is judged; only a refresh to another page within a few seconds is
also followed, as a link.
"""

from portal_kit import audit_pages, doc_page, page
from rule_cases.portals import LABEL_PORTAL

SELF_REFRESH = '<meta http-equiv="refresh" content="60">'


def _with_head(html: str, head: str) -> str:
    return html.replace("</head>", head + "</head>", 1)


def test_a_home_page_that_refreshes_itself_is_audited_not_unreachable(tmp_path):
    pages = dict(LABEL_PORTAL)
    pages["/index.html"] = _with_head(pages["/index.html"], SELF_REFRESH)
    result = audit_pages(tmp_path, pages)
    assert result.returncode == 0, result.stderr
    assert result.of("site.unreachable") == []
    assert result.paths("label.not_public") == {"/xxgk/gfxwj/onrequest.html", "/xxgk/gfxwj/secret.html"}


def test_a_self_refresh_that_names_its_own_url_is_a_normal_page(tmp_path):
    pages = dict(LABEL_PORTAL)
    pages["/index.html"] = _with_head(pages["/index.html"], '<meta http-equiv="refresh" content="30;url=/index.html">')
    result = audit_pages(tmp_path, pages)
    assert result.returncode == 0, result.stderr
    assert result.of("site.unreachable") == []
    assert "/xxgk/gfxwj/secret.html" in result.paths("label.not_public")


def test_an_article_that_sends_the_reader_home_later_is_judged_as_served(tmp_path):
    pages = dict(LABEL_PORTAL)
    pages["/xxgk/gfxwj/secret.html"] = _with_head(
        doc_page("测试县戊办法", doc_number="测政规〔2022〕5号", label_line="（此件不公开）"),
        '<meta http-equiv="refresh" content="8;url=/index.html">',
    )
    result = audit_pages(tmp_path, pages)
    assert result.returncode == 0, result.stderr
    assert "/xxgk/gfxwj/secret.html" in result.paths("label.not_public")


def test_a_prompt_refresh_to_another_page_is_followed_and_the_stub_kept(tmp_path):
    pages = dict(LABEL_PORTAL)
    pages["/index.html"] = page("跳转", '<meta http-equiv="refresh" content="1;url=/portal/index.html">')
    pages["/portal/index.html"] = LABEL_PORTAL["/index.html"]
    result = audit_pages(tmp_path, pages)
    assert result.returncode == 0, result.stderr
    assert result.of("site.unreachable") == []
    assert "/xxgk/gfxwj/secret.html" in result.paths("label.not_public")
