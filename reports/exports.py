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

# The 问题清单 columns: header, width in characters, value.
COLUMNS: tuple[tuple[str, int], ...] = (
    ("序号", 6),
    ("责任单位", 22),
    ("归属依据", 12),
    ("栏目", 22),
    ("页面地址", 48),
    ("问题", 20),
    ("问题描述", 50),
    ("证据", 50),
    ("指标", 16),
    ("性质", 10),
    ("整改状态", 10),
    ("首次发现", 10),
    ("规则", 18),
    ("整改期限", 12),
    ("抓取时间", 17),
    ("页面标题", 36),
    ("问题指纹", 18),
    ("页面副本", 34),
)
_URL_COLUMN = 5
_COPY_COLUMN = len(COLUMNS)
_LINK_FONT = Font(color="0563C1", underline="single")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _values(row: ReportRow) -> list:
    """A row's cells as exported: personal data masked, control characters gone (reports.masking)."""
    return clean(
        [
            row.number,
            row.units_text,
            row.unit_source,
            row.column_name,
            row.url,
            row.problem,
            row.message,
            row.evidence,
            row.indicator,
            row.severity,
            row.state,
            row.first_seen,
            row.rule,
            row.deadline.isoformat() if row.deadline else "",
            row.fetched_at,
            row.page_title,
            row.fingerprint,
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


def _print_setup(sheet, title: str) -> None:
    """A4 landscape, all columns on the page width, the header row on every printed page, page numbers."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.oddHeader.center.text = title.replace("&", "&&")
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


def _fill_sheet(sheet, rows: list[ReportRow], title: str) -> None:
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDDDDD")
    sheet.append([header for header, _ in COLUMNS])
    for cell in sheet[1]:
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for row in rows:
        sheet.append(_values(row))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # crawled text starting with = stays text, never a formula
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        link = sheet.cell(row=sheet.max_row, column=_URL_COLUMN)
        if isinstance(link.value, str) and urlsplit(link.value).scheme in ("http", "https"):
            link.hyperlink = link.value
            link.font = _LINK_FONT
        kept = sheet.cell(row=sheet.max_row, column=_COPY_COLUMN)
        if kept.value:
            # Relative to the workbook: the evidence folder is written beside it.
            kept.hyperlink = kept.value
            kept.font = _LINK_FONT
    for index, (_, width) in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(sheet.max_row, 1)}"
    _print_setup(sheet, title)


def write_xlsx(path: Path, data: BulletinData) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "问题清单"
    taken = {"问题清单"}
    title = clean(data.title)
    _fill_sheet(sheet, list(data.rows), title)
    units = sorted({unit for row in data.rows for unit in row.units})
    for unit in units:
        _fill_sheet(
            workbook.create_sheet(_sheet_title(clean(unit), taken)),
            [row for row in data.rows if unit in row.units],
            title,
        )
    workbook.properties.title = title
    workbook.properties.creator = "govaudit"
    with atomic_path(path) as temporary:
        workbook.save(temporary)
    return path
