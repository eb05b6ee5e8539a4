"""--screenshots: each kept copy of a problem page (reports.evidence) rendered once by headless Chromium
into a small PNG, embedded in the annex next to the problem — the 截图 the commercial monitors attach.

Only the sanitised copy on disk is rendered, never the live site, and the browser is given no way out
(crawler.reading.browser.headless_flags: every host resolves to nothing, every request goes to a closed local
proxy, no background service runs). Time is bounded per page
and in total; a page that fails or runs over leaves its row without a thumbnail and one log line.
"""

from __future__ import annotations

import base64
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from crawler.reading.browser import find_chromium, headless_flags, run_browser
from reports.data import BulletinData
from reports.render import ImageData

PAGE_SECONDS = 30
TOTAL_SECONDS = 300
# Laid out 1024 px wide, captured at half scale (Chromium's smallest): a 512 × 384 thumbnail.
WINDOW = "1024,768"
SCALE = "0.5"


def _warn(line: str) -> None:
    """One line on stderr (the command's log copies it): no traceback, the outputs go on."""
    print(line, file=sys.stderr, flush=True)


def _isolated_flags(profile: str, shot: Path) -> list[str]:
    return [
        *headless_flags(profile),
        "--hide-scrollbars",
        f"--window-size={WINDOW}",
        f"--force-device-scale-factor={SCALE}",
        f"--screenshot={shot}",
    ]


def screenshot(chromium: str, page: Path, seconds: float) -> bytes | None:
    """The PNG of `page` (a local file) as Chromium shows it, or None when it fails or takes longer
    than `seconds` (the browser and all its processes are then killed)."""
    with tempfile.TemporaryDirectory(prefix="govaudit-shot-") as scratch:
        shot = Path(scratch) / "shot.png"
        command = [chromium, *_isolated_flags(str(Path(scratch) / "profile"), shot), page.resolve().as_uri()]
        if run_browser(command, scratch, seconds).returncode != 0 or not shot.exists() or shot.stat().st_size == 0:
            return None
        return shot.read_bytes()


def with_thumbnails(
    data: BulletinData, out_dir: Path, *, page_seconds: float = PAGE_SECONDS, total_seconds: float = TOTAL_SECONDS
) -> BulletinData:
    """`data` with a thumbnail on every row whose kept copy Chromium rendered (each page once)."""
    copies = list(dict.fromkeys(row.kept_copy for row in data.rows if row.kept_copy))
    if not copies:
        return data
    chromium = find_chromium()
    if chromium is None:
        _warn("未找到 Chromium，未生成页面截图（Debian: apt-get install chromium）/ Chromium not found, no screenshots")
        return data
    deadline = time.monotonic() + total_seconds
    thumbnails: dict[str, ImageData] = {}
    failed: list[str] = []
    for number, copy in enumerate(copies):
        left = deadline - time.monotonic()
        if left <= 0:
            _warn(
                f"页面截图超过总时限 {total_seconds:g} 秒，其余 {len(copies) - number} 个页面没有截图 / "
                "screenshot time budget spent"
            )
            break
        png = screenshot(chromium, out_dir / copy, min(page_seconds, left))
        if png is None:
            failed.append(copy)
            continue
        thumbnails[copy] = ImageData("data:image/png;base64," + base64.b64encode(png).decode("ascii"))
    if failed:
        shown = "、".join(failed[:3]) + ("等" if len(failed) > 3 else "")
        _warn(
            f"{len(failed)} 个页面截图失败或超过 {page_seconds:g} 秒，没有截图：{shown} / "
            f"{len(failed)} screenshots failed"
        )
    return replace(data, rows=tuple(replace(row, thumbnail=thumbnails.get(row.kept_copy, "")) for row in data.rows))
