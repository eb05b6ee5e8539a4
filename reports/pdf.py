"""bulletin.pdf: the bulletin's HTML printed by headless Chromium (print-to-PDF), so the paper copy
is exactly what the stylesheet lays out — A4, the annex landscape, running header and page numbers
from the @page rules, and no browser date/URL stamps."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from crawler.reading.browser import browser_environment, find_chromium, headless_flags
from reports.files import OutputError

PRINT_TIMEOUT = 120


class PdfError(OutputError):
    """Chromium is missing or could not print the bulletin."""


def print_pdf(html_path: Path, pdf_path: Path) -> Path:
    """Print `html_path` to `pdf_path` (written beside and renamed, so a failed print leaves no
    half-written PDF)."""
    chromium = find_chromium()
    if chromium is None:
        raise PdfError(
            "未找到 Chromium，无法生成 PDF（Debian: apt-get install chromium）/ Chromium is needed for --format pdf"
        )
    partial = pdf_path.with_name(f".{pdf_path.name}.partial")
    with tempfile.TemporaryDirectory(prefix="govaudit-chromium-") as profile:
        flags = [*headless_flags(profile), "--no-pdf-header-footer", f"--print-to-pdf={partial}"]
        try:
            done = subprocess.run(
                [chromium, *flags, html_path.resolve().as_uri()],
                capture_output=True,
                text=True,
                timeout=PRINT_TIMEOUT,
                env=browser_environment(profile),
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            partial.unlink(missing_ok=True)
            raise PdfError(f"Chromium 打印失败 / Chromium could not print: {exc}") from exc
    if done.returncode != 0 or not partial.exists() or partial.stat().st_size == 0:
        partial.unlink(missing_ok=True)
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise PdfError(f"Chromium 打印失败 / Chromium could not print (exit {done.returncode}): {last}")
    os.replace(partial, pdf_path)
    return pdf_path
