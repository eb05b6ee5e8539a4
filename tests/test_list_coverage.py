"""Provably complete lists, through the real crawl: each list is read as far as it declares, from
what the server actually returned; a list read short is a coverage gap the bulletin names, and the
rules that need the whole list say 未能完整检查 instead of judging on part of it."""

from __future__ import annotations

import sqlite3

import pytest
from portal_kit import AuditResult, audit_pages, audit_server, list_page, page
from sites.hanweb_jpage import ColumnLayout, column_records, hanweb_variant, install_dataproxy, older_record
from stored_views import readable

from audit.cli.demo.server import PortalServer

DATAPROXY = "/module/web/jpage/dataproxy.jsp"


def _list_reads(result: AuditResult) -> dict[str, tuple]:
    """column → (first page path, declared records, declared pages, items read, pages read, complete, shortfall)."""
    db = readable(sqlite3.connect(result.db_url.removeprefix("sqlite:///")))
    rows = db.execute(
        "SELECT column, url, declared_records, declared_pages, items_read, pages_read, complete, shortfall "
        "FROM list_read"
    ).fetchall()
    base = result.base_url.rstrip("/")
    return {column: (url.removeprefix(base), *rest[:4], bool(rest[4]), rest[5]) for column, url, *rest in rows}


def _read_items(result: AuditResult, column_id: str) -> set[str]:
    """Item paths stored as main-list rows of the column page and of its dataproxy answers."""
    db = readable(sqlite3.connect(result.db_url.removeprefix("sqlite:///")))
    base = result.base_url.rstrip("/")
    rows = db.execute(
        "SELECT url FROM list_item WHERE main_list = 1 AND (page_url = ? OR page_url LIKE ?)",
        (f"{base}/col/col{column_id}/index.html", f"{base}{DATAPROXY}?%columnid={column_id}%"),
    ).fetchall()
    return {url.removeprefix(base) for (url,) in rows}


def _record_paths(root, column_id: str) -> set[str]:
    return {record.split('href="', 1)[1].split('"', 1)[0] for record in column_records(root, column_id)}


def _verdict(bulletin: str, rule_id: str, column_name: str) -> str:
    """The verdict cell of a rule's row under a column in the bulletin's verdict table."""
    header = bulletin[bulletin.index("<th>栏目检查项</th>") :]
    scopes = [cell.split("</th>")[0] for cell in header.split("</tr>")[0].split('<th class="scope">')[1:]]
    row = header[header.index(f'data-rule="{rule_id}"') :].split("</tr>")[0]
    cells = [cell.split(">", 1)[1].split("</td>")[0] for cell in row.split("<td class=")[1:]]
    return cells[scopes.index(column_name)]


def _audit_variant(work, layouts: dict[str, ColumnLayout], **server_behaviour):
    """Audit a variant of the Hanweb sample portal served with its dataproxy."""
    root = hanweb_variant(work / "site", layouts)
    portal = PortalServer(root)
    install_dataproxy(portal, **server_behaviour)
    with portal:
        result = audit_server(portal, work)
    assert result.returncode == 0, result.stderr
    return root, result


@pytest.fixture(scope="module")
def hanweb_embedded(tmp_path_factory):
    """15 of 22 and 15 of 60 records embedded (jpage 15 × 3), a server answering 15 per POST
    whatever range is asked, and a column page that embeds none of its 3 records."""
    return _audit_variant(
        tmp_path_factory.mktemp("embedded"),
        {
            "1001": ColumnLayout(embedded=15, per_page=15, group_size=3),
            "1002": ColumnLayout(
                embedded=15,
                per_page=15,
                group_size=3,
                extra_records=tuple(older_record("1002", n) for n in range(1, 49)),
            ),
            "1004": ColumnLayout(embedded=0, per_page=15, group_size=3),
        },
        max_records=15,
    )


def test_every_record_of_a_list_embedding_15_of_22_or_60_is_read(hanweb_embedded):
    root, result = hanweb_embedded
    for column_id, count in (("1001", 22), ("1002", 60), ("1004", 3)):
        expected = _record_paths(root, column_id)
        assert len(expected) == count
        assert _read_items(result, column_id) == expected, column_id


