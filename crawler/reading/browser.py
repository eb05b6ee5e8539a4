"""Headless Chromium, the one browser the tool drives: it prints and photographs the reports
(reports.pdf, reports.screenshots) and renders the list pages a script fills (crawler.crawl.render).

It is started with no background service of its own (updates, safe browsing, metrics, DNS
prediction …) and with the network closed except where the caller opens it: every name resolves
to nothing and every request goes to a closed local proxy, but for the one origin a render may
reach. A run is bounded in time and killed whole (renderer and helper processes share its session).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

# Everything Chromium would fetch on its own: component and safe-browsing updates, the connectivity
# and DNS-over-HTTPS probes (www.google.com, clients2.google.com), sync, metrics, translation,
# optimisation hints, media routing, link and DNS prediction, hyperlink-auditing pings.
_BACKGROUND_FEATURES = (
    "SafeBrowsing,SafeBrowsingEnhancedProtection,OptimizationHints,OptimizationHintsFetching,"
    "OptimizationGuideModelDownloading,MediaRouter,DialMediaRouteProvider,Translate,"
    "AutofillServerCommunication,NetworkPrediction,NetworkTimeServiceQuerying,DnsOverHttps,"
    "CertificateTransparencyComponentUpdater,InterestFeedContentSuggestions,"
    "PrivacySandboxSettings4,ComponentUpdaterCloud"
)
_QUIET = [
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
]


def find_chromium() -> str | None:
    """The browser: $GOVAUDIT_CHROMIUM, else the first of BROWSERS on PATH."""
    configured = os.environ.get("GOVAUDIT_CHROMIUM")
    if configured:
        return shutil.which(configured)
    return next((found for found in map(shutil.which, BROWSERS) if found), None)


def headless_flags(profile: str, origin: tuple[str, int] | None = None) -> list[str]:
    """Chromium without a window, with a profile of its own and the network closed: with no
    `origin` it renders local files only; with one (host, port) it may reach that origin and no
    other (a name other than the host resolves to nothing, a request elsewhere — an address,
    loopback included — goes to a closed local port)."""
    if origin is None:
        resolver, bypass = "MAP * ~NOTFOUND", "<-loopback>"
    else:
        host, port = origin
        resolver, bypass = f"MAP * ~NOTFOUND, EXCLUDE {host}", f"<-loopback>;{host}:{port}"
    flags = [
        "--headless",
        "--disable-gpu",
        "--no-first-run",
        *_QUIET,
        f"--host-resolver-rules={resolver}",
        "--proxy-server=127.0.0.1:9",
        f"--proxy-bypass-list={bypass}",
        f"--user-data-dir={profile}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags.append("--no-sandbox")  # Chromium refuses to start as root with its sandbox
    return flags


def browser_environment(scratch: str) -> dict[str, str]:
    """The environment a browser run starts with: the caller's, but Chromium's own config folder
    (where its crash reporter keeps a database whatever the profile) inside the run's scratch
    folder, so nothing is left behind — without a usable HOME it would land in the temporary
    directory, a new `.config/chromium` each run."""
    return {**os.environ, "XDG_CONFIG_HOME": os.path.join(scratch, "config")}


@dataclass(frozen=True)
class BrowserRun:
    """How a bounded browser run ended: its exit status (None when it ran out of time) and the
    first bytes of what it wrote to stdout."""

    returncode: int | None
    stdout: bytes


def run_browser(command: list[str], scratch: str, seconds: float, stdout_limit: int = 0) -> BrowserRun:
    """Run Chromium for at most `seconds` (its config folder in `scratch`, browser_environment), then
    kill it and every process it started. Its stdout goes to a scratch file (a page may dump more
    than memory should hold), of which the first `stdout_limit` bytes are returned."""
    with tempfile.TemporaryFile(prefix="govaudit-browser-") as out:
        try:
            browser = subprocess.Popen(
                command,
                stdout=out,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
                env=browser_environment(scratch),
            )
        except OSError:
            return BrowserRun(-1, b"")
        timed_out = False
        try:
            browser.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            timed_out = True
        finally:
            try:
                os.killpg(browser.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            browser.wait()
        out.seek(0)
        return BrowserRun(None if timed_out else browser.returncode, out.read(stdout_limit) if stdout_limit else b"")
