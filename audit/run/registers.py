"""Importing the office's registers (each kind of rules/registers/: the 政务新媒体 account register,
the 12345 ticket export, the 网民留言 export …), as .xlsx or .csv files the way offices keep them.
Column names are matched flexibly (width, spaces, a bracketed note such as "（YYYY-MM-DD）" do not
matter, and each field of the kind knows its usual names); a missing column or a value that cannot be read is one clear error naming
it, and nothing is stored then."""

from __future__ import annotations

import codecs
import csv
import importlib
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path

from crawler.crawl.budget import TOO_SLOW, ReaderPool
from crawler.reading.containers import TooBigToRead, sheet_rows, zip_sizes
from rules.registers import RegisterKind
from rules.registers.kind import text as _text


class RegisterError(ValueError):
    """The register file cannot be read or lacks what the checks need."""


_HEADER_NOISE = re.compile(r"[\s\u200b\ufeff*＊:：]+|[（(][^）)]*[）)]")


def normalise_header(text: str) -> str:
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", text or ""))


def read_register(path: Path, kind: RegisterKind) -> list:
    """The register rows of the file at `path` (xlsx or csv) as the kind's rows, or RegisterError.
    The file is read the way an attachment is, in a reader process with a CPU-time and memory cap
    (crawler.crawl.budget), and within the limits below, each checked before or while it is read."""
    _check_file(path)
    pool = ReaderPool(1, READ_SECONDS, READ_MEMORY_MB)
    try:
        outcome = pool.run(_read_here, path, kind.row.__module__, kind.name)
    finally:
        pool.close()
    if outcome.unread == TOO_SLOW:
        raise RegisterError(
            f"{path.name} 读取超过{READ_SECONDS}秒，不予导入 / reading it took over {READ_SECONDS} s of CPU, "
            "not imported"
        )
    if outcome.unread is not None or outcome.value is None:
        raise RegisterError(
            f"{path.name} 读取所需内存超过{READ_MEMORY_MB} MB，不予导入 / reading it needs over "
            f"{READ_MEMORY_MB} MB, not imported"
        )
    status, value = outcome.value
    if status != "ok":
        raise RegisterError(value)
    return value


def _read_here(path: Path, module: str, kind_name: str) -> tuple[str, object]:
    """In the reader process: ("ok", records) or ("refused", the one-line message). The kind is found
    in the module that defines its rows, so a kind added to the list at run time is read too."""
    try:
        defined = vars(importlib.import_module(module)).values()
        kind = next(k for k in defined if isinstance(k, RegisterKind) and k.name == kind_name)
        return "ok", _records(path, kind)
    except RegisterError as exc:
        return "refused", str(exc)
    except TooBigToRead as exc:
        return "refused", f"{path.name}：{exc}"
    except MemoryError:
        raise  # the process's memory cap: answered as too big (crawler.crawl.budget)
    except Exception as exc:  # noqa: BLE001 — openpyxl and zipfile raise anything on a broken file
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
        kind_of_file = path.suffix.lower().lstrip(".")
        return "refused", f"{path.name} 不是有效的 {kind_of_file} 文件 / not a valid {kind_of_file} file: {detail}"


def _records(path: Path, kind: RegisterKind) -> list:
    fields, record = kind.fields, kind.row
    rows = _read_rows(path)
    header_row, below = _find_header(list(itertools.islice(rows, 10)), fields, path, kind)
    rows = itertools.chain(below, rows)
    positions = {}
    for spec in fields:
        names = {normalise_header(name) for name in spec.headers}
        found = [i for i, cell in enumerate(header_row) if normalise_header(_text(cell)) in names]
        if found:
            positions[spec.name] = found[0]
        elif spec.required:
            raise RegisterError(
                f"{path.name}：缺少“{spec.headers[0]}”列（也可写作：{'、'.join(spec.headers[1:])}）/ "
                f"missing column {spec.headers[0]!r} in the {kind.name} register"
            )
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
            return row, table[index + 1 :]
    first = table[0][1] if table else []
    if not table:
        raise RegisterError(f"{path.name}：文件中没有数据 / the file holds no rows")
    missing = [
        spec.headers[0]
        for spec in fields
        if spec.required
        and not {normalise_header(_text(c)) for c in first} & {normalise_header(n) for n in spec.headers}
    ]
    raise RegisterError(
        f"{path.name}：找不到{kind.file_title}的表头，缺少“{'”“'.join(missing)}”列 / "
        f"no header row with the {kind.name} register's columns"
    )


