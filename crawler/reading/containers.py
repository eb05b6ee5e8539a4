"""Zip containers (xlsx, docx) and spreadsheet sheets read on a budget, for every reader of them: the
attachment reader (crawler.crawl.attachments) and the register importer (audit.run.registers).

`zip_sizes` checks what a container would unpack before anything is unpacked: the number of members,
their total, each one's size and how many times its packed bytes it inflates to. The sizes checked
are the declared ones, and they hold: Python's zipfile stops a member at its declared size (and
then fails its CRC check), so a member cannot unpack beyond what was checked.

`sheet_rows` walks a read-only openpyxl sheet row by row without its declared dimension (A1:XFD1048576
in a 2 KB file would make openpyxl pad every row to 16,384 cells and walk a million rows), and
refuses a value beyond a row or column limit.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

# Excel's own limits: a row number beyond them is not a spreadsheet's.
EXCEL_ROWS = 1_048_576
MAX_MEMBERS = 10_000
# The inflation ratio is judged only for members at least this big unpacked (small XML parts of
# real files inflate 50 times and more).
RATIO_FLOOR = 1024 * 1024


class TooBigToRead(MemoryError):
    """A file that would unpack or spread beyond what a reader may hold; the message says what."""


def zip_sizes(
    source: bytes | Path, *, total: int, member: int | None = None, ratio: int | None = None
) -> dict[str, int]:
    """Each member's unpacked size by name; TooBigToRead when the container holds more than
    MAX_MEMBERS members, unpacks to more than `total` bytes, or a member to more than `member`
    bytes or (from RATIO_FLOOR up) to more than `ratio` times its packed size. zipfile.BadZipFile
    for what is not a zip."""
    with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as archive:
        members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise TooBigToRead(f"{len(members)} 个压缩成员 / {len(members)} zip members (more than {MAX_MEMBERS})")
    for info in members:
        if member is not None and info.file_size > member:
            raise TooBigToRead(
                f"{info.filename} 解压后 {_mb(info.file_size)}，超过 {_mb(member)} / "
                f"{info.filename} unpacks to {_mb(info.file_size)}, over {_mb(member)}"
            )
        if ratio is not None and info.file_size >= RATIO_FLOOR and info.file_size > ratio * max(1, info.compress_size):
            raise TooBigToRead(
                f"{info.filename} 解压后是压缩时的 {info.file_size // max(1, info.compress_size)} 倍"
                f"（压缩炸弹）/ {info.filename} inflates {info.file_size // max(1, info.compress_size)}"
                f" times (over {ratio}): a zip bomb"
            )
    unpacked = sum(info.file_size for info in members)
    if unpacked > total:
        raise TooBigToRead(f"解压后 {_mb(unpacked)}，超过 {_mb(total)} / unpacks to {_mb(unpacked)}, over {_mb(total)}")
    return {info.filename: info.file_size for info in members}


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB" if size >= 1024 * 1024 else f"{size} bytes"


def sheet_rows(sheet, *, max_rows: int = EXCEL_ROWS, max_columns: int | None = None) -> Iterator[tuple[int, tuple]]:
    """(row number, values) of a read-only openpyxl sheet, streaming, as the rows are stored rather
    than as the sheet's dimension claims (a stored row keeps its width; rows not stored are skipped). TooBigToRead for a value below row `max_rows` or right of column `max_columns`, and for
    any row beyond Excel's last (a hostile row number would have openpyxl fill in empty rows for ever)."""
    sheet.reset_dimensions()
    for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
        if not row:
            if number > EXCEL_ROWS:
                raise TooBigToRead(f"第{number}行超过表格的最大行数 / row {number} is beyond a sheet's last row")
            continue
        if number > max_rows and any(value is not None for value in row):
            raise TooBigToRead(
                f"第{number}行有内容，超过{max_rows}行的上限 / a value in row {number}, "
                f"beyond the limit of {max_rows} rows"
            )
        if max_columns is not None and len(row) > max_columns:
            beyond = [index for index, value in enumerate(row[max_columns:], max_columns + 1) if value is not None]
            if beyond:
                from openpyxl.utils import get_column_letter

                cell = f"{get_column_letter(beyond[0])}{number}"
                raise TooBigToRead(
                    f"单元格 {cell} 有内容，超过{max_columns}列的上限 / a value in {cell}, "
                    f"beyond the limit of {max_columns} columns"
                )
            row = row[:max_columns]
        yield number, row
