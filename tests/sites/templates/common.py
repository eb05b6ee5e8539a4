"""What the templates share: the seeded problems and traps (written once, placed in each
family's own markup), the 网页标签 every article carries, and the audit of a built template."""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from audit.cli.demo.server import PortalServer
from portal_kit import AuditResult, audit_server
from rule_cases.portals_privacy import bad_check, pdf_bytes, people_table, with_check

AS_OF = "2022-10-15"
# Valid under GB 11643 (the 低保 leak); failing the checksum (a 项目编号 trap); masked (shown rightly).
LEAKED_IDS = (with_check("44152319780211302"), with_check("44152319850917154"))
FAILING_CHECKSUM = bad_check("44152319910305201")
MASKED = ("441523********3021", "4415231985****1546")
REQUIRED_COLUMNS = ("lqhm", "jbml", "gfxwj", "ggqsy", "xzxk")
SECTORS = ("教育", "卫生健康", "供水", "供电", "供气", "环境保护", "公共交通")


def article_meta(site: str, column: str, title: str, published: str, source: str | None = None) -> str:
    """The 网页标签 of an article page (政府网站发展指引), with <meta name="ContentSource"> when given."""
    tags = {"SiteName": site, "SiteDomain": "127.0.0.1", "SiteIDCode": "4415230001", "ColumnName": column,
            "ArticleTitle": title, "PubDate": published}
    if source:
        tags["ContentSource"] = source
    return "".join(f'<meta name="{name}" content="{escape(value)}">' for name, value in tags.items())


def leak_table() -> str:
    rows = [("1", "陈某", LEAKED_IDS[0], "东岸村", "3"), ("2", "黄某", LEAKED_IDS[1], "西岸村", "2")]
    return people_table(rows, ("序号", "户主姓名", "身份证号码", "村（社区）", "保障人数"))


def masked_table() -> str:
    """Masked IDs and an 18-digit 项目编号 that fails the ID checksum: nothing to report."""
    rows = [("1", "林某", MASKED[0], FAILING_CHECKSUM), ("2", "吴某", MASKED[1], "—")]
    return people_table(rows, ("序号", "姓名", "身份证号码", "项目编号"))


def attachment_pdf(title: str) -> bytes:
    return pdf_bytes([title, "第一条 为规范管理，制定本办法。"])


@dataclass
class Template:
    """A built template: its folder, the routes its scripts call, and what the audit must find."""

    root: Path
    routes: dict[tuple[str, str], object] = field(default_factory=dict)
    # (rule id, URL path) of every seeded problem: the audit must find exactly these.
    seeded: set[tuple[str, str]] = field(default_factory=set)
    # The path of the ID-leak page and the unit its 来源 names.
    leak: tuple[str, str] = ("", "")
    # column → first list page path whose list must be read whole (declared = read).
    lists: dict[str, str] = field(default_factory=dict)

    def audit(self, work: Path) -> AuditResult:
        portal = PortalServer(self.root)
        for (method, path), handler in self.routes.items():
            portal.add_route(method, path, handler)
        with portal:
            result = audit_server(portal, work, as_of=AS_OF)
        assert result.returncode == 0, result.stderr
        return result


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for path, content in files.items():
        target = root / path.lstrip("/")
        if path.endswith("/"):
            target = target / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return root


def found(result: AuditResult) -> set[tuple[str, str]]:
    """(rule id, URL path) of every finding; a site-wide finding keeps its whole URL."""
    base = result.base_url.rstrip("/")
    return {(f["rule"], (f.get("url") or "").removeprefix(base)) for f in result.findings}


def list_reads(result: AuditResult) -> dict[str, dict]:
    db = sqlite3.connect(result.db_url.removeprefix("sqlite:///"))
    db.row_factory = sqlite3.Row
    base = result.base_url.rstrip("/")
    reads = {}
    for row in db.execute("SELECT * FROM list_read"):
        entry = dict(row)
        entry["url"] = entry["url"].removeprefix(base)
        reads.setdefault(entry["column"], []).append(entry)
    return reads


def per_rule(seeded: set[tuple[str, str]], got: set[tuple[str, str]]) -> dict[str, tuple[int, int, int]]:
    """rule → (seeded, found of those, false findings): the recall and precision figures."""
    rules = {rule for rule, _ in seeded | got}
    return {rule: (len({s for s in seeded if s[0] == rule}), len({s for s in seeded & got if s[0] == rule}),
                   len({g for g in got - seeded if g[0] == rule})) for rule in sorted(rules)}


def dump(result: AuditResult) -> str:
    return json.dumps([(f["rule"], f.get("url"), f.get("message")) for f in result.findings], ensure_ascii=False,
                      indent=1)


def check_template(template: Template, result: AuditResult) -> None:
    """What every template test asserts: each seeded problem found, nothing else found, each list
    read whole (declared = read), the ID leak charged to the unit its 来源 names."""
    got = found(result)
    assert got - template.seeded == set(), f"false findings: {sorted(got - template.seeded)}\n{dump(result)}"
    assert template.seeded - got == set(), f"missed: {sorted(template.seeded - got)}\n{dump(result)}"
    reads = list_reads(result)
    for column, path in template.lists.items():
        [read] = [entry for entry in reads[column] if entry["url"] == path]
        assert read["complete"] and read["shortfall"] is None, (column, read)
        if read["declared_records"] is not None:
            assert read["items_read"] == read["declared_records"], (column, read)
        if read["declared_pages"] is not None:  # pages read count the column page a list API answers for
            assert read["pages_read"] >= read["declared_pages"], (column, read)
    base = result.base_url.rstrip("/")
    [leak] = [f for f in result.of("privacy.id_number") if f["url"] == base + template.leak[0]]
    assert leak["units"] == [template.leak[1]]
