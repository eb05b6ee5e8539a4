"""A 公共企事业单位 专栏 whose list was read short of what it declares is not charged with missing
sectors: the rows that did not come back may be theirs (the sector check is 未能完整检查, as the
blank and stale checks are). Read whole, the same 专栏 is charged."""

import json
from urllib.parse import parse_qs

from portal_kit import audit_server, page, write_portal

from audit.cli.demo.server import PortalResponse, PortalServer

SECTOR_ROWS = [
    "县第一中学招生公告",
    "县人民医院收费公示",
    "县自来水公司水质公告",
    "县供电公司停电计划",
    "县燃气公司安全提示",
    "县生态环境监测公告",
    "县公交线路调整公告",
]
SCRIPT = (
    '<ul class="list" id="list"></ul><script>function load(p){ $.ajax({url: "/api/ggqsy/list", '
    "data: {page: p, pageSize: 3}}); } load(1);</script>"
)


def _audit(tmp_path, refuse_from: int, rows: list[str]):
    def api(request):
        number = int(parse_qs(request.query).get("page", ["1"])[0])
        if number >= refuse_from:
            return PortalResponse(404, {"Content-Type": "text/plain"}, b"gone")
        chosen = rows[(number - 1) * 3 : number * 3]
        body = {
            "total": len(rows),
            "pageSize": 3,
            "list": [
                {"title": title, "url": f"/ggqsy/{rows.index(title) + 1}.html", "publishDate": "2022-09-20"}
                for title in chosen
            ],
        }
        return PortalResponse(200, {"Content-Type": "application/json"}, json.dumps(body, ensure_ascii=False).encode())

    pages = {
        "/index.html": page(
            "首页",
            '<a href="/ggqsy/">公共企事业单位信息公开</a>'
            '<ul><li><a href="/n/1.html">要闻</a><span>2022-10-10</span></li></ul>',
        ),
        "/n/1.html": page("要闻", "<p>内容</p>"),
        "/ggqsy/": page("公共企事业单位信息公开", f"<h2>公共企事业单位信息公开</h2>{SCRIPT}"),
    }
    for n, title in enumerate(rows, 1):
        pages[f"/ggqsy/{n}.html"] = page(title, f"<h1>{title}</h1><p>发布时间：2022-09-20</p>")
    portal = PortalServer(write_portal(tmp_path / "site", pages))
    portal.add_route("GET", "/api/ggqsy/list", api)
    with portal:
        result = audit_server(portal, tmp_path, "--column", "ggqsy")
    assert result.returncode == 0, result.stderr
    return result


def test_a_list_read_short_is_not_charged_with_missing_sectors(tmp_path):
    # Page 1 (教育, 卫生, 供水) came back; pages 2 and 3 (the other four sectors) did not.
    result = _audit(tmp_path, refuse_from=2, rows=SECTOR_ROWS)
    assert result.of("entity.sector_missing") == []
    assert result.of("column.empty") == []


def test_read_whole_the_missing_sectors_are_charged(tmp_path):
    result = _audit(tmp_path, refuse_from=99, rows=SECTOR_ROWS[:3] + ["县第二中学招生公告"])
    [finding] = result.of("entity.sector_missing")
    assert "供电、供气、环境保护、公共交通" in finding["message"]
