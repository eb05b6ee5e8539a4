"""The portal whose lists a bundled script draws (tests/sites/templates/bundled.py), audited by the
real CLI: with Chromium, the list pages are rendered (the site's own address only) and every seeded
problem is found — the blank and the stale column among them; without a browser, the script-drawn
lists are recorded as unread and their columns are 未检查, never reported empty or stale."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sites.templates import bundled
from sites.templates.common import check_template, found, list_reads

from crawler.reading.browser import find_chromium


class _Counter(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 — http.server's name
        self.hits.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def counter():
    """Another service on this machine that the platform's script reports visits to."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


def _audit(tmp_path_factory, counter, name: str):
    work = tmp_path_factory.mktemp(name)
    template = bundled.build(work / "site", counter.server_address[1])
    return template, template.audit(work)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, counter):
    if find_chromium() is None:
        pytest.skip("Chromium is not installed")
    return _audit(tmp_path_factory, counter, "bundled")


@pytest.fixture(scope="module")
def without_browser(tmp_path_factory, counter):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GOVAUDIT_CHROMIUM", "/nonexistent/chromium")
        return _audit(tmp_path_factory, counter, "bundled-no-browser")


def test_rendered_lists_give_every_seeded_problem_and_nothing_else(rendered):
    check_template(*rendered)


def test_the_rendered_lists_are_read_and_nothing_else_is_reached(rendered, counter):
    _, result = rendered
    reads = list_reads(result)
    [jbml] = reads["jbml"]
    assert (jbml["items_read"], jbml["complete"], jbml["shortfall"]) == (5, 1, None)
    assert counter.RequestHandlerClass.hits == []


def test_without_a_browser_the_drawn_columns_are_unchecked_not_empty(without_browser):
    template, result = without_browser
    assert result.returncode == 0, result.stderr
    got = found(result)
    assert got - template.seeded == set(), got - template.seeded
    assert not {rule for rule, _ in got} & {"column.empty", "column.stale"}
    reads = list_reads(result)
    for column in ("jbml", "ggqsy", "xzxk"):
        [read] = reads[column]
        assert not read["complete"] and "未找到 Chromium" in read["shortfall"], read
    # What was served as HTML is still judged: the 规范性文件 without a label.
    assert ("label.missing", "/xxgk/gfxwj/content_7204.html") in got