# The reading budget of a register file. Offices' registers are some hundred to some ten thousand
# rows of a dozen columns; a file beyond these is refused with one line, nothing imported.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 256
# An .xlsx: its members together, any one member (a sheet, sharedStrings.xml, which openpyxl holds
# whole) and how many times its packed size a member may inflate to.
MAX_UNPACKED = 512 * 1024 * 1024
MAX_MEMBER = 256 * 1024 * 1024
MAX_INFLATION = 100
# A .csv cell (Python's own field limit, kept): a longer one is refused, not a traceback.
MAX_FIELD = 128 * 1024
# The reader process: CPU seconds (10x that of wall clock) and address space, as for attachments.
READ_SECONDS = 120
READ_MEMORY_MB = 768
_SUFFIXES = (".xlsx", ".csv")


def _check_file(path: Path) -> None:
    if path.suffix.lower() not in _SUFFIXES:
        raise RegisterError(f"只支持 .xlsx 和 .csv 文件 / only .xlsx and .csv files are read: {path.name}")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise RegisterError(f"无法读取文件 / cannot read {path}: {exc.strerror or exc}") from None
    if size > MAX_FILE_BYTES:
        raise RegisterError(
            f"{path.name} 超过 {MAX_FILE_BYTES // 1024 // 1024} MB，不予导入 / over "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB, not imported"
        )


def _read_rows(path: Path) -> Iterator[tuple[int, list]]:
    """(row number, cells) of the first sheet of an .xlsx, or of a .csv (UTF-8 with or without BOM,
    or GBK as Excel writes it on Chinese Windows), streamed; rows with nothing in them may be left out."""
    _check_file(path)
    if path.suffix.lower() == ".xlsx":
        return _xlsx_rows(path)
    return _csv_rows(path)


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list]]:
    from openpyxl import load_workbook

    try:
        zip_sizes(path, total=MAX_UNPACKED, member=MAX_MEMBER, ratio=MAX_INFLATION)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise RegisterError(f"{path.name} 不是有效的 xlsx 文件 / not a valid xlsx file: {exc}") from None
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        for number, row in sheet_rows(book.worksheets[0], max_rows=MAX_ROWS, max_columns=MAX_COLUMNS):
            yield number, list(row)
    finally:
        book.close()


def _csv_rows(path: Path) -> Iterator[tuple[int, list]]:
    encoding = _csv_encoding(path)
    csv.field_size_limit(MAX_FIELD)
    number = 0
    with open(path, encoding=encoding, newline="") as handle:
        reader = csv.reader(handle)
        try:
            for number, row in enumerate(reader, 1):
                if len(row) > MAX_COLUMNS:
                    if any(cell.strip() for cell in row[MAX_COLUMNS:]):
                        raise RegisterError(
                            f"{path.name} 第{number}行超过{MAX_COLUMNS}列，不予导入 / row {number} has "
                            f"more than {MAX_COLUMNS} columns, not imported"
                        )
                    row = row[:MAX_COLUMNS]
                if number > MAX_ROWS and any(cell.strip() for cell in row):
                    raise RegisterError(
                        f"{path.name} 超过{MAX_ROWS}行，不予导入 / more than {MAX_ROWS} rows, not imported"
                    )
                yield number, row
        except csv.Error as exc:
            if "field larger" in str(exc):
                raise RegisterError(
                    f"{path.name} 第{number + 1}行有超过 {MAX_FIELD // 1024} KB 的单元格，不予导入 / "
                    f"a cell over {MAX_FIELD // 1024} KB in row {number + 1}, not imported"
                ) from None
            raise RegisterError(
                f"{path.name} 第{number + 1}行无法读取 / row {number + 1} cannot be read: {exc}"
            ) from None


def _csv_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as it, else GB18030; checked a
    megabyte at a time."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with open(path, "rb") as handle:
                while chunk := handle.read(1024 * 1024):
                    decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise RegisterError(f"{path.name} 的编码无法识别（请存为 UTF-8 或 GBK）/ unknown text encoding")
