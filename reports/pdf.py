"""bulletin.pdf: the bulletin's HTML printed by headless Chromium (print-to-PDF), so the paper copy
is exactly what the stylesheet lays out — A4, the annex landscape, running header and page numbers
from the @page rules, and no browser date/URL stamps."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from reports.files import OutputError

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PRINT_TIMEOUT = 120


class PdfError(OutputError):
    """Chromium is missing or could not print the bulletin."""


def find_chromium() -> str | None:
    """The browser that prints: $GOVAUDIT_CHROMIUM, else the first of BROWSERS on PATH."""
    configured = os.environ.get("GOVAUDIT_CHROMIUM")
    if configured:
        return shutil.which(configured)
    return next((found for found in map(shutil.which, BROWSERS) if found), None)


# Everything Chromium would fetch on its own while it prints or takes a screenshot: component and
# safe-browsing updates, the connectivity and DNS-over-HTTPS probes (www.google.com,
# clients2.google.com), sync, metrics, translation, optimisation hints, media routing, link and DNS
# prediction, hyperlink-auditing pings.
_BACKGROUND_FEATURES = (
    "SafeBrowsing,SafeBrowsingEnhancedProtection,OptimizationHints,OptimizationHintsFetching,"
    "OptimizationGuideModelDownloading,MediaRouter,DialMediaRouteProvider,Translate,"
    "AutofillServerCommunication,NetworkPrediction,NetworkTimeServiceQuerying,DnsOverHttps,"
    "CertificateTransparencyComponentUpdater,InterestFeedContentSuggestions,"
    "PrivacySandboxSettings4,ComponentUpdaterCloud"
)
_NO_NETWORK = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-domain-reliability",
    "--disable-sync",
    "--no-pings",
    "--dns-prefetch-disable",
    "--metrics-recording-only",
    "--safebrowsing-disable-auto-update",
    "--disable-client-side-phishing-detection",
    "--disable-default-apps",
    "--disable-breakpad",
    "--no-default-browser-check",
    "--disable-extensions",
    f"--disable-features={_BACKGROUND_FEATURES}",
    # Only files are rendered: every name resolves to nothing, and any request that still goes out
    # (to an address, loopback included) is sent to a closed local port.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
]


def headless_flags(profile: str) -> list[str]:
    """Chromium without a window, a profile of its own, and no network at all: it renders local
    files only (the bulletin, the kept copies), so nothing it does may look up a name or connect."""
    flags = ["--headless", "--disable-gpu", "--no-first-run", *_NO_NETWORK, f"--user-data-dir={profile}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags.append("--no-sandbox")  # Chromium refuses to start as root with its sandbox
    return flags


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
