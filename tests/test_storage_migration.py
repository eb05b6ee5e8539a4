"""0013 moves a database stored per run (a page, body, link, list row and hidden link row per page per
run) to content-addressed pages: each distinct body and reading stored once, the runs referring to
them. A database filled at 0012 with two quarters' runs, findings and kept bodies is upgraded, on
SQLite and on PostgreSQL: its runs, history, findings and evidence read as before, and what the two
runs shared is stored once."""

from __future__ import annotations

import hashlib
import json
import zlib
from datetime import date

import pytest
from alembic import command
from databases import BACKENDS, fresh_database
from portal_kit import govaudit
from sqlalchemy import create_engine, func, select, text

from audit.config import load_settings
from audit.judging.history import previous_home
from audit.store import Store
from audit.store.models import PageContent, PageVersion
from audit.store.schema import _config
from audit.store.store import engine_url

SITE = "http://xian.gov.cn/"
ARTICLE = SITE + "tzgg/1.html"
MISSING = SITE + "missing.html"
DOCUMENT = SITE + "files/plan.pdf"
HOME_HTML = "<html><head><title>某县人民政府</title></head><body>首页 县政府</body></html>".encode()
ARTICLE_HTML = "<html><body><h1>关于做好防汛工作的通知</h1>正文</body></html>".encode()
HOME_TEXT = "某县人民政府\n首页\n县政府门户"
ARTICLE_TEXT = "关于做好防汛工作的通知\n各乡镇：请做好防汛工作。"


