"""A column whose rows a script loads from a JSON endpoint (gkmlpt /api/all/{id}?page=&sid=, $.ajax,
fetch) is read as a browser user sees it: its rows, dates and further pages, on the real crawl."""

import json
from urllib.parse import parse_qs

import pytest
from portal_kit import audit_server, doc_page, page, write_portal

from audit.cli.demo.server import PortalResponse, PortalServer

SCRIPT = """<script src="/js/jquery.js"></script><script>
$.ajax({url: "/count/visit.do?channel=7"});
function load(pageNo) { $.ajax({url: "/gkmlpt/api/all/7", type: "GET", data: {page: pageNo, sid: "755"},
  success: function (d) { render(d); } }); }
load(1);</script>"""


def _home() -> str:
    return page(
        "首页",
        '<a href="/xxgk/gfxwj/">规范性文件</a>'
        '<ul class="news"><li><a href="/news/1.html">县政府召开常务会议</a><span>2022-10-10</span></li></ul>',
    )


def _documents(dates: list[str]) -> dict[str, str]:
    pages = {
        "/index.html": _home(),
        "/news/1.html": page("县政府召开常务会议", "<p>会议。</p>"),
        "/xxgk/gfxwj/": page("规范性文件", f'<h2>规范性文件</h2><ul id="list"></ul><div id="pager"></div>{SCRIPT}'),
    }
    for number, shown in enumerate(dates, 1):
        label = "（此件不公开）" if number == 4 else "（此件公开发布）"
        pages[f"/xxgk/gfxwj/content/post_{number}.html"] = doc_page(
            f"测试县第{number}号规范性文件", doc_number=f"测政规〔2022〕{number}号", published=shown, label_line=label
        )
    return pages


def _serve(tmp_path, dates: list[str], page_size: int = 3) -> tuple[PortalServer, list[str]]:
    asked: list[str] = []

    def api(request):
        asked.append(request.query)
        query = parse_qs(request.query)
        if query.get("sid") != ["755"]:
            return PortalResponse(400, {"Content-Type": "application/json"}, b'{"error": "sid"}')
        number = int(query.get("page", ["1"])[0])
        rows = [
            {
                "id": n,
                "title": f"测试县第{n}号规范性文件",
                "url": f"/xxgk/gfxwj/content/post_{n}.html",
                "publish_time": f"{dates[n - 1]} 09:00:00",
            }
            for n in range((number - 1) * page_size + 1, min(number * page_size, len(dates)) + 1)
        ]
        body = {"total": len(dates), "page_size": page_size, "articles": rows}
        return PortalResponse(
            200, {"Content-Type": "application/json;charset=utf-8"}, json.dumps(body, ensure_ascii=False).encode()
        )

    portal = PortalServer(write_portal(tmp_path / "site", _documents(dates)))
    portal.add_route("GET", "/gkmlpt/api/all/7", api)
    return portal.start(), asked


@pytest.fixture
def served(tmp_path):
    portals = []

    def start(dates):
        portal, asked = _serve(tmp_path, dates)
        portals.append(portal)
        return portal, asked

    yield start
    for portal in portals:
        portal.stop()


def test_rows_loaded_by_script_are_read_across_all_pages(served, tmp_path):
    portal, asked = served(
        ["2022-09-20", "2022-09-01", "2022-08-15", "2022-08-01", "2022-07-20", "2022-06-30", "2022-06-01"]
    )
    result = audit_server(portal, tmp_path, "--column", "gfxwj")
    assert result.returncode == 0, result.stderr
    assert sorted(parse_qs(query)["page"][0] for query in asked) == ["1", "2", "3"]
    assert "条目 7" in result.stdout and "最新 2022-09-20" in result.stdout
    # The documents the script lists are judged: the one labelled 此件不公开 is found.
    assert result.paths("label.not_public") == {"/xxgk/gfxwj/content/post_4.html"}
    assert result.of("column.empty") == [] and result.of("column.stale") == []


def test_a_script_loaded_list_that_is_old_is_stale(served, tmp_path):
    portal, _ = served(["2021-11-02", "2021-06-01", "2021-03-15"])
    result = audit_server(portal, tmp_path, "--column", "gfxwj")
    [stale] = result.of("column.stale")
    assert stale["column"] == "gfxwj"
    assert result.of("column.empty") == []


def test_a_script_loaded_list_with_no_rows_is_blank(served, tmp_path):
    portal, _ = served([])
    result = audit_server(portal, tmp_path, "--column", "gfxwj")
    [empty] = result.of("column.empty")
    assert empty["column"] == "gfxwj"
