"""link.broken: every href/src answers; one finding per target, naming the pages that link it."""

import json
import socket
import time

import pytest
from portal_kit import govaudit, page, write_portal

from audit.cli.demo.server import PortalResponse, PortalServer


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Off-site and gone: a name that does not resolve. (A closed port on 127.0.0.1 is another internal
# address: audited from inside, as every served portal here is, such a link is not checked at all.)
DEAD = "http://gone.example.invalid/gone.html"
INSIDE = f"http://127.0.0.1:{_closed_port()}/oa.html"

PAGES = {
    "/index.html": page(
        "首页",
        (
            '<a href="/a.html">页面甲</a><a href="/b.html">页面乙</a><a href="/nothere.html">失效栏目</a>'
            '<a href="/moved">已迁移</a><a href="/slow">慢速页面</a><a href="javascript:void(0)">脚本</a>'
            '<a href="mailto:office@example.gov.cn">邮箱</a><a href="tel:08761234567">电话</a><a href="#top">顶部</a>'
            '<ul><li><a href="/a.html">页面甲</a><span>2022-10-10</span></li></ul>'
        ),
    ),
    "/a.html": page(
        "页面甲",
        (
            f'<img src="/img/banner.png"><a href="/files/gone.pdf">附件.pdf</a><a href="{DEAD}">外部链接</a><a href="{INSIDE}">内网系统</a>'
            '<a href="/headless.html">只接受GET</a><a href="/nothere.html">失效栏目</a><a href="/files/ok.pdf">附件二</a>'
            '<form action="/nosuchform.do"><input name="q"></form>'
        ),
    ),
    "/b.html": page("页面乙", '<a href="/a.html#sec2">页面甲第二节</a><script src="/js/missing.js"></script>'),
    "/files/ok.pdf": "%PDF-1.4 small",
    "/_headers.json": json.dumps(
        {"/img/banner.png": {"status": 500}, "/moved": {"status": 301, "Location": "/b.html"}}
    ),
}


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    work = tmp_path_factory.mktemp("links")
    root = write_portal(work / "site", PAGES)
    server = PortalServer(root)

    def slow(request):
        time.sleep(1.5)
        return PortalResponse(200, {"Content-Type": "text/html; charset=utf-8"}, page("慢", "<p>慢</p>").encode())

    def get_only(request):
        if request.method == "HEAD":
            return PortalResponse(405, {})
        return PortalResponse(
            200, {"Content-Type": "text/html; charset=utf-8"}, page("只接受GET", "<p>ok</p>").encode()
        )

    server.add_route("GET", "/slow", slow)
    server.add_route("HEAD", "/headless.html", get_only)
    server.add_route("GET", "/headless.html", get_only)
    server.start()
    try:
        done = govaudit(
            "audit",
            server.base_url,
            "--as-of",
            "2022-10-15",
            "--out",
            str(work / "out"),
            "--db",
            f"sqlite:///{work / 'a.sqlite'}",
            "--quiet",
            "--timeout",
            "5",
        )
        base = server.base_url
    finally:
        server.stop()
    assert done.returncode == 0, done.stderr
    findings = json.loads((work / "out" / "findings.json").read_text("utf-8"))
    return base, {f["url"]: f for f in findings if f["rule"] == "link.broken"}


def test_fires_once_per_broken_target(broken):
    base, found = broken
    assert set(found) == {
        base + "nothere.html",
        base + "files/gone.pdf",
        base + "img/banner.png",
        base + "js/missing.js",
        DEAD,
    }


def test_lists_every_linking_page_and_flags_the_home_page(broken):
    base, found = broken
    nothere = found[base + "nothere.html"]
    assert nothere["message"] == "首页存在不可用链接（HTTP 404）"
    assert "（含首页）" in nothere["evidence"] and base + "a.html" in nothere["evidence"]
    assert found[base + "files/gone.pdf"]["message"] == "页面存在不可用链接（HTTP 404）"
    assert found[base + "img/banner.png"]["message"] == "页面存在不可用链接（HTTP 500）"
    assert "域名解析失败" in found[DEAD]["message"]


def test_quiet_for_redirects_get_only_servers_slow_answers_and_non_links(broken):
    base, found = broken
    for quiet in ("moved", "b.html", "headless.html", "slow", "files/ok.pdf", "a.html", "nosuchform.do"):
        assert base + quiet not in found
    assert not [url for url in found if not url.startswith("http")]
    # Audited from inside a network, a link to another internal address was not checked: not broken.
    assert INSIDE not in found
