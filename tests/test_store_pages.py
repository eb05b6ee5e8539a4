"""A page stored again in the same run replaces what was stored of it, whether the two writes fall in
one batch of the crawl's pipeline or in two, and whether the earlier one was a copy taken over from
the site's last audit (a re-audit's 304) — on SQLite and on PostgreSQL. Only the latest reading
counts: two page rows for one URL would double its findings in the bulletin."""

from datetime import date

import pytest
from databases import BACKENDS, fresh_database
from sqlalchemy import func, select

from audit.store import Store
from audit.store.models import Page, PageVersion
from audit.store.versions import unpack
from crawler.reading import LinkRef, PageReading
from crawler.vocabulary.items import FetchedPage

SITE = "http://portal.example/"
NOTICE = SITE + "tzgg/1.html"


def _fetched(title: str, *targets: str) -> FetchedPage:
    reading = PageReading(url=NOTICE, title=title)
    reading.links = [LinkRef(SITE + target, target, "a") for target in targets]
    return FetchedPage(NOTICE, NOTICE, 200, "text/html", None, reading, etag=f'"{title}"')


def _stored(store: Store, run_id: int) -> tuple[int, str, list[str]]:
    """How many page rows the run holds for the notice, its title, and its links' targets in order."""
    with store.reading() as session:
        rows = session.scalar(select(func.count()).select_from(Page).where(Page.run_id == run_id, Page.url == NOTICE))
        title, links = session.execute(
            select(PageVersion.title, PageVersion.links)
            .join(Page, Page.version_id == PageVersion.id)
            .where(Page.run_id == run_id, Page.url == NOTICE)
        ).one()
    return rows, title, [target.removeprefix(SITE) for target, *_ in unpack(links)]


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with fresh_database(request.param, tmp_path) as db:
        store = Store(db)
        yield store
        store.engine.dispose()


def _run(store: Store) -> int:
    return store.start_run(SITE, date(2022, 9, 30), None, "fingerprint")


def test_a_page_stored_twice_in_one_batch_keeps_the_second(store):
    run_id = _run(store)
    with store.batch():
        store.save_page(run_id, _fetched("旧标题", "a.html", "b.html"))
        store.save_page(run_id, _fetched("新标题", "c.html"))
    assert _stored(store, run_id) == (1, "新标题", ["c.html"])


def test_a_page_stored_again_in_a_later_batch_replaces_the_first(store):
    run_id = _run(store)
    with store.batch():
        store.save_page(run_id, _fetched("旧标题", "a.html", "b.html"))
    with store.batch():
        store.save_page(run_id, _fetched("新标题", "c.html", "d.html"))
    assert _stored(store, run_id) == (1, "新标题", ["c.html", "d.html"])


def test_a_copy_taken_over_and_then_fetched_anew_keeps_the_fetch(store):
    earlier = _run(store)
    store.save_page(earlier, _fetched("上次的标题", "a.html", "b.html"))
    store.finish_run(earlier, "done")
    run_id = _run(store)
    with store.batch():
        store.copy_page(run_id, earlier, NOTICE)
    assert _stored(store, run_id) == (1, "上次的标题", ["a.html", "b.html"])
    with store.batch():
        store.copy_page(run_id, earlier, NOTICE)
        store.save_page(run_id, _fetched("这次的标题", "c.html"))
    assert _stored(store, run_id) == (1, "这次的标题", ["c.html"])
    # The earlier run keeps its own copy.
    assert _stored(store, earlier) == (1, "上次的标题", ["a.html", "b.html"])


def test_links_read_page_after_page_are_the_links_read_one_by_one(store):
    """StoredRunContent reads links a batch of pages ahead when a rule walks the pages in the
    snapshot's order (the privacy rules read every page's); what each page gets is the same as a
    lookup of that page alone, in page order, whatever the order of asking."""
    from audit.config import load_settings

    run_id = _run(store)
    pages = [f"{SITE}n/{number}.html" for number in range(12)]
    with store.batch():
        for number, url in enumerate(pages):
            reading = PageReading(url=url, title=str(number))
            reading.links = [LinkRef(f"{SITE}t/{number}-{k}.html", f"{number}-{k}", "a") for k in range(number % 3)]
            store.save_page(run_id, FetchedPage(url, url, 200, "text/html", None, reading))
    site = store.snapshot(run_id, load_settings())
    ordered = [page.url for page in site.audited_pages() if page.url in pages]
    walked = {url: site.links_from(url) for url in ordered}
    fresh = store.snapshot(run_id, load_settings())
    for url in reversed(ordered):  # asked out of order: one page at a time
        assert fresh.links_from(url) == walked[url]
        assert [link.text for link in walked[url]] == [
            f"{url[len(SITE) + 2 : -5]}-{k}" for k in range(len(walked[url]))
        ]
    assert sum(len(links) for links in walked.values()) == sum(number % 3 for number in range(12))