def test_declared_and_read_counts_are_stored_per_list(hanweb_embedded):
    _, result = hanweb_embedded
    reads = _list_reads(result)
    # (path, declared records, declared pages, items read, pages read, complete, shortfall)
    assert reads["lqhm"] == ("/col/col1001/index.html", 22, 2, 22, 2, True, None)
    assert reads["gfxwj"] == ("/col/col1002/index.html", 60, 4, 60, 4, True, None)
    assert reads["ggqsy"] == ("/col/col1004/index.html", 3, 1, 3, 2, True, None)
    assert not [f for f in result.findings if f["rule"] in ("column.empty", "column.stale")]
    bulletin = (result.out_dir / "technical.html").read_text("utf-8")
    assert "列表声明信息" in bulletin and "未能完整读取的原因" not in bulletin


def test_the_records_are_asked_for_from_what_was_received(hanweb_embedded):
    _, result = hanweb_embedded
    db = readable(sqlite3.connect(result.db_url.removeprefix("sqlite:///")))
    base = result.base_url.rstrip("/")
    asked = sorted(
        url.removeprefix(base + DATAPROXY + "?")
        for (url,) in db.execute("SELECT url FROM page WHERE url LIKE ?", (f"{base}{DATAPROXY}?%columnid=1002%",))
    )
    assert asked == [
        "startrecord=16&endrecord=60&perpage=15&columnid=1002&unitid=2002",
        "startrecord=31&endrecord=75&perpage=15&columnid=1002&unitid=2002",
        "startrecord=46&endrecord=90&perpage=15&columnid=1002&unitid=2002",
    ]


@pytest.fixture(scope="module")
def hanweb_refusing(tmp_path_factory):
    """The dataproxy stops answering (503): only what the column pages embed can be read.
    规范性文件 embeds its 4 oldest records (a list sorted oldest first), 公共企事业单位 none."""
    return _audit_variant(
        tmp_path_factory.mktemp("refusing"),
        {
            "1002": ColumnLayout(embedded=4, per_page=4, group_size=1, oldest_first=True),
            "1004": ColumnLayout(embedded=0, per_page=15, group_size=3),
        },
        refuse_from=1,
    )[1]


def test_a_list_whose_server_stops_answering_is_a_coverage_gap(hanweb_refusing):
    reads = _list_reads(hanweb_refusing)
    path, declared, _, items, pages, complete, shortfall = reads["gfxwj"]
    assert (path, declared, items, pages, complete) == ("/col/col1002/index.html", 12, 4, 1, False)
    assert shortfall.startswith("列表声明12条，读到4条：第2页无法读取（HTTP 503）")
    assert reads["ggqsy"][1:6] == (3, 1, 0, 1, False)
    assert reads["lqhm"][1:6] == (22, 6, 8, 1, False)
    bulletin = (hanweb_refusing.out_dir / "technical.html").read_text("utf-8")
    assert "以下3个列表未能完整读取" in bulletin
    assert "列表声明12条，读到4条：第2页无法读取（HTTP 503）" in bulletin


def test_rules_that_need_the_whole_list_do_not_judge_on_part_of_it(hanweb_refusing):
    # Read in part, 规范性文件's newest is 2022-03-21 (208 days before as-of) and 公共企事业单位
    # lists nothing; both lists declare more than came back, so neither is judged.
    assert not [f for f in hanweb_refusing.findings if f["rule"] in ("column.empty", "column.stale")]
    bulletin = (hanweb_refusing.out_dir / "technical.html").read_text("utf-8")
    assert _verdict(bulletin, "column.stale", "规章和行政规范性文件库") == "未能完整检查"
    assert _verdict(bulletin, "column.empty", "公共企事业单位信息公开专栏") == "未能完整检查"
    # What was read already settles these: 利企惠民 has fresh items, so it is neither empty nor stale.
    assert _verdict(bulletin, "column.empty", "利企惠民政策专区") == "合格"
    assert _verdict(bulletin, "column.stale", "利企惠民政策专区") == "合格"


