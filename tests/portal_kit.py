"""Small portals for tests: pages written to a folder, served on 127.0.0.1, audited by the real CLI."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from html import escape
from pathlib import Path

from audit.cli.demo.server import PortalServer, serve_portal


def page(title: str, body: str, *, meta: str = "") -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(title)}_测试县人民政府</title>{meta}</head>'
        f'<body><div class="header"><a href="/">首页</a></div><div class="main">{body}</div>'
        f'<div class="footer">主办：测试县人民政府办公室</div></body></html>'
    )


def list_page(title: str, rows: list[tuple[str, str, str | None]], extra: str = "") -> str:
    """A column list page; rows are (title, href, date shown or None)."""
    items = "".join(
        f'<li><a href="{href}" title="{escape(text)}">{escape(text)}</a>'
        + (f"<span>{shown}</span>" if shown else "")
        + "</li>"
        for text, href, shown in rows
    )
    return page(title, f'<h2>{escape(title)}</h2>{extra}<ul class="list">{items}</ul>')


def doc_page(
    title: str,
    *,
    doc_number: str | None = None,
    published: str = "2022-08-15",
    body: str = "",
    label_line: str = "",
    metadata_extra: str = "",
) -> str:
    """A 政府信息公开 detail page with a metadata table, a body and an optional label line."""
    number_row = f"<tr><th>文号：</th><td>{doc_number}</td></tr>" if doc_number else ""
    metadata = (
        f'<table class="meta"><tr><th>索引号：</th><td>11532625MB0000000X/2022-00001</td>'
        f"<th>发布机构：</th><td>测试县人民政府办公室</td></tr>{number_row}"
        f"<tr><th>发布日期：</th><td>{published}</td></tr>{metadata_extra}</table>"
    )
    label = f"<p>{label_line}</p>" if label_line else ""
    text = body or "<p>各乡（镇）人民政府，县直各部门：现将有关事项通知如下。</p>"
    return page(title, f'{metadata}<h1>{escape(title)}</h1><div class="content">{text}{label}</div>')


@dataclass
class AuditResult:
    returncode: int
    stdout: str
    stderr: str
    findings: list[dict]
    base_url: str
    out_dir: Path
    db_url: str

    def of(self, rule: str) -> list[dict]:
        return [f for f in self.findings if f["rule"] == rule]

    def paths(self, rule: str) -> set[str]:
        """The URL paths (after the portal's base) the rule fired on."""
        return {f["url"][len(self.base_url) - 1 :] for f in self.of(rule)}


def govaudit(
    *args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 300
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "audit.cli", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=timeout
    )


def signal_when_stored(process: subprocess.Popen, db: Path, pages: int, signum: int) -> int:
    """Send `signum` to a running audit once it has stored `pages` pages in `db` (mid-crawl); the
    number of pages stored then."""
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
        try:
            with sqlite3.connect(db) as conn:
                stored = conn.execute("select count(*) from page").fetchone()[0]
        except sqlite3.Error:
            continue
        if stored >= pages:
            process.send_signal(signum)
            break
    return stored


def write_portal(root: Path, pages: dict[str, str]) -> Path:
    for path, html in pages.items():
        target = root / path.lstrip("/")
        if path.endswith("/"):
            target = target / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    return root


def audit_folder(root: Path, work: Path, *args: str, as_of: str = "2022-10-15") -> AuditResult:
    """Serve `root` on 127.0.0.1 and audit it with `govaudit audit`; findings read from findings.json."""
    out_dir = work / "out"
    work.mkdir(parents=True, exist_ok=True)  # govaudit refuses a database in a folder that does not exist
    db_url = f"sqlite:///{work / 'audit.sqlite'}"
    with serve_portal(root) as portal:
        done = govaudit(
            "audit", portal.base_url, "--as-of", as_of, "--out", str(out_dir), "--db", db_url, "--quiet", *args
        )
        base_url = portal.base_url
    findings_file = out_dir / "findings.json"
    findings = json.loads(findings_file.read_text("utf-8")) if findings_file.exists() else []
    return AuditResult(done.returncode, done.stdout, done.stderr, findings, base_url, out_dir, db_url)


def audit_pages(work: Path, pages: dict[str, str], *args: str, as_of: str = "2022-10-15") -> AuditResult:
    return audit_folder(write_portal(work / "site", pages), work, *args, as_of=as_of)


def audit_server(portal: PortalServer, work: Path, *args: str, as_of: str = "2022-10-15") -> AuditResult:
    """Audit an already running portal server (one with extra routes, e.g. a CMS's POST endpoint)."""
    out_dir = work / "out"
    db_url = f"sqlite:///{work / 'audit.sqlite'}"
    done = govaudit("audit", portal.base_url, "--as-of", as_of, "--out", str(out_dir), "--db", db_url, "--quiet", *args)
    findings_file = out_dir / "findings.json"
    findings = json.loads(findings_file.read_text("utf-8")) if findings_file.exists() else []
    return AuditResult(done.returncode, done.stdout, done.stderr, findings, portal.base_url, out_dir, db_url)
