"""Register files as offices make them import whole through the CLI: every column read or named as
not read, title / 填报单位 / 合计 / signature rows left out, ordinary values taken, "5个工作日"
counted on the working-day calendar, .xls read, the quarter found from the file and said, and a
rule whose column is missing left 未检查 rather than judged."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "rule_cases"))

from portal_kit import govaudit  # noqa: E402
from register_files import (  # noqa: E402
    HOTLINE_ROWS,
    MEDIA_ROWS,
    MESSAGE_ROWS,
    hotline_wps_csv,
    media_xlsx,
    messages_xls,
)


def _import(kind: str, path: Path, db: Path, *args: str):
    return govaudit(kind, "import", str(path), "--db", f"sqlite:///{db}", *args)


def _stored(db: Path) -> tuple[list[dict], list]:
    with sqlite3.connect(db) as conn:
        rows = [json.loads(data) for (data,) in conn.execute("select data from register_row order by id")]
        imports = conn.execute("select kind, quarter, fields from register_import").fetchall()
    return rows, imports


def test_an_office_xlsx_with_title_merged_headers_and_totals_imports_every_column(tmp_path):
    db = tmp_path / "db.sqlite"
    done = _import("media", media_xlsx(tmp_path / "新媒体登记表.xlsx", MEDIA_ROWS), db)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "已导入政务新媒体登记表 4行，2022Q3" in out
    assert "按文件标题中的季度归入2022年第三季度（未指定 --quarter）" in out
    # The two-level header's lower names are read, under their group label; nothing dropped silently.
    assert "运营情况/本季度发布条数（本期发布条数）" in out and "运营情况/是否开通互动功能（互动渠道）" in out
    assert "所属平台（平台）" in out
    assert "未读取的列：序号、备注" in out
    assert "跳过的行：合计/小计行1行、表尾说明行1行" in out
    # A 备注 starting with 注： inside a record does not make it a footer line.
    rows, [(kind, quarter, fields)] = _stored(db)
    assert [row["name"] for row in rows] == ["马关发布", "马关司法", "八寨镇发布", "马关卫健"]
    assert [row["platform"] for row in rows] == ["微信公众号", "新浪微博", "今日头条", "微信公众号"]
    assert [row["posts"] for row in rows] == [86, 31, 0, 40] and rows[3]["interaction"] is False
    assert (kind, quarter) == ("media", "2022Q3") and "interaction" in json.loads(fields)
    assert "未检查" not in out


def test_a_wps_gbk_csv_of_12345_tickets_counts_working_days_and_takes_ordinary_values(tmp_path):
    db = tmp_path / "db.sqlite"
    done = _import("hotline", hotline_wps_csv(tmp_path / "工单.csv", HOTLINE_ROWS), db)
    assert done.returncode == 0, done.stderr
    assert "按文件中的日期归入2022年第三季度（未指定 --quarter）" in done.stdout
    assert "未读取的列：序号、诉求人、联系电话、诉求内容" in done.stdout
    assert "跳过的行：合计/小计行1行" in done.stdout
    rows, _ = _stored(db)
    # 5个工作日 from Thursday 2022-09-29: 9-30, then 10-8 and 10-9 (调休) after the National Day holiday.
    assert rows[0]["deadline"] == "2022-10-11" and rows[0]["settled"] is True
    assert rows[2]["deadline"] == "2022-08-17"  # 3个工作日 from Friday 2022-08-12
    assert rows[1]["satisfied"] is None and rows[1]["settled"] is False  # 未回访: not rated, not an error
    assert "13812345678" not in json.dumps(rows, ensure_ascii=False) and "张三" not in json.dumps(
        rows, ensure_ascii=False
    )


def test_an_xls_export_without_the_answer_column_leaves_its_rule_unchecked(tmp_path):
    db = tmp_path / "db.sqlite"
    done = _import("messages", messages_xls(tmp_path / "找错留言.xls", MESSAGE_ROWS), db)
    assert done.returncode == 0, done.stderr
    assert "已导入网民留言表 2行，2022Q3" in done.stdout
    assert "未读取的列：网站名称" in done.stdout
    assert "缺少可选的列：“转办时间”、“答复时间”" in done.stdout
    assert "因缺少“答复时间”列，本季度未检查：网民留言超期未答复（messages.overdue）" in done.stdout
    rows, [(_, _, fields)] = _stored(db)
    assert rows[0]["received"] == "2022-07-20" and "answered" not in json.loads(fields)
    merged = _import("messages", messages_xls(tmp_path / "合并.xls", MESSAGE_ROWS, merged_unit=True), db)
    assert merged.returncode == 0, merged.stderr
    assert [row["unit"] for row in _stored(db)[0]] == ["县人力资源和社会保障局"] * 2


def test_a_named_quarter_is_kept_and_a_disagreeing_file_is_pointed_out(tmp_path):
    db = tmp_path / "db.sqlite"
    done = _import("hotline", hotline_wps_csv(tmp_path / "工单.csv", HOTLINE_ROWS), db, "--quarter", "2022Q4")
    assert done.returncode == 0, done.stderr
    assert (
        "2022Q4" in done.stdout
        and "注意：文件中的日期多在2022年第三季度，已按 --quarter 归入2022年第四季度" in done.stdout
    )
    same = _import("hotline", hotline_wps_csv(tmp_path / "工单.csv", HOTLINE_ROWS), db, "--quarter", "2022Q3")
    assert "注意" not in same.stdout and "未指定" not in same.stdout


def test_values_an_office_would_not_write_are_still_one_clear_error(tmp_path):
    db = tmp_path / "db.sqlite"
    rating = [(*HOTLINE_ROWS[0][:8], "还行吧")]
    done = _import("hotline", hotline_wps_csv(tmp_path / "a.csv", rating), db)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "第3行“满意度”无法读取" in done.stderr and "满意/基本满意/不满意/未回访" in done.stderr
    term = [(*HOTLINE_ROWS[0][:5], "尽快", *HOTLINE_ROWS[0][6:])]
    done = _import("hotline", hotline_wps_csv(tmp_path / "b.csv", term), db)
    assert done.returncode == 2 and "“办理时限”无法读取" in done.stderr and "不是日期" in done.stderr
    assert not db.exists() or _stored(db)[0] == []


def test_a_register_of_an_account_named_like_a_total_is_not_skipped(tmp_path):
    # 合计 only starts a total row; an account whose name merely contains it is a record.
    rows = [("马关合计发布", "抖音号", "县统计局", "已备案", MEDIA_ROWS[0][4], 5, "是", None)]
    db = tmp_path / "db.sqlite"
    done = _import("media", media_xlsx(tmp_path / "m.xlsx", rows), db)
    assert done.returncode == 0, done.stderr
    stored, _ = _stored(db)
    assert [row["name"] for row in stored] == ["马关合计发布"] and stored[0]["platform"] == "抖音"


def test_a_unit_merged_down_over_its_accounts_rows_is_each_accounts_unit(tmp_path):
    from openpyxl import load_workbook

    path = media_xlsx(tmp_path / "合并单元格.xlsx", MEDIA_ROWS)
    book = load_workbook(path)
    book.active["D6"] = None
    book.active.merge_cells("D5:D6")  # 马关发布 and 马关司法: one 运营单位 cell over both rows
    book.save(path)
    db = tmp_path / "db.sqlite"
    done = _import("media", path, db)
    assert done.returncode == 0, done.stderr
    rows, _ = _stored(db)
    # Stored under the configured name every section uses (马关县人民政府办公室 → 县政府办公室).
    assert [row["unit"] for row in rows[:3]] == ["县政府办公室", "县政府办公室", "八寨镇人民政府"]
    # Unmerged, the same blank cell is still the one clear error it was.
    book = load_workbook(path)
    book.active.unmerge_cells("D5:D6")
    book.save(path)
    refused = _import("media", path, tmp_path / "other.sqlite")
    assert refused.returncode == 2 and "第6行“运营单位”无法读取" in refused.stderr
