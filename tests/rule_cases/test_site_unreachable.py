"""site.unreachable: the home page must answer; exit status 3 when it does not."""

import json
import socket

from portal_kit import audit_pages, govaudit, page


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_fires_for_a_refused_connection_with_exit_status_3(tmp_path):
    url = f"http://127.0.0.1:{_closed_port()}/"
    done = govaudit(
        "audit", url, "--out", str(tmp_path), "--db", f"sqlite:///{tmp_path / 'a.sqlite'}", "--quiet", "--timeout", "5"
    )
    assert done.returncode == 3
    assert "Traceback" not in done.stderr
    findings = json.loads((tmp_path / "findings.json").read_text("utf-8"))
    assert [f["rule"] for f in findings] == ["site.unreachable"]
    assert findings[0]["url"] == url and "连接被拒绝" in findings[0]["message"]
    # One failed visit without probes of the quarter (govaudit watch) is to be checked again, not a veto.
    assert findings[0]["severity"] == "提示" and "首页未能访问，待复测" in findings[0]["message"]
    assert "首页未能访问，其他指标未能检查，本次不计分，待复测" in (tmp_path / "bulletin.html").read_text("utf-8")
    assert (tmp_path / "bulletin.html").exists()


def test_fires_for_a_home_page_answering_500(tmp_path):
    pages = {"/index.html": page("首页", "<p>服务器错误</p>"), "/_headers.json": '{"/": {"status": 500}}'}
    result = audit_pages(tmp_path, pages)
    assert result.returncode == 3
    [finding] = result.of("site.unreachable")
    assert "HTTP 500" in finding["message"]
    # Nothing else is judged on a site that cannot be opened.
    assert [f["rule"] for f in result.findings] == ["site.unreachable"]


def test_quiet_for_a_home_page_reached_through_redirects(tmp_path):
    pages = {
        "/index.html": page("跳转", '<meta http-equiv="refresh" content="0;url=/portal/index.html">'),
        "/portal/index.html": page(
            "首页",
            '<ul class="news"><li><a href="/n.html">新闻</a><span>2022-10-12</span></li>'
            '<li><a href="/m.html">新闻二</a><span>2022-10-11</span></li></ul>',
        ),
        "/n.html": page("新闻", "<p>内容</p>"),
        "/m.html": page("新闻二", "<p>内容</p>"),
    }
    result = audit_pages(tmp_path, pages)
    assert result.returncode == 0
    assert result.of("site.unreachable") == [] and result.of("site.stale") == []


def test_fires_for_a_200_answer_that_is_only_an_error_page(tmp_path):
    pages = {
        "/index.html": "<html><head><title>提示</title></head><body><h1>404 Not Found</h1><p>您访问的页面不存在</p></body></html>"
    }
    result = audit_pages(tmp_path, pages)
    assert result.returncode == 3
    [finding] = result.of("site.unreachable")
    assert finding["message"].startswith("首页未能访问，待复测（返回错误页面）") and "页面不存在" in finding["evidence"]
    assert [f["rule"] for f in result.findings] == ["site.unreachable"]
