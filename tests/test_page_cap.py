"""The crawl's frontier waits on disk, and a crawl stopped by --max-pages says so: in the terminal
summary and in the bulletin's 一、总体情况, with how much was read and how much was left."""

import functools
import os
import pickle
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

from portal_kit import audit_pages, page, signal_when_stored, write_portal

from audit.config import load_settings
from crawler.crawl.revalidate import StoredCopy
from crawler.crawl.spiders.portal import PortalSpider
from crawler.reading import FormRequest
from crawler.vocabulary.columns import PageRole

_NEWS = {f"/news/{n}.html": page(f"新闻{n}", f"<p>第{n}条新闻。</p>") for n in range(40)}
_PORTAL = {"/index.html": page("首页", "".join(f'<a href="/news/{n}.html">新闻{n}</a>' for n in range(40))), **_NEWS}


def _env(tmp_path):
    (tmp_path / "tmp").mkdir()
    return {**os.environ, "TMPDIR": str(tmp_path / "tmp")}


def test_a_capped_crawl_says_what_it_read_and_what_it_left(tmp_path):
    result = audit_pages(tmp_path, _PORTAL, "--max-pages", "5", "--format", "html,json")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "audit.sqlite") as conn:
        [(cap, left, stored)] = conn.execute(
            "select page_cap, pages_left, (select count(*) from page) from audit_run"
        ).fetchall()
    # Requests under way when the cap is reached still complete: read and left make up the site.
    assert cap == 5 and stored < 41 and stored + left == 41
    note = f"本次检查达到抓取上限（5个网址）后停止，尚有{left}个网址未抓取或检查，结论只依据已读取的{stored}个页面。"
    assert note in result.stdout
    bulletin = (result.out_dir / "bulletin.html").read_text("utf-8")
    overview = re.search(r"<h2>一、总体情况</h2>(.*?)<h2>", bulletin, re.S).group(1)
    assert note in overview
    # The columns may be linked from the news pages left unread: not 缺失, but 未能完整检查.
    assert result.of("column.missing") == []
    technical = (result.out_dir / "technical.html").read_text("utf-8")
    matrix = technical[technical.index("必设栏目缺失") :]
    assert "未能完整检查" in matrix[: matrix.index("</tr>")]


def test_a_crawl_that_ran_to_its_end_says_nothing_of_a_cap(tmp_path):
    work = tmp_path / "work"
    result = audit_pages(work, _PORTAL, "--format", "html,json")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(work / "audit.sqlite") as conn:
        assert conn.execute("select page_cap, pages_left from audit_run").fetchall() == [(None, None)]
        assert conn.execute("select count(*) from page").fetchone()[0] == 41
    assert "抓取上限" not in result.stdout
    assert "抓取上限" not in (result.out_dir / "bulletin.html").read_text("utf-8")
    assert "抓取上限" not in (result.out_dir / "technical.html").read_text("utf-8")
    # Every page near home was read and none links a required column: all five are missing.
    assert len(result.of("column.missing")) == 5


def test_every_request_the_spider_makes_can_wait_on_disk():
    """Scrapy keeps a request it cannot serialise in memory instead, silently: every kind the spider
    makes must survive the disk queue's pickling."""
    spider = PortalSpider(url="http://127.0.0.1:8000/", config=load_settings(None))
    copy = StoredCopy('"abc"', "Tue, 01 Dec 2026 00:00:00 GMT", None, True)
    spider.stored_copies = type("Copies", (), {"run_id": 1, "copy": staticmethod(lambda url: copy)})()
    meta = {"exclude": frozenset({"http://127.0.0.1:8000/a.html"}), "sub_level": 1, "formdata": {"page": "2"}}
    requests = [
        spider._request(
            "http://127.0.0.1:8000/xxgk/",
            clicks=1,
            column="gfxwj",
            role=PageRole.INDEX,
            via="http://127.0.0.1:8000/",
            exclude=meta["exclude"],
        ),
        spider._post(
            FormRequest("http://127.0.0.1:8000/dataproxy.jsp", {"col": "1"}),
            clicks=2,
            column="gfxwj",
            via="http://127.0.0.1:8000/xxgk/",
            meta=meta,
            list_root="http://127.0.0.1:8000/xxgk/",
        ),
        spider._check("http://127.0.0.1:8000/files/a.pdf"),
        spider._check("http://www.example.gov.cn/"),
    ]
    assert all(request is not None for request in requests)
    assert "If-None-Match" in requests[0].headers
    for request in requests:
        restored = pickle.loads(pickle.dumps(request.to_dict(spider=spider), protocol=4))
        assert restored["url"] == request.url and restored["callback"] in ("parse", "parse_attachment", "on_checked")


class _SlowHandler(SimpleHTTPRequestHandler):
    """Each answer a little late, so there is a mid-crawl to kill in."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        time.sleep(0.1)
        super().do_GET()


def test_the_frontier_is_on_disk_and_a_killed_crawl_resumes_without_it(tmp_path):
    root = write_portal(tmp_path / "site", _PORTAL)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_SlowHandler, directory=str(root)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}/"
    db = tmp_path / "audit.sqlite"
    command = [
        sys.executable,
        "-m",
        "audit.cli",
        "audit",
        base_url,
        "--as-of",
        "2022-10-15",
        "--quiet",
        "--out",
        str(tmp_path / "out"),
        "--db",
        f"sqlite:///{db}",
    ]
    env = _env(tmp_path)
    try:
        crawl = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        signal_when_stored(crawl, db, 3, signal.SIGKILL)
        crawl.wait(timeout=30)
        assert crawl.returncode == -signal.SIGKILL, "the crawl ended before it could be killed"
        [frontier] = [path for path in (tmp_path / "tmp").iterdir() if path.name.startswith("govaudit-frontier-")]
        assert (frontier / "requests.queue").is_dir()
        resumed = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    finally:
        server.shutdown()
        server.server_close()
    assert resumed.returncode == 0, resumed.stderr
    assert not frontier.exists()
    with sqlite3.connect(db) as conn:
        assert conn.execute("select status from audit_run").fetchall() == [("done",)]
        assert conn.execute("select count(*) from page").fetchone()[0] == 41
