"""Rendering the list pages a script fills: the page holds an empty list box and a script the
reading cannot follow (a bundled script, a URL built by concatenation), so a browser user sees rows
that the served HTML does not hold. Such a page is rendered once in headless Chromium and its
rendered DOM is read instead.

The browser may reach the page's own origin and nothing else (crawler.reading.browser): the
crawl's SSRF policy holds, and a script's request to another host or port goes nowhere. Renders
are bounded per site (`crawl.render_pages`) and in time (`crawl.render_seconds` each); a page that
could not be rendered keeps its list unread — recorded as read short, so the rules that need the
whole list leave the column 未检查 rather than call it empty.
"""

from __future__ import annotations

import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from crawler.reading.browser import find_chromium, headless_flags, run_browser

# A rendered page is read like a served one: no bigger than this.
RENDERED_BYTES = 8 * 1024 * 1024
# Virtual time a page's scripts get to fill it: timers run ahead, network waits are real.
SCRIPT_MILLISECONDS = 8000


@dataclass(frozen=True)
class Rendered:
    """A render's outcome: the DOM as the browser left it (UTF-8), or why there is none."""

    dom: bytes | None
    failure: str | None = None


class PageRenderer:
    """Renders at most `pages` pages of a site, each within `seconds`. Called from a thread."""

    def __init__(self, pages: int, seconds: float, user_agent: str):
        self.pages, self.seconds, self.user_agent = pages, seconds, user_agent
        self.used = 0
        self._lock = threading.Lock()

    def render(self, url: str) -> Rendered:
        chromium = find_chromium()
        if chromium is None:
            return Rendered(None, "列表由脚本加载，未找到 Chromium，未能读取")
        with self._lock:
            if self.used >= self.pages:
                return Rendered(
                    None, f"列表由脚本加载，已达每站渲染{self.pages}页的上限（crawl.render_pages），未能读取"
                )
            self.used += 1
        parts = urlsplit(url)
        origin = (parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
        with tempfile.TemporaryDirectory(prefix="govaudit-render-") as scratch:
            command = [
                chromium,
                *headless_flags(str(Path(scratch) / "profile"), origin),
                f"--user-agent={self.user_agent}",
                "--dump-dom",
                f"--virtual-time-budget={SCRIPT_MILLISECONDS}",
                url,
            ]
            run = run_browser(command, scratch, self.seconds, RENDERED_BYTES)
        if run.returncode is None:
            return Rendered(None, f"列表由脚本加载，渲染超过{self.seconds:g}秒，未能读取")
        if run.returncode != 0 or not run.stdout.strip():
            return Rendered(None, "列表由脚本加载，浏览器未能渲染，未能读取")
        return Rendered(run.stdout)
