"""Importing the office's registers (政务新媒体, 12345, 网民留言) through the CLI, and the 季通报's
sections for them: read in the real browser, never 合格 without an import, never in the website score."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "rule_cases"))

from portal_kit import govaudit, write_portal  # noqa: E402
from registers_kit import (  # noqa: E402
    HOTLINE_CSV,
    MEDIA_CSV,
    MEDIA_XLSX,
    MESSAGES_CSV,
    SMALL_PORTAL,
    audit_with_registers,
    import_register,
)
from test_bulletin import _chromium, _headless  # noqa: E402

from audit.cli.demo.server import serve_portal  # noqa: E402


def _rows(db: Path, kind: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "select count(*) from register_row join register_import on register_import.id = import_id where kind = ?",
            (kind,),
        ).fetchone()[0]


def test_xlsx_with_a_title_row_and_csv_give_the_same_accounts(tmp_path):
    for name, path in (("x", MEDIA_XLSX), ("c", MEDIA_CSV)):
        done = import_register("media", path, f"sqlite:///{tmp_path / name}.sqlite")
        assert done.returncode == 0, done.stderr
        assert "已导入政务新媒体登记表 8行，2022Q3" in done.stdout
    assert _rows(tmp_path / "x.sqlite", "media") == _rows(tmp_path / "c.sqlite", "media") == 8


def test_gbk_csv_and_other_column_names_are_read(tmp_path):
    # As Excel on Chinese Windows saves it, with the office's own column names and a bracketed note.
    text = (
        "工单号,来电时间,承办部门,办结时限（YYYY-MM-DD）,完成时间,满意度\n"
        "A1,2022/9/1,县交通运输局,2022年9月9日,2022-09-08,满意\n"
    )
    path = tmp_path / "工单.csv"
    path.write_bytes(text.encode("gbk"))
    done = import_register("hotline", path, f"sqlite:///{tmp_path / 'db.sqlite'}")
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(tmp_path / "db.sqlite") as conn:
        [(data,)] = conn.execute("select data from register_row").fetchall()
    assert json.loads(data) == {
        "ticket_id": "A1",
        "received": "2022-09-01",
        "unit": "县交通运输局",
        "deadline": "2022-09-09",
        "closed": "2022-09-08",
        "satisfied": True,
        "settled": None,
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("账号名称,平台,备案,最近发布日期\n马关发布,微信公众号,是,2022-10-01\n", "缺少“运营单位”列"),
        (
            "账号名称,平台,运营单位,备案,最近发布日期\n马关发布,微信公众号,县政府办公室,是,十月\n",
            "第2行“最近发布日期”无法读取",
        ),
        (
            "账号名称,平台,运营单位,备案,最近发布日期\n马关发布,微信公众号,县政府办公室,,2022-10-01\n",
            "第2行“备案”无法读取",
        ),
        ("姓名,电话\n张三,13812345678\n", "找不到政务新媒体登记表的表头"),
    ],
)
def test_a_bad_register_is_one_clear_line_and_stores_nothing(tmp_path, text, expected):
    path = tmp_path / "登记表.csv"
    path.write_text(text, encoding="utf-8")
    db = tmp_path / "db.sqlite"
    done = import_register("media", path, f"sqlite:///{db}")
    assert done.returncode == 2
    assert expected in done.stderr and "Traceback" not in done.stderr
    assert not db.exists() or _rows(db, "media") == 0


def test_other_file_types_and_missing_files_are_refused(tmp_path):
    odd = tmp_path / "登记表.docx"
    odd.write_bytes(b"PK\x03\x04")
    done = import_register("media", odd, f"sqlite:///{tmp_path / 'db.sqlite'}")
    assert done.returncode == 2 and "只支持 .xlsx、.xls 和 .csv" in done.stderr
    missing = govaudit("media", "import", str(tmp_path / "none.xlsx"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_importing_the_same_quarter_again_replaces_it(tmp_path):
    db = tmp_path / "db.sqlite"
    assert import_register("media", MEDIA_CSV, f"sqlite:///{db}").returncode == 0
    shorter = tmp_path / "short.csv"
    shorter.write_text("\n".join(MEDIA_CSV.read_text("utf-8").splitlines()[:3]) + "\n", encoding="utf-8")
    assert import_register("media", shorter, f"sqlite:///{db}").returncode == 0
    assert import_register("media", MEDIA_CSV, f"sqlite:///{db}", quarter="2022Q2").returncode == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("select quarter, rows from register_import order by quarter").fetchall() == [
            ("2022Q2", 8),
            ("2022Q3", 2),
        ]
    assert _rows(db, "media") == 10


@pytest.fixture(scope="module")
def with_and_without(tmp_path_factory):
    full = audit_with_registers(
        tmp_path_factory.mktemp("full"), ("media", MEDIA_XLSX), ("hotline", HOTLINE_CSV), ("messages", MESSAGES_CSV)
    )
    media_only = audit_with_registers(tmp_path_factory.mktemp("media-only"), ("media", MEDIA_CSV))
    return full, media_only


def test_register_problems_do_not_score_the_website(with_and_without):
    full, media_only = with_and_without
    assert full.returncode == 0, full.stderr
    html = (full.out_dir / "bulletin.html").read_text("utf-8")
    overall = html[html.index("一、总体情况") : html.index("二、存在的主要问题")]
    # media.stale and media.no_interaction are 单项否决 for the accounts, not for the website.
    assert "政务新媒体两周内无更新" not in overall
    website = [f for f in full.findings if not f["url"].startswith("register://")]
    assert all(f["rule"].split(".")[0] not in ("media", "hotline", "messages") for f in website)


def test_a_section_without_an_import_says_so_never_passed(with_and_without):
    _, media_only = with_and_without
    html = (media_only.out_dir / "technical.html").read_text("utf-8")
    hotline = html[html.index("<h2>12345政务服务便民热线") : html.index("<h2>网民留言")]
    assert "本季度未导入、未检查" in hotline and "合格" not in hotline and "未发现问题" not in hotline
    assert not media_only.of("hotline.overdue") and not media_only.of("messages.overdue")


def test_the_four_sections_in_the_real_browser(with_and_without, tmp_path):
    full, _ = with_and_without
    chromium = _chromium()
    dumped = _headless(chromium, tmp_path / "profile", "--dump-dom", (full.out_dir / "bulletin.html").as_uri())
    assert dumped.returncode == 0, dumped.stderr
    dom = dumped.stdout
    # The title names what was checked; 一、 gives each register's figures in a sentence.
    assert "政府网站、政务新媒体、12345热线和网民留言监测情况的通报</h1>" in dom
    overview = dom[dom.index("一、总体情况") : dom.index("二、存在的主要问题")]
    assert "在运营6个" in overview and "按期办结率" in overview and "合格率" in overview
    sections = ["（一）政府网站", "（二）政务新媒体", "（三）12345热线", "（四）网民留言"]
    positions = [dom.index(title) for title in sections]
    assert positions == sorted(positions) and dom.index("三、整改要求") > positions[-1]
    # The website's problem types count 1. 2. … under （一）政府网站, not （一）（二） again.
    website = dom[positions[0] : positions[1]]
    assert '<span class="lead">1.' in website and "（一）" not in website.replace("（一）政府网站", "")
    media = dom[positions[1] : positions[2]]
    assert "八寨镇人民政府" in media and "建议关停或整合" in media
    hotline = dom[positions[2] : positions[3]]
    assert "县住房和城乡建设局" in hotline
    assert "13812345678" not in dom
    technical = (full.out_dir / "technical.html").read_text("utf-8")
    messages = technical[technical.index("<h2>网民留言") :]
    assert "ZC2022080101" in messages and "13812345678" not in technical


def test_a_register_problem_fixed_next_quarter_is_fixed_and_one_not_reimported_is_unchecked(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'audit.sqlite'}"
    assert import_register("media", MEDIA_CSV, db_url, quarter="2022Q3").returncode == 0
    assert import_register("messages", MESSAGES_CSV, db_url, quarter="2022Q3").returncode == 0
    # 2022Q4: 马关司法 has been filed; the message register was not imported.
    fixed = tmp_path / "media-q4.csv"
    fixed.write_text(
        MEDIA_CSV.read_text("utf-8").replace("马关司法,微博,县司法局,否", "马关司法,微博,县司法局,是"), encoding="utf-8"
    )
    assert import_register("media", fixed, db_url, quarter="2022Q4").returncode == 0
    with serve_portal(write_portal(tmp_path / "site", SMALL_PORTAL)) as portal:
        for as_of in ("2022-10-15", "2023-01-15"):
            done = govaudit(
                "audit", portal.base_url, "--as-of", as_of, "--out", str(tmp_path / as_of), "--db", db_url, "--quiet"
            )
            assert done.returncode == 0, done.stderr
    changes = govaudit("diff", "1", "2", "--db", db_url)
    assert changes.returncode == 0, changes.stderr
    lines = changes.stdout.splitlines()
    assert any("[已整改]" in line and "media.unfiled" in line and "马关司法" in line for line in lines)
    assert any("[未检查]" in line and "messages.overdue" in line for line in lines)
    assert not any("[已整改]" in line and "messages.overdue" in line for line in lines)
    html = (tmp_path / "2023-01-15" / "technical.html").read_text("utf-8")
    assert "<h2>网民留言" in html and "本季度未导入、未检查" in html


def test_a_unit_whose_account_stays_silent_two_more_quarters_is_proposed_for_interview(tmp_path):
    """八寨镇发布 (八寨镇人民政府), silent since May, fails media.stale in 2022Q2, 2022Q3 and 2022Q4."""
    db_url = f"sqlite:///{tmp_path / 'audit.sqlite'}"
    for quarter in ("2022Q2", "2022Q3", "2022Q4"):
        assert import_register("media", MEDIA_CSV, db_url, quarter=quarter).returncode == 0
    with serve_portal(write_portal(tmp_path / "site", SMALL_PORTAL)) as portal:
        for as_of in ("2022-07-15", "2022-10-15", "2023-01-15"):
            done = govaudit(
                "audit", portal.base_url, "--as-of", as_of, "--out", str(tmp_path / as_of), "--db", db_url, "--quiet"
            )
            assert done.returncode == 0, done.stderr
    html = (tmp_path / "2023-01-15" / "technical.html").read_text("utf-8")
    start = html.index("<h2>约谈建议")
    proposals = html[start : html.index("<h2>", start + 1)]
    assert "八寨镇人民政府" in proposals and "政务新媒体两周内无更新" in proposals
    # 马关教育 last posted 2022-09-20: stale only since 2022Q3, one quarter unfixed — no interview yet.
    assert "县教育体育局" not in proposals
    body = (tmp_path / "2023-01-15" / "bulletin.html").read_text("utf-8")
    proposal = body[body.index('<p class="interview">') :].split("</p>")[0]
    assert "八寨镇人民政府" in proposal and "县教育体育局" not in proposal