def _fill_at_0012(connection) -> None:
    """Two finished quarters of one site as govaudit stored them before 0013: the home page and an
    article unchanged between them (the second run's copies taken over on a 304), a missing page, a
    document; a broken link found in both quarters."""
    runs = ((1, "2022-09-30", "2022Q3", False), (2, "2022-12-31", "2022Q4", True))
    for run_id, as_of, quarter, _ in runs:
        connection.execute(
            text(
                "insert into audit_run (id, site_url, as_of, config_fingerprint, started_at, finished_at, status,"
                " quarter, reader_version) values (:id, :site, :as_of, 'f', :at, :at, 'done', :quarter, 'r1')"
            ),
            {"id": run_id, "site": SITE, "as_of": as_of, "at": f"{as_of} 08:00:00", "quarter": quarter},
        )
    page = text(
        "insert into page (run_id, url, final_url, status, error, content_type, fetched_at, title, publish_date,"
        " publish_date_source, labels, is_list, empty_notice, meta_tags, text, truncated, breadcrumb, lists,"
        " not_modified, etag) values (:run, :url, :url, :status, null, :type, :at, :title, :published, :source,"
        " :labels, :is_list, false, :meta, :text, false, :crumbs, :lists, :unchanged, :etag)"
    )
    for run_id, as_of, _, unchanged in runs:
        at = f"{as_of} 08:30:00"
        common = {"run": run_id, "at": at, "unchanged": unchanged, "etag": '"v1"', "published": None, "source": None}
        connection.execute(
            page,
            [
                {
                    **common,
                    "url": SITE,
                    "status": 200,
                    "type": "text/html",
                    "title": "某县人民政府",
                    "labels": "[]",
                    "is_list": True,
                    "meta": json.dumps({"keywords": "县政府"}, ensure_ascii=False),
                    "text": HOME_TEXT,
                    "crumbs": "[]",
                    "lists": json.dumps(
                        [{"rows": 2, "next_pages": [], "total_pages": 1, "total_records": 2, "more_requests": []}]
                    ),
                },
                {
                    **common,
                    "url": ARTICLE,
                    "status": 200,
                    "type": "text/html",
                    "title": "关于做好防汛工作的通知",
                    "published": "2022-09-01",
                    "source": "meta",
                    "labels": json.dumps(["主动公开"], ensure_ascii=False),
                    "is_list": False,
                    "meta": "{}",
                    "text": ARTICLE_TEXT,
                    "crumbs": json.dumps([{"text": "首页", "url": SITE}], ensure_ascii=False),
                    "lists": None,
                },
                {
                    **common,
                    "url": MISSING,
                    "status": 404,
                    "type": "text/html",
                    "title": None,
                    "labels": "[]",
                    "is_list": False,
                    "meta": "{}",
                    "text": None,
                    "crumbs": None,
                    "lists": None,
                    "etag": None,
                },
                {
                    **common,
                    "url": DOCUMENT,
                    "status": 200,
                    "type": "application/pdf",
                    "title": None,
                    "labels": "[]",
                    "is_list": False,
                    "meta": "{}",
                    "text": "防汛应急预案全文",
                    "crumbs": None,
                    "lists": None,
                },
            ],
        )
        connection.execute(
            text("insert into page_body (run_id, url, body) values (:run, :url, :body)"),
            [
                {"run": run_id, "url": SITE, "body": zlib.compress(HOME_HTML)},
                {"run": run_id, "url": ARTICLE, "body": zlib.compress(ARTICLE_HTML)},
            ],
        )
        connection.execute(
            text(
                "insert into link (run_id, from_url, to_url, text, tag, on_site, is_click, region) values"
                " (:run, :from_url, :to_url, :text, 'a', :on_site, true, 'content')"
            ),
            [
                {"run": run_id, "from_url": SITE, "to_url": ARTICLE, "text": "通知公告", "on_site": True},
                {"run": run_id, "from_url": SITE, "to_url": MISSING, "text": "办事指南", "on_site": True},
                {
                    "run": run_id,
                    "from_url": SITE,
                    "to_url": "http://old.example.com/",
                    "text": "友情链接",
                    "on_site": False,
                },
                {"run": run_id, "from_url": ARTICLE, "to_url": DOCUMENT, "text": "附件", "on_site": True},
                {"run": run_id, "from_url": ARTICLE, "to_url": MISSING, "text": "相关", "on_site": True},
            ],
        )
        connection.execute(
            text(
                "insert into list_item (run_id, page_url, position, main_list, title, url, date, date_source)"
                " values (:run, :page, :position, :main, :title, :url, :day, 'row')"
            ),
            [
                {
                    "run": run_id,
                    "page": SITE,
                    "position": 1,
                    "main": True,
                    "title": "第二条",
                    "url": MISSING,
                    "day": "2022-08-01",
                },
                {
                    "run": run_id,
                    "page": SITE,
                    "position": 0,
                    "main": True,
                    "title": "关于做好防汛工作的通知",
                    "url": ARTICLE,
                    "day": "2022-09-01",
                },
                {
                    "run": run_id,
                    "page": SITE,
                    "position": 0,
                    "main": False,
                    "title": "要闻",
                    "url": ARTICLE,
                    "day": "2022-09-02",
                },
            ],
        )
        connection.execute(
            text(
                "insert into hidden_link (run_id, page_url, url, text, how) values"
                " (:run, :page, 'http://casino.example/', '娱乐', 'display:none')"
            ),
            {"run": run_id, "page": ARTICLE},
        )
        connection.execute(
            text(
                "insert into finding (run_id, rule, url, severity, message, evidence, fingerprint, facts) values"
                " (:run, 'link.broken', :url, '扣分', '链接打不开', 'HTTP 404', 'fb0000000001', '{}')"
            ),
            {"run": run_id, "url": MISSING},
        )


