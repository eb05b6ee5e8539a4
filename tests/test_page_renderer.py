"""crawler.crawl.render.PageRenderer's bounds: a page rendered in Chromium within its budget of pages
and seconds, each way of not rendering said in the words the coverage report prints."""

import os
import time

import pytest

from audit.cli.demo.server import PortalServer
from crawler.crawl.render import PageRenderer
from crawler.reading.browser import find_chromium

DRAWN = (
    '<html><head><meta charset="utf-8"></head><body><ul class="list" id="l"></ul><script>'
    "document.getElementById('l').innerHTML='<li><a href=\"/a.html\">已由脚本写入</a></li>';</script></body></html>"
)


@pytest.fixture
def portal(tmp_path):
    (tmp_path / "index.html").write_text(DRAWN, encoding="utf-8")
    with PortalServer(tmp_path) as server:
        yield server


@pytest.mark.skipif(find_chromium() is None, reason="Chromium is not installed")
def test_a_page_is_rendered_then_the_budget_is_spent(portal):
    renderer = PageRenderer(1, 60, "govaudit-test")
    first = renderer.render(f"{portal.base_url}index.html")
    assert first.failure is None and "已由脚本写入" in first.dom.decode("utf-8")
    second = renderer.render(f"{portal.base_url}index.html")
    assert second.dom is None and "已达每站渲染1页的上限" in second.failure


def test_a_browser_that_hangs_is_killed_at_its_time(portal, tmp_path, monkeypatch):
    hanging = tmp_path / "chromium"
    hanging.write_text("#!/bin/sh\nsleep 60\n")
    hanging.chmod(0o755)
    monkeypatch.setenv("GOVAUDIT_CHROMIUM", str(hanging))
    started = time.monotonic()
    outcome = PageRenderer(5, 1.5, "govaudit-test").render(f"{portal.base_url}index.html")
    assert outcome.dom is None and "渲染超过1.5秒" in outcome.failure
    assert time.monotonic() - started < 10


def test_no_browser_is_said_so(portal, monkeypatch):
    monkeypatch.setenv("GOVAUDIT_CHROMIUM", os.devnull + "-absent")
    outcome = PageRenderer(5, 5, "govaudit-test").render(f"{portal.base_url}index.html")
    assert outcome.dom is None and "未找到 Chromium" in outcome.failure
