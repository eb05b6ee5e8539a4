"""The office's sample registers (docs/registers/) imported for 2022Q3 into the database of a small
portal's audit as of 2022-10-15, through the real CLI."""

from __future__ import annotations

from pathlib import Path

from portal_kit import audit_pages, govaudit, page

DOCS = Path(__file__).resolve().parents[2] / "docs" / "registers"
MEDIA_XLSX = DOCS / "media-accounts.xlsx"
MEDIA_CSV = DOCS / "media-accounts.csv"
HOTLINE_CSV = DOCS / "hotline-tickets.csv"
MESSAGES_CSV = DOCS / "messages.csv"

SMALL_PORTAL = {
    "/": page(
        "测试县人民政府", '<ul><li><a href="/news/1.html">县政府召开常务会议</a><span>2022-10-12</span></li></ul>'
    ),
    "/news/1.html": page(
        "县政府召开常务会议", "<h1>县政府召开常务会议</h1><p>发布日期：2022-10-12</p><p>会议研究了有关事项。</p>"
    ),
}


def import_register(kind: str, path: Path, db_url: str, quarter: str = "2022Q3"):
    return govaudit(kind, "import", str(path), "--quarter", quarter, "--db", db_url)


def audit_with_registers(work: Path, *files: tuple[str, Path], as_of: str = "2022-10-15"):
    db_url = f"sqlite:///{work / 'audit.sqlite'}"
    for kind, path in files:
        done = import_register(kind, path, db_url)
        assert done.returncode == 0, done.stderr
    return audit_pages(work, SMALL_PORTAL, as_of=as_of)


def register_section(html: str, title: str) -> str:
    """A register's section of technical.html (where the registers' tables went with the body rewrite)."""
    start = html.index(f"<h2>{title}</h2>")
    end = html.find("<h2>", start + 4)
    return html[start : end if end > 0 else len(html)]