def test_trs_pager_links_beat_the_page_names_the_script_would_guess(tmp_path):
    """createPageHTML('page_div', 3, k, …) counting pages from 1 reads as files index_2, index_3,
    but the pages' own pager links say index_1.html and index_2.html: those are followed."""
    pager = (
        '<div class="page">{links}</div>'
        + "<script>createPageHTML('page_div', 3, {current}, 'index', 'html', 2);</script>"
    )

    def rows(start):
        return [
            (f"青岚县规范性文件第{n}号", f"/xxgk/gfxwj/202209/t202209{n:02d}_{n}.html", f"2022-09-{n:02d}")
            for n in range(start, start + 2)
        ]

    first = pager.format(
        current=1, links='<a href="index_1.html">2</a> <a href="index_2.html">3</a> <a href="index_1.html">下一页</a>'
    )
    second = pager.format(
        current=2, links='<a href="index.html">1</a> <a href="index_2.html">3</a> <a href="index_2.html">下一页</a>'
    )
    third = pager.format(current=3, links='<a href="index.html">1</a> <a href="index_1.html">2</a>')
    pages = {
        "/index.html": page("青岚县人民政府", '<a href="/xxgk/gfxwj/index.html">规范性文件</a>'),
        "/xxgk/gfxwj/index.html": list_page("规范性文件", rows(1), extra=first),
        "/xxgk/gfxwj/index_1.html": list_page("规范性文件", rows(3), extra=second),
        "/xxgk/gfxwj/index_2.html": list_page("规范性文件", rows(5), extra=third),
    }
    for n in range(1, 7):
        pages[f"/xxgk/gfxwj/202209/t202209{n:02d}_{n}.html"] = page(f"青岚县规范性文件第{n}号", "<p>正文。</p>")
    result = audit_pages(tmp_path, pages)
    assert result.returncode == 0, result.stderr
    db = readable(sqlite3.connect(result.db_url.removeprefix("sqlite:///")))
    base = result.base_url.rstrip("/")
    fetched = {
        url.removeprefix(base): status
        for url, status in db.execute("SELECT url, status FROM page WHERE url LIKE ?", (base + "/xxgk/gfxwj/index%",))
    }
    assert fetched == {"/xxgk/gfxwj/index.html": 200, "/xxgk/gfxwj/index_1.html": 200, "/xxgk/gfxwj/index_2.html": 200}
    assert _list_reads(result)["gfxwj"] == ("/xxgk/gfxwj/index.html", None, 3, 6, 3, True, None)


def _hostile_portal(tmp_path):
    """Required columns whose lists state absurd sizes, and one whose datastore never closes."""
    items = [
        (f"测试县关于基本目录事项的通知（{n}）", f"/jbml/202209/t202209{n:02d}_{n}.html", f"2022-09-{n:02d}")
        for n in range(1, 4)
    ]
    gfxwj_rows = [("测试县规范性文件第1号", "/gfxwj/202209/t20220901_11.html", "2022-09-01")]
    datastore = (
        '<div id="9"><script type="text/xml"><datastore><totalrecord>99999999999</totalrecord><recordset>'
        '<record><![CDATA[<li><a href="/art/2022/9/1/art_9_1.html">测试县许可事项清单</a><span>2022-09-01</span></li>]]>'
        "</record></recordset></datastore></script><script>$('#9').jpage({perPage:15,groupSize:3,"
        "totalRecord:99999999999,ajaxParam:{columnid:9,unitid:'9'}});</script></div>"
    )
    unclosed = "<datastore><recordset><record><![CDATA[<li><a href='/art/2022/1/1/art_1_1.html'>x</a></li>" * 14_000
    pages = {
        "/index.html": page(
            "测试县人民政府",
            '<a href="/gfxwj/index.html">规范性文件</a><a href="/lqhm/index.html">利企惠民政策</a>'
            '<a href="/col/col9/index.html">行政许可事项清单</a><a href="/ggqsy/index.html">公共企事业单位信息公开</a>'
            '<a href="/jbml/index.html">基本目录</a>',
        ),
        "/gfxwj/index.html": list_page(
            "规范性文件", gfxwj_rows, extra="<script>createPageHTML(99999999999, 0, 'index', 'html');</script>"
        ),
        "/lqhm/index.html": list_page(
            "利企惠民政策",
            [("测试县惠企政策", "/lqhm/202209/t20220902_21.html", "2022-09-02")],
            extra="<script>var maxPageNum = 99999999999; var purl = 'list';</script>",
        ),
        "/col/col9/index.html": page("行政许可事项清单", datastore),
        "/ggqsy/index.html": page("公共企事业单位信息公开", f'<script type="text/xml">{unclosed}</script>'),
        "/jbml/index.html": list_page("政府信息公开基本目录", items),
    }
    for _, href, _ in items + gfxwj_rows:
        pages[href] = page("通知", "<p>正文。</p>")
    return pages


