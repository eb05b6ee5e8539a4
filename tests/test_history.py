"""Quarter-over-quarter tracking on the real path: the sample portal copied to a folder, audited by
the CLI over HTTP into one SQLite file, changed (one problem fixed, one added, one page gone),
audited again a quarter later, and a third time a quarter after that."""

import json
import re
import shutil
import sqlite3

import pytest
from databases import BACKENDS, fresh_database
from portal_kit import govaudit
from test_bulletin import ARTIFACTS, _chromium, _headless

from audit.cli.demo.server import SAMPLE_PORTAL, serve_portal
from audit.judging.history import comparable_url, fingerprints, site_key
from audit.store import Store

FIXED_PAGE = "/xxgk/jbml/jgzn/202206/t20220630_1046.html"  # label.missing, label added
BROKEN_PAGE = "/xxgk/gfxwj/202110/t20211008_1041.html"  # label removed → label.missing
GONE_PAGE = "/xxgk/gfxwj/202201/t20220118_1038.html"  # label.missing, file deleted → 404
STEADY_PAGE = "/xxgk/bmxxgk/nyncj/202209/t20220905_1056.html"  # label.missing throughout


def _audit(root, work, db_url, as_of, name):
    out = work / name
    with serve_portal(root) as portal:
        done = govaudit("audit", portal.base_url, "--as-of", as_of, "--out", str(out), "--db", db_url, "--quiet")
        base = portal.base_url
    assert done.returncode == 0, done.stderr
    findings = json.loads((out / "findings.json").read_text("utf-8"))
    return base, out, findings


def _states(base, findings, rule="label.missing"):
    return {f["url"][len(base) - 1 :]: f["state"] for f in findings if f["rule"] == rule}


def add_label(root):
    """The unit adds the missing 公开属性 label to FIXED_PAGE."""
    fixed = root / FIXED_PAGE.lstrip("/")
    fixed.write_text(
        fixed.read_text("utf-8").replace(
            '<p style="text-align:right">2022年6月28日</p>',
            '<p style="text-align:right">2022年6月28日</p><p>（此件公开发布）</p>',
        ),
        encoding="utf-8",
    )


@pytest.fixture(scope="module", params=BACKENDS)
def quarters(request, tmp_path_factory):
    """Three quarters of the same portal, stored in SQLite and (the same tests again) in PostgreSQL."""
    work = tmp_path_factory.mktemp("history")
    with fresh_database(request.param, work) as db_url:
        yield _three_quarters(work, db_url)


def _three_quarters(work, db_url):
    root = work / "portal"
    shutil.copytree(SAMPLE_PORTAL, root)
    q2 = _audit(root, work, db_url, "2022-07-15", "q2")
    add_label(root)
    broken = root / BROKEN_PAGE.lstrip("/")
    broken.write_text(broken.read_text("utf-8").replace("<p>（此件删减后公开）</p>", ""), encoding="utf-8")
    (root / GONE_PAGE.lstrip("/")).unlink()
    q3 = _audit(root, work, db_url, "2022-10-15", "q3")
    q4 = _audit(root, work, db_url, "2023-01-15", "q4")
    return db_url, q2, q3, q4


def test_first_audit_is_all_new(quarters):
    _, (base, _, findings), _, _ = quarters
    assert findings and {f["state"] for f in findings} == {"新增"}
    assert all(f["first_seen"] == "2022Q2" for f in findings)
    # The contract keys stay, new keys are added.
    assert {"rule", "url", "column", "severity", "message", "evidence"} <= set(findings[0])
    assert {FIXED_PAGE, GONE_PAGE, STEADY_PAGE} <= set(_states(base, findings))


def test_states_after_the_change(quarters):
    _, _, (base, out, findings), _ = quarters
    states = _states(base, findings)
    assert states[STEADY_PAGE] == "未整改"
    assert states[BROKEN_PAGE] == "新增"
    assert FIXED_PAGE not in states and GONE_PAGE not in states
    # The deleted page now answers 404: a new broken link, not a fixed label.
    assert any(f["rule"] == "link.broken" and f["url"].endswith(GONE_PAGE) and f["state"] == "新增" for f in findings)
    assert all(f["first_seen"] == "2022Q2" for f in findings if f["state"] == "未整改")
    html = (out / "technical.html").read_text("utf-8")
    fixed_section = html[html.index("（一）已整改") : html.index("（二）仍未整改")]
    unchecked_section = html[html.index("（三）未能复查") : html.index("<h2>约谈建议")]
    assert FIXED_PAGE in fixed_section and GONE_PAGE not in fixed_section
    assert GONE_PAGE in unchecked_section
    assert "暂不提出约谈建议" in html


def test_diff_prints_fixed_and_unchecked(quarters):
    db_url, *_ = quarters
    done = govaudit("diff", "1", "2", "--db", db_url)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any("[已整改]" in line and "label.missing" in line and FIXED_PAGE in line for line in lines)
    assert any("[未检查]" in line and "label.missing" in line and GONE_PAGE in line for line in lines)
    assert any("[新增]" in line and BROKEN_PAGE in line for line in lines)
    assert any("[未整改]" in line and STEADY_PAGE in line for line in lines)
    assert not any("[已整改]" in line and GONE_PAGE in line for line in lines)


