"""A re-audit asks for what the site's last audit stored with its validators (If-None-Match,
If-Modified-Since): an unchanged portal answers 304 and sends almost nothing, and the findings are
those of a full audit. Through the real path: portals served on 127.0.0.1, audited by the CLI."""

import json
import os
import sqlite3

import pytest
from databases import BACKENDS, fresh_database
from portal_kit import doc_page, govaudit, list_page, page, write_portal
from sqlalchemy import create_engine, text

from audit.cli.demo.server import SAMPLE_PORTAL, PortalServer
from audit.store.store import engine_url
from audit.store.versions import unpack


def _db(work):
    return f"sqlite:///{work / 'audit.sqlite'}"


def _audit(server, work, name, *args, as_of="2022-10-15", db=None):
    out = work / name
    done = govaudit(
        "audit", server.base_url, "--as-of", as_of, "--out", str(out), "--db", db or _db(work), "--quiet", *args
    )
    assert done.returncode == 0, done.stderr
    return done, json.loads((out / "findings.json").read_text("utf-8"))


def _query(db, sql, **params):
    engine = create_engine(engine_url(db))
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql), params)]
    finally:
        engine.dispose()


def _runs(work, db=None):
    return _query(db or _db(work), "select id, bytes_received from audit_run order by id")


def _pages(work, run_id, db=None):
    """url → (not_modified, title) of the run's pages."""
    return {
        url: (bool(unchanged), title)
        for url, unchanged, title in _query(
            db or _db(work),
            "select url, not_modified, title from page left join page_version on page_version.id = version_id"
            " where run_id = :run",
            run=run_id,
        )
    }


def _links(db, run_id):
    """url → the links stored of the page, in page order."""
    links = {}
    for from_url, packed in _query(
        db,
        "select url, links from page join page_version on page_version.id = version_id"
        " where run_id = :run and links is not null",
        run=run_id,
    ):
        links[from_url] = [(to_url, link_text, tag) for to_url, link_text, tag, *_ in unpack(packed)]
    return links


def _shared_rows(db):
    """How many bodies and page versions the database holds (shared by the runs)."""
    return _query(db, "select (select count(*) from page_content), (select count(*) from page_version)")[0]


def _judged(findings):
    return sorted((f["fingerprint"], f["state"], f["rule"], f["message"]) for f in findings)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_re_audit_of_an_unchanged_portal_transfers_little_and_finds_the_same(tmp_path, backend):
    with fresh_database(backend, tmp_path) as db, PortalServer(SAMPLE_PORTAL, validators=True) as server:
        first, first_findings = _audit(server, tmp_path, "q3", db=db)
        shared_after_first = _shared_rows(db)
        second, second_findings = _audit(server, tmp_path, "again", db=db)
        # The unchanged pages are referred to, not copied: no body or reading is stored again.
        assert _shared_rows(db) == shared_after_first and min(shared_after_first) > 10
        _, next_quarter = _audit(server, tmp_path, "q4", as_of="2023-01-10", db=db)
        (first_run, first_bytes), (second_run, second_bytes), _ = _runs(tmp_path, db)
        first_pages, second_pages = _pages(tmp_path, first_run, db), _pages(tmp_path, second_run, db)
        # The copies came over whole: every page's links, in page order.
        assert _links(db, second_run) == _links(db, first_run)
    assert second_bytes <= 0.3 * first_bytes, (first_bytes, second_bytes)
    assert len(first_findings) > 10 and _judged(second_findings) == _judged(first_findings)
    # The kept bodies came over with the pages: each problem page has its offline copy again.
    kept = {f["fingerprint"]: f["kept_copy"] for f in first_findings}
    assert sum(map(bool, kept.values())) > 10 and {f["fingerprint"]: f["kept_copy"] for f in second_findings} == kept
    assert all((tmp_path / "again" / f["kept_copy"]).is_file() for f in second_findings if f["kept_copy"])
    # Every page and document came back 304 and was taken over from the first audit, as read then.
    assert {url: title for url, (_, title) in second_pages.items()} == {
        url: title for url, (_, title) in first_pages.items()
    }
    assert all(unchanged for unchanged, _ in second_pages.values())
    assert "未改变" in second.stdout and "未改变" not in first.stdout
    # A quarter later the unchanged pages still hold their problems: 未整改, never 已整改 or 未检查.
    assert {f["fingerprint"] for f in first_findings} <= {f["fingerprint"] for f in next_quarter}
    assert {f["state"] for f in next_quarter if f["fingerprint"] in {g["fingerprint"] for g in first_findings}} == {
        "未整改"
    }


def _small_portal(root):
    return write_portal(
        root,
        {
            "/index.html": page("首页", '<a href="/xxgk/">政府信息公开</a><a href="/a.html">通知公告</a>'),
            "/xxgk/index.html": list_page(
                "政府信息公开",
                [
                    ("关于加强管理的通知", "/xxgk/t1.html", "2022-09-01"),
                    ("关于开展检查的通知", "/xxgk/t2.html", "2022-09-05"),
                ],
            ),
            "/xxgk/t1.html": doc_page(
                "关于加强管理的通知", doc_number="测政发〔2022〕1号", label_line="（此件公开发布）"
            ),
            "/xxgk/t2.html": doc_page(
                "关于开展检查的通知", doc_number="测政发〔2022〕2号", label_line="（此件公开发布）"
            ),
            "/a.html": page("通知公告", "<p>通知公告正文。</p>"),
        },
    )


