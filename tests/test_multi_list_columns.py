"""A column page that carries two lists (利企惠民政策专区: 惠企政策 / 惠民政策), through the real crawl:
the column's items are those of both lists, each followed through its own pager or 更多 page with
its own coverage record, so the newest date over both decides 栏目不更新. A 最新动态 box beside the
list and a 通知公告 box in the header are not lists of the column."""

from __future__ import annotations

import sqlite3

import pytest
from multi_list_portals import FRESH, OLD, boxes_portal, hanweb_portal, tables_portal, tabs_portal, trs_portal
from portal_kit import AuditResult, audit_pages, audit_server, govaudit, write_portal
from sites.hanweb_jpage import install_dataproxy

from audit.cli.demo.server import PortalServer

FORMS = {
    "tabs": tabs_portal,
    "boxes": boxes_portal,
    "trs": trs_portal,
    "tables": tables_portal,
    "hanweb": hanweb_portal,
}


def _audit(work, pages: dict[str, str]) -> AuditResult:
    if any(path.startswith("/_jpage/") for path in pages):
        portal = PortalServer(write_portal(work / "site", pages))
        install_dataproxy(portal)
        with portal:
            result = audit_server(portal, work)
    else:
        result = audit_pages(work, pages)
    assert result.returncode == 0, result.stderr
    return result


def _list_reads(result: AuditResult) -> dict[str, tuple]:
    """First-page path → (declared records, declared pages, items read, pages read, complete) of lqhm's lists."""
    db = sqlite3.connect(result.db_url.removeprefix("sqlite:///"))
    rows = db.execute(
        "SELECT url, declared_records, declared_pages, items_read, pages_read, complete FROM list_read "
        "WHERE column = 'lqhm'"
    ).fetchall()
    base = result.base_url.rstrip("/")
    return {url.removeprefix(base): (*rest[:4], bool(rest[4])) for url, *rest in rows}


def _stale(result: AuditResult) -> list[dict]:
    return [f for f in result.of("column.stale") if f["column"] == "lqhm"]


@pytest.fixture(scope="module", params=sorted(FORMS))
def fresh_second_list(request, tmp_path_factory):
    """惠企 old, 惠民 fresh: the column is kept up to date."""
    return request.param, _audit(tmp_path_factory.mktemp(request.param), FORMS[request.param](OLD, FRESH))


def test_a_fresh_second_list_keeps_the_column_fresh(fresh_second_list):
    form, result = fresh_second_list
    assert _stale(result) == [], form
    assert not [f for f in result.of("column.empty") if f["column"] == "lqhm"], form


# Per form, each list of lqhm as recorded: first page (the second list of a page is "#list2") →
# (declared records, declared pages, items read, pages read, complete).
READS = {
    "tabs": {"/lqhm/": (None, 2, 9, 2, True), "/lqhm/#list2": (None, 2, 8, 2, True)},
    # Each box shows 5 of its list; 更多 leads to the whole list, read as a list of its own.
    "boxes": {
        "/lqhm/": (None, None, 5, 1, True),
        "/lqhm/#list2": (None, None, 5, 1, True),
        "/lqhm/hqzc/": (None, 2, 8, 2, True),
        "/lqhm/hmzc/": (None, 2, 8, 2, True),
    },
    "trs": {"/lqhm/": (None, 3, 12, 3, True), "/lqhm/#list2": (None, 2, 6, 2, True)},
    "tables": {"/lqhm/": (None, 2, 7, 2, True), "/lqhm/#list2": (None, 2, 7, 2, True)},
    "hanweb": {"/col/col3000/index.html": (9, 3, 9, 3, True), "/col/col3000/index.html#list2": (7, 2, 7, 2, True)},
}


def test_each_list_is_read_through_its_own_pages_and_recorded(fresh_second_list):
    form, result = fresh_second_list
    assert _list_reads(result) == READS[form]


@pytest.mark.parametrize("form", sorted(FORMS))
def test_both_lists_old_fires_once_naming_the_column(form, tmp_path):
    result = _audit(tmp_path, FORMS[form](OLD, OLD))
    stale = _stale(result)
    assert len(stale) == 1, (form, stale)
    assert "「利企惠民政策专区」栏目最新信息发布于2021-06-27" in stale[0]["message"]


@pytest.mark.parametrize("form", ["tabs", "hanweb"])
def test_a_fresh_sidebar_or_header_box_does_not_make_an_old_column_fresh(form, tmp_path):
    pages = tabs_portal(OLD, OLD, sidebar=FRESH, header=FRESH) if form == "tabs" else hanweb_portal(OLD, OLD, hot=FRESH)
    stale = _stale(_audit(tmp_path, pages))
    assert len(stale) == 1 and "2021-06-27" in stale[0]["message"], stale


def test_a_column_is_read_whole_only_when_each_of_its_lists_is(tmp_path):
    """惠民's page 2 is gone: that list is a coverage gap, the column is not judged on the rest."""
    pages = tabs_portal(OLD, OLD)
    del pages["/lqhm/hm_2.html"]
    result = _audit(tmp_path, pages)
    reads = _list_reads(result)
    assert reads["/lqhm/"] == (None, 2, 9, 2, True)
    assert reads["/lqhm/#list2"][:4] == (None, 2, 6, 1) and reads["/lqhm/#list2"][4] is False
    assert _stale(result) == []
    assert "以下1个列表未能完整读取" in (result.out_dir / "technical.html").read_text("utf-8")


def test_a_re_audit_of_an_unchanged_page_follows_each_list_as_the_first_audit_did(tmp_path):
    """The second audit takes the page over from the first (304) with its lists, not as one list."""
    pages = tabs_portal(OLD, FRESH)
    del pages["/lqhm/hm_2.html"]
    db_url = f"sqlite:///{tmp_path / 'audit.sqlite'}"
    with PortalServer(write_portal(tmp_path / "site", pages), validators=True) as portal:
        runs = [
            govaudit(
                "audit",
                portal.base_url,
                "--as-of",
                "2022-10-15",
                "--out",
                str(tmp_path / name),
                "--db",
                db_url,
                "--quiet",
            )
            for name in ("first", "again")
        ]
        base = portal.base_url.rstrip("/")
    assert [run.returncode for run in runs] == [0, 0], runs[-1].stderr
    db = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    assert db.execute("SELECT count(*) FROM page WHERE run_id = 2 AND not_modified").fetchone()[0] > 0
    reads = [
        db.execute(
            "SELECT url, items_read, pages_read, complete FROM list_read WHERE run_id = ? "
            "AND column = 'lqhm' ORDER BY url",
            (run,),
        ).fetchall()
        for run in (1, 2)
    ]
    assert [(url.removeprefix(base), *rest) for url, *rest in reads[1]] == [
        ("/lqhm/", 9, 2, 1),
        ("/lqhm/#list2", 6, 1, 0),
    ]
    assert reads[1] == reads[0]
