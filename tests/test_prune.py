"""`govaudit prune --keep-quarters N` drops the pages only a site's older runs refer to, and the page
versions and bodies nothing refers to any more, but never the evidence of a problem still open (its
page, and the page linking a broken target); runs, findings and history stay. `govaudit db stats`
shows rows and bytes per table and what each run refers to. On SQLite and on PostgreSQL."""

from __future__ import annotations

import zlib
from datetime import date

import pytest
from databases import BACKENDS, fresh_database
from portal_kit import govaudit
from sqlalchemy import func, select

from audit.store import FindingNotes, RunStatus, Store
from audit.store.models import Page, PageContent, PageVersion
from audit.store.versions import body_digest
from crawler.reading import LinkRef, PageReading
from crawler.vocabulary.items import FetchedPage
from rules.base import Finding, Severity

SITE = "http://xian.gov.cn/"
NEWS = SITE + "xw/1.html"
MISSING = SITE + "missing.html"
OLD_NOTICE = SITE + "tzgg/old.html"


def _page(url: str, html: str, *targets: str) -> FetchedPage:
    reading = PageReading(url=url, title=html, text=html)
    reading.links = [LinkRef(target, "链接", "a") for target in targets]
    body = html.encode()
    return FetchedPage(url, url, 200, "text/html", None, reading, body=zlib.compress(body), digest=body_digest(body))


def _finding(rule: str, url: str, fingerprint: str) -> tuple[Finding, FindingNotes]:
    return Finding(rule, url, None, Severity.DEDUCT, "问题", ""), FindingNotes(
        fingerprint, ("县政府办公室",), "site", None
    )


def _quarter(store: Store, as_of: date, home_html: str, with_old_notice: bool, status=RunStatus.DONE) -> int:
    """One run: the home page (linking the missing page), an unchanged news page, the missing page;
    in the first quarter also a notice with a problem fixed since."""
    run_id = store.start_run(SITE, as_of, None, "f")
    with store.batch():
        store.save_page(run_id, _page(SITE, home_html, NEWS, MISSING))
        store.save_page(run_id, _page(NEWS, "新闻：县政府召开常务会议"))
        store.save_page(run_id, FetchedPage(MISSING, MISSING, 404, "text/html", None, None))
        if with_old_notice:
            store.save_page(run_id, _page(OLD_NOTICE, "通知：旧通知，缺少发布日期"))
    findings = [_finding("link.broken", MISSING, "open0000001")]
    if with_old_notice:
        findings.append(_finding("page.date_missing", OLD_NOTICE, "fixed000001"))
    store.save_annotated_findings(run_id, findings)
    store.finish_run(run_id, status)
    return run_id


def _counts(store: Store) -> dict:
    with store.reading() as session:
        pages = dict(session.execute(select(Page.run_id, func.count()).group_by(Page.run_id)).all())
        return {
            "pages": pages,
            "versions": session.scalar(select(func.count()).select_from(PageVersion)),
            "bodies": session.scalar(select(func.count()).select_from(PageContent)),
        }


@pytest.mark.parametrize("kind", BACKENDS)
def test_prune_keeps_the_latest_quarters_and_the_evidence_of_open_problems(kind, tmp_path):
    with fresh_database(kind, tmp_path) as db_url:
        store = Store(db_url)
        q1 = _quarter(store, date(2022, 3, 31), "首页：第一季度", True)
        q2 = _quarter(store, date(2022, 6, 30), "首页：第二季度", False)
        q3 = _quarter(store, date(2022, 9, 30), "首页：第三季度", False)
        before = _counts(store)
        refused = govaudit("prune", "--keep-quarters", "0", "--db", db_url)
        stats = govaudit("db", "stats", "--db", db_url)
        pruned = govaudit("prune", "--keep-quarters", "2", "--db", db_url)
        after = _counts(store)
        history = govaudit("history", "--db", db_url)
        evidence = {page.url: page.body for page in store.kept_pages(q1, [SITE, MISSING, OLD_NOTICE, NEWS])}
        findings = {run_id: len(store.findings(run_id)) for run_id in (q1, q2, q3)}
        store.engine.dispose()
    assert refused.returncode == 2 and "--keep-quarters 至少为1" in refused.stderr and "Traceback" not in refused.stderr
    assert stats.returncode == 0, stats.stderr
    tables = {line.split()[0]: line.split()[1:] for line in stats.stdout.split("\n\n")[0].splitlines()[1:]}
    assert tables["page"][0] == "10" and tables["page_version"][0] == "5" and tables["page_content"][0] == "5"
    assert all(size[-1] in ("KB", "MB") for size in tables.values()), stats.stdout
    run_lines = [line.split() for line in stats.stdout.splitlines() if line.split()[:1] in ([str(q1)], [str(q3)])]
    # Run 1: 4 pages, 0 copies, 4 versions (404: none), of which the old home and the old notice are its own.
    assert [line[:7] for line in run_lines] == [
        [str(q1), "2022Q1", "done", "4", "0", "3", "2"],
        [str(q3), "2022Q3", "done", "3", "0", "2", "1"],
    ]
    assert before["pages"] == {q1: 4, q2: 3, q3: 3} and (before["versions"], before["bodies"]) == (5, 5)
    assert pruned.returncode == 0, pruned.stderr
    assert "已清理1次旧检查" in pruned.stdout and "保留1个仍未整改问题的证据页面" in pruned.stdout
    # Quarter 1 keeps the missing page's row and the home page linking it (the broken link's evidence),
    # not the fixed notice nor the news page; the later quarters are untouched.
    assert after["pages"] == {q1: 2, q2: 3, q3: 3}
    # The old notice's version and body go; quarter 1's home page stays (evidence).
    assert (after["versions"], after["bodies"]) == (4, 4)
    assert evidence == {SITE: "首页：第一季度".encode()}
    assert findings == {q1: 2, q2: 1, q3: 1}
    assert history.returncode == 0 and "2022Q1" in history.stdout, history.stderr


def test_prune_leaves_unfinished_runs_and_recent_quarters_alone(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'a.sqlite'}"
    store = Store(db_url)
    interrupted = _quarter(store, date(2021, 12, 31), "首页：未完成", True, RunStatus.INTERRUPTED)
    _quarter(store, date(2022, 3, 31), "首页：第一季度", True)
    before = _counts(store)
    pruned = govaudit("prune", "--keep-quarters", "1", "--db", db_url)
    after = _counts(store)
    store.engine.dispose()
    assert pruned.returncode == 0, pruned.stderr
    assert "已清理0次旧检查" in pruned.stdout and after == before and after["pages"][interrupted] == 4
