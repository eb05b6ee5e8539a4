"""Importing the office's registers (each kind of rules/registers/: the 政务新媒体 account register,
the 12345 ticket export, the 网民留言 export …), as .xlsx or .csv files the way offices keep them.
Column names are matched flexibly (width, spaces, a bracketed note such as "（YYYY-MM-DD）" do not
matter, and each field of the kind knows its usual names); a missing column or a value that cannot be read is one clear error naming
it, and nothing is stored then."""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path

from rules.registers import RegisterKind
from rules.registers.kind import text as _text


class RegisterError(ValueError):
    """The register file cannot be read or lacks what the checks need."""


_HEADER_NOISE = re.compile(r"[\s\u200b\ufeff*＊:：]+|[（(][^）)]*[）)]")


def normalise_header(text: str) -> str:
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", text or ""))


def read_register(path: Path, kind: RegisterKind) -> list:
    """The register rows of the file at `path` (xlsx or csv) as the kind's rows, or RegisterError."""
    fields, record = kind.fields, kind.row
    table = _read_table(path)
    header_row, rows = _find_header(table, fields, path, kind)
    positions = {}
    for spec in fields:
        names = {normalise_header(name) for name in spec.headers}
        found = [i for i, cell in enumerate(header_row) if normalise_header(_text(cell)) in names]
        if found:
            positions[spec.name] = found[0]
        elif spec.required:
            raise RegisterError(f"{path.name}：缺少“{spec.headers[0]}”列（也可写作：{'、'.join(spec.headers[1:])}）/ "
                                f"missing column {spec.headers[0]!r} in the {kind.name} register")
    records = []
    for number, row in rows:
        if all(_text(cell) == "" for cell in row):
            continue
        values = {}
        for spec in fields:
            cell = row[positions[spec.name]] if spec.name in positions and positions[spec.name] < len(row) else None
            try:
                values[spec.name] = spec.parse(cell)
            except ValueError as exc:
                raise RegisterError(f"{path.name} 第{number}行“{spec.headers[0]}”无法读取：{exc}") from None
        records.append(record(**values))
    return records


def _find_header(table: list[tuple[int, list]], fields, path: Path, kind: RegisterKind):
    """The header row (offices often put a title line or two above it) and the rows below it."""
    required = [{normalise_header(n) for n in spec.headers} for spec in fields if spec.required]
    for index, (_, row) in enumerate(table[:10]):
        cells = {normalise_header(_text(cell)) for cell in row}
        if sum(1 for names in required if cells & names) >= max(2, len(required) // 2):
            return row, table[index + 1:]
    first = table[0][1] if table else []
    if not table:
        raise RegisterError(f"{path.name}：文件中没有数据 / the file holds no rows")
    missing = [spec.headers[0] for spec in fields if spec.required
               and not {normalise_header(_text(c)) for c in first} & {normalise_header(n) for n in spec.headers}]
    raise RegisterError(f"{path.name}：找不到{kind.file_title}的表头，缺少“{'”“'.join(missing)}”列 / "
                        f"no header row with the {kind.name} register's columns")


_MAX_ROWS = 200_000


def _read_table(path: Path) -> list[tuple[int, list]]:
    """(row number, cells) of the first sheet of an .xlsx, or of a .csv (UTF-8 with or without BOM,
    or GBK as Excel writes it on Chinese Windows)."""
    suffix = path.suffix.lower()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RegisterError(f"无法读取文件 / cannot read {path}: {exc.strerror or exc}") from None
    if suffix == ".xlsx":
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException
        import zipfile
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise RegisterError(f"{path.name} 不是有效的 xlsx 文件 / not a valid xlsx file: {exc}") from None
        sheet = book.worksheets[0]
        rows = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
            if number > _MAX_ROWS:
                raise RegisterError(f"{path.name} 超过{_MAX_ROWS}行 / more than {_MAX_ROWS} rows")
            rows.append((number, list(row)))
        book.close()
        return rows
    if suffix == ".csv":
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise RegisterError(f"{path.name} 的编码无法识别（请存为 UTF-8 或 GBK）/ unknown text encoding")
        rows = list(enumerate(csv.reader(io.StringIO(text)), 1))
        if len(rows) > _MAX_ROWS:
            raise RegisterError(f"{path.name} 超过{_MAX_ROWS}行 / more than {_MAX_ROWS} rows")
        return rows
    raise RegisterError(f"只支持 .xlsx 和 .csv 文件 / only .xlsx and .csv files are read: {path.name}")