def test_a_page_changed_between_audits_is_read_again(tmp_path):
    root = _small_portal(tmp_path / "site")
    with PortalServer(root, validators=True) as server:
        _, before = _audit(server, tmp_path, "first")
        # The page now carries a label that must never be on the site: its new content is judged.
        write_portal(
            root,
            {
                "/xxgk/t2.html": doc_page(
                    "关于开展检查的通知", doc_number="测政发〔2022〕2号", label_line="（此件不公开）"
                )
            },
        )
        _, after = _audit(server, tmp_path, "second")
        changed = server.base_url + "xxgk/t2.html"
    assert not any(f["rule"] == "label.not_public" for f in before)
    assert [f["url"] for f in after if f["rule"] == "label.not_public"] == [changed]
    [(_, _), (second_run, _)] = _runs(tmp_path)
    pages = _pages(tmp_path, second_run)
    assert pages[changed][0] is False
    assert all(unchanged for url, (unchanged, _) in pages.items() if url != changed)


def test_a_server_that_ignores_conditional_requests_is_audited_in_full(tmp_path):
    root = _small_portal(tmp_path / "site")
    with PortalServer(root, validators=True, honour_conditional=False) as server:
        _, before = _audit(server, tmp_path, "first")
        _, after = _audit(server, tmp_path, "second")
    (_, first_bytes), (second_run, second_bytes) = _runs(tmp_path)
    assert _judged(after) == _judged(before)
    assert second_bytes >= 0.9 * first_bytes
    assert not any(unchanged for unchanged, _ in _pages(tmp_path, second_run).values())


def test_a_304_from_a_page_with_no_stored_copy_is_not_taken_for_the_stored_one(tmp_path):
    """/a.html now redirects to /b.html, which the first audit never read. The redirect carries the
    If-Modified-Since of /a.html; /b.html is older, so it answers 304 — about itself. The page is
    asked for again without validators and what /b.html holds is read."""
    root = _small_portal(tmp_path / "site")
    write_portal(root, {"/b.html": page("新的通知公告", "<p>迁移后的通知公告。</p>")})
    os.utime(root / "b.html", (1_500_000_000, 1_500_000_000))
    # Only Last-Modified (no ETag) for /a.html: If-Modified-Since alone decides on /b.html.
    (root / "_headers.json").write_text(json.dumps({"/a.html": {"ETag": ""}}), "utf-8")
    server = PortalServer(root, validators=True).start()
    port = server.port
    try:
        _audit(server, tmp_path, "first")
    finally:
        server.stop()
    (root / "_headers.json").write_text(
        json.dumps({"/a.html": {"status": 301, "Location": "/b.html", "ETag": ""}}), "utf-8"
    )
    with PortalServer(root, port=port, validators=True) as server:
        _audit(server, tmp_path, "second")
        moved = server.base_url + "a.html"
    [(first_run, _), (second_run, _)] = _runs(tmp_path)
    assert _pages(tmp_path, first_run)[moved] == (False, "通知公告")
    assert _pages(tmp_path, second_run)[moved] == (False, "新的通知公告")


def test_a_copy_from_another_page_reader_is_not_reused(tmp_path):
    """Stored readings are reused only when the same reader made them: an improved reader reads
    every page afresh."""
    root = _small_portal(tmp_path / "site")
    with PortalServer(root, validators=True) as server:
        _audit(server, tmp_path, "first")
        with sqlite3.connect(tmp_path / "audit.sqlite") as conn:
            conn.execute("update audit_run set reader_version = 'older'")
        _audit(server, tmp_path, "second")
    [(_, first_bytes), (second_run, second_bytes)] = _runs(tmp_path)
    assert not any(unchanged for unchanged, _ in _pages(tmp_path, second_run).values())
    assert second_bytes >= 0.9 * first_bytes


def test_the_audit_crawl_paces_a_304_like_a_200():
    """The project settings extend the crawler's extensions, never replace them: with Scrapy's own
    AutoThrottle back in place of RevalidationThrottle, an all-304 re-audit crawled at the 0.2 s start
    delay (5 requests a second: a 20k-page re-audit took over an hour)."""
    from scrapy.settings import Settings
    from scrapy.utils.conf import build_component_list

    settings = Settings()
    settings.setmodule("audit.run.scrapy_settings", priority="project")
    extensions = build_component_list(settings.getwithbase("EXTENSIONS"))
    assert "crawler.crawl.middlewares.RevalidationThrottle" in extensions
    assert "scrapy.extensions.throttle.AutoThrottle" not in extensions
    assert "audit.run.logfile.MaskedScrapyLog" in extensions