def test_interview_list_after_two_quarters_unfixed(quarters):
    _, _, _, (base, out, findings) = quarters
    states = _states(base, findings)
    assert states[STEADY_PAGE] == "未整改" and states[BROKEN_PAGE] == "未整改"
    html = (out / "technical.html").read_text("utf-8")
    start = html.index("<h2>约谈建议")
    section = html[start : html.index("<h2>", start + 1)]
    # Found in 2022Q2, still there in 2022Q3 and 2022Q4: two quarters unfixed → its units are listed:
    # the issuer of the 规范性文件, the 主管部门 of a sector still missing.
    assert "县政府办公室" in section and "县交通运输局" in section
    assert "2022年第二季度首次发现" in section
    # The problem first seen in 2022Q3 has been unfixed one quarter only: not a reason for 约谈.
    assert "2022年第三季度首次发现" not in section
    # A 提示 (网页标签缺失, there since 2022Q2) never puts a unit on the list.
    assert "文章页网页标签缺失" not in section and "文章页网页标签缺失" in html
    # The body proposes the 约谈 in one sentence on its first pages.
    body = (out / "bulletin.html").read_text("utf-8")
    proposal = re.search(r'<p class="interview">(.*?)</p>', body).group(1)
    assert "县政府办公室" in proposal and "县交通运输局" in proposal and "建议约谈其主要负责人" in proposal


def test_history_lists_the_runs(quarters):
    db_url, *_ = quarters
    done = govaudit("history", "--db", db_url)
    assert done.returncode == 0
    assert "done" not in done.stdout
    lines = [line for line in done.stdout.splitlines() if "完成" in line]
    assert [line.split()[1] for line in lines] == ["2022Q2", "2022Q3", "2022Q4"]


def test_quarterly_bulletin_in_chromium(quarters, tmp_path):
    chromium = _chromium()
    _, _, (_, out, _), _ = quarters
    bulletin = out / "bulletin.html"
    dumped = _headless(chromium, tmp_path / "profile", "--dump-dom", bulletin.as_uri())
    assert dumped.returncode == 0, dumped.stderr
    dom = dumped.stdout
    assert "<script" not in dom.lower()
    for heading in ("一、总体情况", "二、存在的主要问题", "三、整改要求", "附件"):
        assert heading in dom
    # The charts are in the technical file beside it, not in the 通报.
    assert dom.count("<svg") == 0 and (out / "technical.html").read_text("utf-8").count("<svg") == 3
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "quarterly-bulletin-first-page.png"
    shot.unlink(missing_ok=True)
    taken = _headless(
        chromium, tmp_path / "profile2", f"--screenshot={shot}", "--window-size=1240,1754", bulletin.as_uri()
    )
    assert taken.returncode == 0 and shot.stat().st_size > 10_000
    pdf = ARTIFACTS / "quarterly-bulletin.pdf"
    printed = _headless(
        chromium, tmp_path / "profile3", f"--print-to-pdf={pdf}", "--no-pdf-header-footer", bulletin.as_uri()
    )
    assert printed.returncode == 0 and pdf.read_bytes()[:4] == b"%PDF"


def test_canonical_urls_ignore_port_and_index_file():
    site = "http://127.0.0.1:8000/"
    assert comparable_url("http://127.0.0.1:9999/xxgk/index.html", site) == "/xxgk/"
    assert comparable_url("http://127.0.0.1:9999/a.html?x=1#top", site) == "/a.html?x=1"
    assert comparable_url("https://WWW.Other.gov.cn/x", site) == "https://www.other.gov.cn/x"
    assert site_key("http://127.0.0.1:8000/") == site_key("https://127.0.0.1:9000/index.html")


def test_fingerprints_stable_and_distinct():
    from rules.base import Finding, Severity

    one = Finding("column.missing", "http://h:1/", "xzxk", Severity.DEDUCT, "m", "e")
    two = Finding("column.missing", "http://h:1/", "lqhm", Severity.DEDUCT, "m2", "e2")
    moved = Finding("column.missing", "http://h:2/index.html", "xzxk", Severity.DEDUCT, "other words", "x")
    a = fingerprints([one, two], "http://h:1/")
    b = fingerprints([moved], "http://h:2/")
    assert a[0] != a[1] and a[0] == b[0]


def test_old_database_gets_the_new_columns(tmp_path):
    db = tmp_path / "old.sqlite"
    Store(f"sqlite:///{db}")
    with sqlite3.connect(db) as conn:
        for column in ("fingerprint", "units", "unit_source", "indicator"):
            conn.execute(f"DROP INDEX IF EXISTS ix_finding_{column}")
            conn.execute(f"ALTER TABLE finding DROP COLUMN {column}")
        conn.execute("DROP INDEX IF EXISTS ix_audit_run_quarter")
        conn.execute("ALTER TABLE audit_run DROP COLUMN quarter")
        # A database made before govaudit used migrations has no version table.
        conn.execute("DROP TABLE alembic_version")
    Store(f"sqlite:///{db}")
    with sqlite3.connect(db) as conn:
        finding_columns = {row[1] for row in conn.execute("PRAGMA table_info(finding)")}
        run_columns = {row[1] for row in conn.execute("PRAGMA table_info(audit_run)")}
    assert {"fingerprint", "units", "unit_source", "indicator"} <= finding_columns
    assert "quarter" in run_columns