@pytest.mark.parametrize("kind", BACKENDS)
def test_runs_history_findings_and_evidence_read_after_the_move_to_shared_versions(kind, tmp_path):
    with fresh_database(kind, tmp_path) as db_url:
        engine = create_engine(engine_url(db_url))
        with engine.begin() as connection:
            command.upgrade(_config(connection), "0012")
            _fill_at_0012(connection)
        engine.dispose()
        upgraded = govaudit("db", "upgrade", "--db", db_url)
        history = govaudit("history", "--db", db_url)
        shown = govaudit("show", "fb0000000001", "--db", db_url)
        store = Store(db_url)
        runs = [(run.id, run.quarter, run.status) for run in store.runs()]
        findings = {run_id: [(f.rule, f.url) for f in store.findings(run_id)] for run_id in (1, 2)}
        kept = {page.url: page for page in store.kept_pages(2, [SITE, ARTICLE, MISSING, DOCUMENT])}
        kept_urls = store.kept_urls(1, [SITE, ARTICLE, MISSING, DOCUMENT])
        referring = store.referring_pages(2, [MISSING, DOCUMENT])
        seen = store.page_evidence(1)
        site = store.snapshot(2, load_settings())
        # Read on demand from the database (while it exists).
        linking_missing = sorted(link.from_url for link in site.links_to(MISSING))
        article_links = [link.to_url for link in site.links_from(ARTICLE)]
        texts = (site.text_of(ARTICLE), site.meta_tags_of(SITE))
        reading = store.load_reading(1, SITE)
        home_before = previous_home(store, store.run(2))
        with store.reading() as session:
            versions = session.scalar(select(func.count()).select_from(PageVersion))
            bodies = session.scalar(select(func.count()).select_from(PageContent))
        store.engine.dispose()
    assert upgraded.returncode == 0, upgraded.stderr
    assert history.returncode == 0 and "2022Q3" in history.stdout and "2022Q4" in history.stdout, history.stderr
    assert shown.returncode == 0 and "链接打不开" in shown.stdout, shown.stderr
    assert runs == [(1, "2022Q3", "done"), (2, "2022Q4", "done")]
    assert findings == {1: [("link.broken", MISSING)], 2: [("link.broken", MISSING)]}
    # Kept evidence: the bodies as fetched, now under their digest, and the document's text.
    assert kept[SITE].body == HOME_HTML and kept[ARTICLE].body == ARTICLE_HTML and MISSING not in kept
    assert kept[SITE].digest == hashlib.sha256(HOME_HTML).hexdigest()
    assert kept[DOCUMENT].text == "防汛应急预案全文" and kept[DOCUMENT].body is None
    assert kept_urls == {SITE, ARTICLE, DOCUMENT}
    assert referring == {MISSING: SITE, DOCUMENT: ARTICLE}
    assert seen[ARTICLE][1] == "关于做好防汛工作的通知" and seen[MISSING][1] is None
    # What the rules read: pages, links both ways, list rows in order, hidden links, text, meta tags.
    assert site.pages[ARTICLE].title == "关于做好防汛工作的通知" and site.pages[ARTICLE].labels == ("主动公开",)
    assert site.pages[ARTICLE].publish_date == date(2022, 9, 1) and site.pages[MISSING].status == 404
    assert linking_missing == sorted([SITE, ARTICLE]) and article_links == [DOCUMENT, MISSING]
    assert [item.title for item in site.main_items[SITE]] == ["关于做好防汛工作的通知", "第二条"]
    assert [item.date for item in site.dated_links[SITE]] == [date(2022, 9, 2)]
    assert [link.how for link in site.hidden_links[ARTICLE]] == ["display:none"]
    assert texts == (ARTICLE_TEXT, {"keywords": "县政府"})
    assert [link.text for link in reading.links] == ["通知公告", "办事指南", "友情链接"]
    assert [entry.url for entry in reading.list_items] == [ARTICLE, MISSING] and len(reading.lists) == 1
    # History compares with the previous quarter's home page.
    assert home_before.run_id == 1 and "县政府门户" in home_before.lines
    assert home_before.outbound_hosts == frozenset({"old.example.com"})
    # The two quarters' equal pages are stored once: home, article, document; two bodies.
    assert (versions, bodies) == (3, 2)


def test_a_database_from_before_migrations_with_a_page_row_per_run_is_moved_too(tmp_path):
    """No alembic_version, and tables and columns of later versions missing (as govaudit stored them
    before migrations existed): what 0001–0012 added is added, then 0013 moves the pages."""
    db_url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = create_engine(db_url)
    with engine.begin() as connection:
        command.upgrade(_config(connection), "0012")
        _fill_at_0012(connection)
        connection.execute(text("DROP TABLE alembic_version"))
        connection.execute(text("DROP TABLE list_read"))
        connection.execute(text("ALTER TABLE audit_run DROP COLUMN unjudged_rules"))
    engine.dispose()
    upgraded = govaudit("db", "upgrade", "--db", db_url)
    history = govaudit("history", "--db", db_url)
    store = Store(db_url)
    kept = {page.url: page.body for page in store.kept_pages(1, [SITE, ARTICLE])}
    referring = store.referring_pages(1, [MISSING])
    store.engine.dispose()
    assert upgraded.returncode == 0, upgraded.stderr
    assert history.returncode == 0 and "2022Q3" in history.stdout, history.stderr
    assert kept == {SITE: HOME_HTML, ARTICLE: ARTICLE_HTML} and referring == {MISSING: SITE}
