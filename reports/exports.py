"""The 问题清单 in the formats the office uses: JSON (the findings contract), CSV (UTF-8 with BOM, so
Excel and WPS open it in Chinese) and XLSX (one sheet of all findings, one per 责任单位)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from audit.judging.history import FindingRow
from reports.data import BulletinData, ReportRow
from reports.files import atomic_path
from reports.masking import clean
from reports.sections.closing import AnnexLine

# The 问题清单 columns (the all-problems sheet and the CSV): header, width in characters. The first
# PRINTED are what a printed page shows (A4 landscape, fit to width); the rest are for filtering.
COLUMNS: tuple[tuple[str, int], ...] = (
    ("序号", 6),
    ("责任单位", 22),
    ("栏目", 20),
    ("问题描述", 50),
    ("性质", 10),
    ("整改期限", 12),
    ("整改状态", 10),
    ("页面标题", 36),
    ("归属依据", 12),
    ("页面地址", 48),
    ("问题", 20),
    ("证据", 50),
    ("指标", 16),
    ("首次发现", 10),
    ("规则", 18),
    ("抓取时间", 17),
    ("问题指纹", 18),
    ("页面副本", 34),
)
PRINTED = 8
# A unit's sheet: its problems, most severe first, and the column the unit fills in with its reply.
REPLY = "整改情况（单位填写）"
UNIT_COLUMNS: tuple[tuple[str, int], ...] = (
    ("序号", 6),
    ("栏目", 20),
    ("问题描述", 50),
    ("页面标题", 30),
    ("性质", 12),
    ("整改期限", 12),
    ("整改状态", 10),
    (REPLY, 40),
    ("页面地址", 48),
    ("证据", 50),
    ("规则", 18),
    ("问题指纹", 18),
    ("抓取时间", 17),
    ("页面副本", 34),
)
_LINK_FONT = Font(color="0563C1", underline="single")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _values(row: ReportRow) -> list:
    """A row's cells as exported: personal data masked, control characters gone (reports.masking)."""
    return clean(
        [
            row.number,
            row.units_text,
            row.column_name,
            row.message,
            row.severity,
            row.deadline.isoformat() if row.deadline else "",
            row.state,
            row.page_title,
            row.unit_source,
            row.url,
            row.problem,
            row.evidence,
            row.indicator,
            row.first_seen,
            row.rule,
            row.fetched_at,
            row.fingerprint,
            row.kept_copy,
        ]
    )


def _unit_values(number: int, line: AnnexLine) -> list:
    """A line of a unit's sheet: the 附件's words, an empty reply cell, then the technical fields."""
    row = line.row
    return clean(
        [
            number,
            line.column,
            line.statement,
            line.page_title,
            line.severity,
            line.deadline.isoformat() if line.deadline else "",
            line.state,
            "",
            row.url,
            row.evidence,
            row.rule,
            row.fingerprint,
            row.fetched_at,
            row.kept_copy,
        ]
    )


def write_json(path: Path, rows: list[FindingRow]) -> Path:
    """findings.json: the {rule, url, column, severity, message, evidence} contract plus history keys,
    every field cleaned as in every other export (the full value stays in the database)."""
    findings = clean([row.to_json() for row in rows])
    with atomic_path(path) as temporary:
        temporary.write_text(json.dumps(findings, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def _csv_cell(value) -> str:
    text = "" if value is None else str(value)
    # A cell starting with = + - @ would run as a formula when the file is opened in Excel.
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_csv(path: Path, data: BulletinData) -> Path:
    with atomic_path(path) as temporary, temporary.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([header for header, _ in COLUMNS])
        for row in data.rows:
            writer.writerow([_csv_cell(value) for value in _values(row)])
    return path


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(name: str, taken: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub("_", name).strip("'") or "未确定"
    base = base[:28]
    title, n = base, 2
    while title.lower() in taken:
        title = f"{base[:26]}_{n}"
        n += 1
    taken.add(title.lower())
    return title


def _print_setup(sheet, title: str, rows: int) -> None:
    """A4 landscape, the first PRINTED columns fit to the page width (the rest are for filtering, not
    for paper), text wrapped, the header row on every printed page, page numbers."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_area = f"A1:{get_column_letter(PRINTED)}{max(rows, 1)}"
    sheet.oddHeader.center.text = title.replace("&", "&&")
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


def _link(cell, target: str | None) -> None:
    if target:
        cell.hyperlink = target
        cell.font = _LINK_FONT


def _fill_sheet(sheet, columns: tuple[tuple[str, int], ...], lines: list[list], title: str) -> None:
    """`lines` under the header of `columns`; the page address and the kept copy (relative to the
    workbook: the evidence folder is written beside it) become links."""
    headers = [header for header, _ in columns]
    url_column, copy_column = headers.index("页面地址") + 1, headers.index("页面副本") + 1
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for values in lines:
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # crawled text starting with = stays text, never a formula
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        link = sheet.cell(row=sheet.max_row, column=url_column)
        _link(
            link,
            link.value if isinstance(link.value, str) and urlsplit(link.value).scheme in ("http", "https") else None,
        )
        kept = sheet.cell(row=sheet.max_row, column=copy_column)
        _link(kept, kept.value or None)
    for index, (_, width) in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(sheet.max_row, 1)}"
    _print_setup(sheet, title, sheet.max_row)


def write_xlsx(path: Path, data: BulletinData) -> Path:
    """The 问题清单 sheet (every website problem), then one sheet per 责任单位 in the 附件's order (most
    severe first), each with the empty column the unit fills in with its reply."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "问题清单"
    taken = {"问题清单"}
    title = clean(data.title)
    _fill_sheet(sheet, COLUMNS, [_values(row) for row in data.rows], title)
    annex = data.section("closing")
    for table in annex.units if annex is not None else ():
        _fill_sheet(
            workbook.create_sheet(_sheet_title(clean(table.unit), taken)),
            UNIT_COLUMNS,
            [_unit_values(number, line) for number, line in enumerate(table.lines, 1)],
            f"{title}　{clean(table.unit)}",
        )
    workbook.properties.title = title
    workbook.properties.creator = "govaudit"
    with atomic_path(path) as temporary:
        workbook.save(temporary)
    return path