def test_hostile_list_sizes_and_unclosed_datastores_are_read_in_bounded_time(tmp_path):
    import time

    from portal_kit import write_portal

    root = write_portal(tmp_path / "site", _hostile_portal(tmp_path))
    assert (root / "ggqsy" / "index.html").stat().st_size > 1_100_000
    portal = PortalServer(root)
    # The jpage server answers every range with the same single record.
    install_dataproxy(portal)
    started = time.monotonic()
    with portal:
        result = audit_server(portal, tmp_path)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert elapsed < 90, elapsed
    db = readable(sqlite3.connect(result.db_url.removeprefix("sqlite:///")))
    base = result.base_url.rstrip("/")

    def fetched(pattern: str) -> int:
        return db.execute("SELECT count(*) FROM page WHERE url LIKE ?", (base + pattern,)).fetchone()[0]

    # A few pages ahead are asked for; none answers, so asking stops there.
    assert fetched("/gfxwj/index%") <= 5 and fetched("/lqhm/list%") <= 4 and fetched(DATAPROXY + "%") <= 2
    # The crawl went on: the normal column's items were read.
    assert fetched("/jbml/202209/%") == 3
    reads = _list_reads(result)
    assert reads["gfxwj"][2] == 99999999999 and reads["gfxwj"][5] is False
    assert reads["lqhm"][2] == 99999999999 and reads["lqhm"][5] is False
    assert reads["xzxk"][1] == 99999999999 and reads["xzxk"][5] is False
    assert reads["jbml"][5] is True


def test_a_finding_no_longer_judged_for_a_list_read_short_is_not_called_fixed(tmp_path):
    """2023Q2, the whole 规范性文件 list read: newest 2022-09-19, column.stale. 2023Q3 the dataproxy
    stops answering and only 4 old records are read: the rule does not judge, and last quarter's
    finding is 未检查 (not re-checked), never 已整改."""
    layouts = {"1002": ColumnLayout(embedded=4, per_page=4, group_size=1, oldest_first=True)}
    root = hanweb_variant(tmp_path / "site", layouts)
    for as_of, behaviour in (("2023-06-30", {}), ("2023-09-30", {"refuse_from": 1})):
        portal = PortalServer(root)
        install_dataproxy(portal, **behaviour)
        with portal:
            result = audit_server(portal, tmp_path, as_of=as_of)
        assert result.returncode == 0, result.stderr
        stale = [f for f in result.findings if f["rule"] == "column.stale" and f["column"] == "gfxwj"]
        assert len(stale) == (1 if as_of == "2023-06-30" else 0)
    bulletin = (result.out_dir / "technical.html").read_text("utf-8")
    fixed = bulletin[bulletin.index("（一）已整改") : bulletin.index("（二）仍未整改")]
    unchecked = bulletin[bulletin.index("（三）未能复查") : bulletin.index("<h2>约谈建议")]
    assert "「规章和行政规范性文件库」栏目最新信息发布于" not in fixed
    assert "「规章和行政规范性文件库」栏目最新信息发布于" in unchecked
