"""Importing the office's registers (each kind of rules/registers/: the 政务新媒体 account register,
the 12345 ticket export, the 网民留言 export …), as .xlsx, .xls or .csv files the way offices keep
them: title and 填报单位 rows above the header, a two-level header with merged group labels, 序号 and
备注 columns, 合计 rows and a signature line below. Column names are matched flexibly (width, spaces,
a bracketed note such as "（YYYY-MM-DD）" do not matter, and each field of the kind knows its usual
names); every column is either read or named as not read. A missing required column or a value that
cannot be read is one clear error naming it, and nothing is stored then."""

from __future__ import annotations

import codecs
import csv
import importlib
import itertools
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from audit.judging.judge import rejudge_registers
from audit.store import FINISHED
from audit.store.registers import portal_key, save_register
from audit.store.sites import registered_sites
from crawler.crawl.budget import TOO_SLOW, ReaderPool
from crawler.reading.containers import TooBigToRead, sheet_rows, zip_sizes
from crawler.vocabulary.quarters import Quarter
from rules import registered_rules
from rules.registers import RegisterKind, Registers
from rules.registers.kind import Term
from rules.registers.kind import text as _text


class RegisterError(ValueError):
    """The register file cannot be read or lacks what the checks need."""


_HEADER_NOISE = re.compile(r"[\s\u200b\ufeff*＊:：]+|[（(][^）)]*[）)]")


def normalise_header(text: str) -> str:
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", text or ""))


@dataclass(frozen=True)
class RegisterReading:
    """What was read from a register file: its rows, and how its columns and rows were taken, so
    that the import can say what it left out (nothing is dropped without a word)."""

    rows: list
    columns: tuple[tuple[str, str], ...]  # (the file's header, the field's template name) read
    ignored: tuple[str, ...]  # the file's headers not read
    fields: tuple[str, ...]  # the names of the kind's fields the file has a column for
    skipped: tuple[tuple[str, int], ...]  # (what rows, how many) left out: 合计行, 表尾说明行 …
    stated_quarter: Quarter | None  # the quarter its title rows name (2022年第三季度), if any


def read_register(path: Path, kind: RegisterKind) -> RegisterReading:
    """The register of the file at `path` (xlsx, xls or csv) as the kind's rows, or RegisterError.
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
    """In the reader process: ("ok", the reading) or ("refused", the one-line message). The kind is
    found in the module that defines its rows, so a kind added to the list at run time is read too."""
    try:
        defined = vars(importlib.import_module(module)).values()
        kind = next(k for k in defined if isinstance(k, RegisterKind) and k.name == kind_name)
        return "ok", _reading(path, kind)
    except RegisterError as exc:
        return "refused", str(exc)
    except TooBigToRead as exc:
        return "refused", f"{path.name}：{exc}"
    except MemoryError:
        raise  # the process's memory cap: answered as too big (crawler.crawl.budget)
    except Exception as exc:  # noqa: BLE001 — openpyxl, xlrd and zipfile raise anything on a broken file
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
        kind_of_file = path.suffix.lower().lstrip(".")
        return "refused", f"{path.name} 不是有效的 {kind_of_file} 文件 / not a valid {kind_of_file} file: {detail}"


# Rows that are not records: totals, the signature and notes under the table, a row of column numbers.
_TOTAL = re.compile(r"^(合计|小计|总计|共计|总合计|汇总)")
_FOOTER = re.compile(
    r"^(填表人|填报人|制表人|审核人|负责人|单位负责人|联系人|联系电话|填报日期|制表日期|填表日期)"
    r"|^(注|说明|填表说明|备注)[:：\d]"
)
_COLUMN_NUMBER = re.compile(r"^[（(]?\d{1,2}[)）]?$")
_QUARTER_TITLE = re.compile(r"(\d{4})\s*年度?\s*第?\s*([一二三四1-4])\s*季度|(\d{4})\s*[Qq]([1-4])")
_LOOKED_AT = 12  # rows searched for the header (title rows, 填报单位 rows above it)


def _reading(path: Path, kind: RegisterKind) -> RegisterReading:
    rows = _read_rows(path)
    top = list(itertools.islice(rows, _LOOKED_AT + 1))
    header = _find_header(top, kind, path)
    columns = _map_columns(header.names, kind)
    missing = [spec for spec in kind.fields if spec.required and spec.name not in columns]
    if missing:
        spec = missing[0]
        raise RegisterError(
            f"{path.name}：缺少“{spec.headers[0]}”列（也可写作：{'、'.join(spec.headers[1:])}）/ "
            f"missing column {spec.headers[0]!r} in the {kind.name} register"
        )
    taken = set(columns.values())
    records = []
    skipped: Counter[str] = Counter()
    header_ends = top[header.body - 1][0]
    merged = [merge for merge in _merged_down(path) if merge[1] > header_ends]
    for number, row in _filled_down(itertools.chain(top[header.body :], rows), merged):
        why = _not_a_record(row, taken)
        if why is not None:
            skipped[why] += bool(why)
            continue
        records.append(_record(row, number, columns, kind, path))
    return RegisterReading(
        rows=records,
        columns=tuple(
            (header.names[index].shown, next(s.headers[0] for s in kind.fields if s.name == name))
            for name, index in sorted(columns.items(), key=lambda item: item[1])
        ),
        ignored=tuple(column.shown for index, column in enumerate(header.names) if column.shown and index not in taken),
        fields=tuple(spec.name for spec in kind.fields if spec.name in columns),
        skipped=tuple((why, skipped[why]) for why in _SKIPPED if skipped[why]),
        stated_quarter=_stated_quarter(top[: header.at]),
    )


_SKIPPED = ("合计/小计行", "表尾说明行", "列序号行", "空行")


def _not_a_record(row: list, taken: set[int]) -> str | None:
    """Why a row below the header holds no record (a total, a note, nothing in the read columns);
    "" for a row with nothing at all in it (not worth a word), None for a record."""
    cells = [_text(cell).replace(" ", "") for cell in row]
    filled = [cell for cell in cells if cell]
    if not filled:
        return ""
    if any(_TOTAL.match(cell) for cell in filled[:3]):
        return "合计/小计行"
    if len(filled) <= 4 and _FOOTER.match(filled[0]):
        return "表尾说明行"
    if len(filled) >= 3 and all(_COLUMN_NUMBER.match(cell) for cell in filled):
        return "列序号行"
    if not any(cells[index] for index in taken if index < len(cells)):
        return "空行"
    return None


def _record(row: list, number: int, columns: dict[str, int], kind: RegisterKind, path: Path):
    values = {}
    for spec in kind.fields:
        index = columns.get(spec.name)
        cell = row[index] if index is not None and index < len(row) else None
        try:
            values[spec.name] = spec.parse(cell)
        except ValueError as exc:
            raise RegisterError(f"{path.name} 第{number}行“{spec.headers[0]}”无法读取：{exc}") from None
    for spec in kind.fields:
        value = values[spec.name]
        if isinstance(value, Term):
            start = values.get(spec.counted_from or "")
            if not isinstance(start, date):
                raise RegisterError(
                    f"{path.name} 第{number}行“{spec.headers[0]}”为期限（{_text(row[columns[spec.name]])}），"
                    f"但没有起算日期 / a time limit with no date to count it from"
                )
            values[spec.name] = value.counted_from(start)
    return kind.row(**values)


@dataclass(frozen=True)
class _Column:
    shown: str  # as the import's output names it: 运营情况/最近更新时间
    own: str  # its own name (the lower header of a two-level one), normalised
    joined: str  # upper and lower together, normalised
    group: str  # the upper header over it (a merged group label), normalised


@dataclass(frozen=True)
class _Header:
    names: list[_Column]
    at: int  # the index (in the rows looked at) of the header's first row
    body: int  # the index of the first row below the header


def _find_header(table: list[tuple[int, list]], kind: RegisterKind, path: Path) -> _Header:
    """The header (offices put a title line and a 填报单位 line above it, and a two-level header
    with merged cells over groups of columns) and where the rows below it start."""
    if not table:
        raise RegisterError(f"{path.name}：文件中没有数据 / the file holds no rows")
    aliases = {normalise_header(name) for spec in kind.fields for name in spec.headers}
    required = [spec.name for spec in kind.fields if spec.required]
    best: tuple[int, _Header] | None = None
    for index, (_, row) in enumerate(table[:_LOOKED_AT]):
        below = table[index + 1][1] if index + 1 < len(table) else None
        two_level = below is not None and _is_lower_header(row, below, aliases)
        names = _columns(row, below if two_level else None)
        found = _map_columns(names, kind)
        enough = sum(1 for name in required if name in found) >= max(2, len(required) // 2)
        # The row (or pair of rows) that names the most fields: a 填报单位 line above a header is
        # not its upper half.
        if enough and (best is None or len(found) > best[0]):
            best = len(found), _Header(names, index, index + (2 if two_level else 1))
    if best is not None:
        return best[1]
    first = _columns(table[0][1], None)
    found = _map_columns(first, kind)
    missing = [spec.headers[0] for spec in kind.fields if spec.required and spec.name not in found]
    raise RegisterError(
        f"{path.name}：找不到{kind.file_title}的表头，缺少“{'”“'.join(missing)}”列 / "
        f"no header row with the {kind.name} register's columns"
    )


def _is_lower_header(upper: list, lower: list, aliases: set[str]) -> bool:
    """`lower` is the second line of a two-level header: it has names, each under a merged group
    label or under nothing (a merged cell's continuation), never under a field's own header; and
    `upper` is a header line (several cells), not a title."""
    filled = [index for index, cell in enumerate(lower) if _text(cell)]
    if not filled or sum(1 for cell in upper if _text(cell)) < 2:
        return False  # nothing below, or a title line above (one cell) rather than a header's upper half
    for index in filled:
        above = normalise_header(_text(upper[index])) if index < len(upper) else ""
        if above in aliases or not normalise_header(_text(lower[index])):
            return False
    return any(normalise_header(_text(lower[index])) in aliases for index in filled)


def _columns(upper: list, lower: list | None) -> list[_Column]:
    width = max(len(upper), len(lower or ()))
    columns, group = [], ""
    for index in range(width):
        top = _text(upper[index]) if index < len(upper) else ""
        bottom = _text(lower[index]) if lower is not None and index < len(lower) else ""
        if top:
            group = top
        elif bottom:
            top = group  # a merged group label's cells after its first are empty
        if bottom and top:
            columns.append(
                _Column(
                    f"{top}/{bottom}", normalise_header(bottom), normalise_header(top + bottom), normalise_header(top)
                )
            )
        else:
            name = top or bottom
            columns.append(_Column(name, normalise_header(name), normalise_header(name), ""))
    return columns


def _map_columns(columns: list[_Column], kind: RegisterKind) -> dict[str, int]:
    """Field name → column index: a column's own name first, then upper and lower together, then
    its group label; within each, a field's usual names in their order, columns left to right."""
    found: dict[str, int] = {}
    taken: set[int] = set()
    for level in ("own", "joined", "group"):
        for spec in kind.fields:
            if spec.name in found:
                continue
            for alias in (normalise_header(name) for name in spec.headers):
                index = next(
                    (i for i, column in enumerate(columns) if i not in taken and getattr(column, level) == alias),
                    None,
                )
                if index is not None:
                    found[spec.name] = index
                    taken.add(index)
                    break
    return found


def _stated_quarter(rows: list[tuple[int, list]]) -> Quarter | None:
    """The quarter the title rows above the header name (马关县2022年第三季度政务新媒体登记表)."""
    for _, row in rows:
        for cell in row:
            match = _QUARTER_TITLE.search(_text(cell))
            if match:
                year, number = match.group(1) or match.group(3), match.group(2) or match.group(4)
                return Quarter(int(year), "一二三四".index(number) + 1 if number in "一二三四" else int(number))
    return None


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
_SUFFIXES = (".xlsx", ".xls", ".csv")


def _check_file(path: Path) -> None:
    if path.suffix.lower() not in _SUFFIXES:
        raise RegisterError(f"只支持 .xlsx、.xls 和 .csv 文件 / only .xlsx, .xls and .csv files are read: {path.name}")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise RegisterError(f"无法读取文件 / cannot read {path}: {exc.strerror or exc}") from None
    if size > MAX_FILE_BYTES:
        raise RegisterError(
            f"{path.name} 超过 {MAX_FILE_BYTES // 1024 // 1024} MB，不予导入 / over "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB, not imported"
        )


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file an Excel 97–2003 .xls is


def _read_rows(path: Path) -> Iterator[tuple[int, list]]:
    """(row number, cells) of the first sheet of an .xlsx or .xls, or of a .csv (UTF-8 with or
    without BOM, or GBK as Excel and WPS write it on Chinese Windows), streamed; rows with nothing in
    them may be left out. What the file is comes from its first bytes, not its name: systems export
    an .xlsx named .xls, or tab-separated text named .xls."""
    _check_file(path)
    with open(path, "rb") as handle:
        magic = handle.read(8)
    if magic.startswith(b"PK\x03\x04"):
        return _xlsx_rows(path)
    if magic == _OLE:
        return _xls_rows(path)
    if path.suffix.lower() == ".xlsx":
        raise RegisterError(f"{path.name} 不是有效的 xlsx 文件 / not a valid xlsx file")
    return _csv_rows(path)


def _xls_rows(path: Path) -> Iterator[tuple[int, list]]:
    """An Excel 97–2003 workbook, through xlrd 2 (which reads .xls only, and is kept for it): its
    date cells as dates. xlrd reads the whole file, which the size cap and the reader process bound."""
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except (xlrd.XLRDError, xlrd.compdoc.CompDocError, OSError, ValueError, IndexError) as exc:
        raise RegisterError(f"{path.name} 不是有效的 xls 文件 / not a valid xls file: {exc}") from None
    try:
        sheet = book.sheet_by_index(0)
        for number in range(1, sheet.nrows + 1):
            row = [_xls_value(cell, book.datemode) for cell in sheet.row(number - 1)]
            if len(row) > MAX_COLUMNS:
                if any(value not in (None, "") for value in row[MAX_COLUMNS:]):
                    raise RegisterError(
                        f"{path.name} 第{number}行超过{MAX_COLUMNS}列，不予导入 / row {number} has "
                        f"more than {MAX_COLUMNS} columns, not imported"
                    )
                row = row[:MAX_COLUMNS]
            if number > MAX_ROWS and any(value not in (None, "") for value in row):
                raise RegisterError(f"{path.name} 超过{MAX_ROWS}行，不予导入 / more than {MAX_ROWS} rows, not imported")
            yield number, row
    finally:
        book.release_resources()


def _xls_value(cell, datemode: int):
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(cell.value, datemode)
        except (xlrd.xldate.XLDateError, ValueError, OverflowError):
            return cell.value
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    return cell.value


def _merged_down(path: Path) -> list[tuple[int, int, int]]:
    """(column index, first row, last row) of each cell merged down over several rows (a unit's
    name merged over its accounts' rows), in the first sheet of an .xlsx or .xls."""
    with open(path, "rb") as handle:
        magic = handle.read(8)
    if magic.startswith(b"PK\x03\x04"):
        return _xlsx_merged_down(path)
    if magic == _OLE:
        import xlrd

        book = xlrd.open_workbook(str(path), on_demand=True, formatting_info=True)
        try:
            merged = book.sheet_by_index(0).merged_cells
        finally:
            book.release_resources()
        return [(first_col, first + 1, last) for first, last, first_col, _ in merged if last - first > 1]
    return []


def _xlsx_merged_down(path: Path) -> list[tuple[int, int, int]]:
    from xml.etree.ElementTree import iterparse

    from openpyxl import load_workbook
    from openpyxl.utils.cell import range_boundaries

    book = load_workbook(path, read_only=True)
    try:
        sheet_path = getattr(book.worksheets[0], "_worksheet_path", "xl/worksheets/sheet1.xml")
    finally:
        book.close()
    found = []
    with zipfile.ZipFile(path) as archive, archive.open(sheet_path) as sheet:
        for _, element in iterparse(sheet):
            if element.tag.endswith("}mergeCell") and element.get("ref"):
                first_col, first_row, _, last_row = range_boundaries(element.get("ref"))
                if last_row > first_row:
                    found.append((first_col - 1, first_row, last_row))
            element.clear()
    return found


def _filled_down(rows: Iterator[tuple[int, list]], merged: list[tuple[int, int, int]]):
    """The rows with a cell merged down over several rows given to each of them (openpyxl and xlrd
    give its value to the first row only)."""
    starting: dict[int, list[tuple[int, int]]] = {}
    for column, first, last in merged:
        starting.setdefault(first, []).append((column, last))
    running: dict[int, tuple[object, int]] = {}
    for number, row in rows:
        running = {column: held for column, held in running.items() if held[1] >= number}
        for column, (value, _) in running.items():
            row = row + [None] * (column + 1 - len(row))
            if _text(row[column]) == "":
                row[column] = value
        for column, last in starting.get(number, ()):
            if column < len(row):
                running[column] = (row[column], last)
        yield number, row


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
        first = handle.readline()
        handle.seek(0)
        reader = csv.reader(handle, delimiter="\t" if first.count("\t") > first.count(",") else ",")
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


# -- the import as the clerk runs it: the site, the quarter, the store, the run judged again --------


@dataclass(frozen=True)
class ImportDone:
    """What an import did, for the lines it prints (import_lines)."""

    kind: RegisterKind
    reading: RegisterReading
    quarter: Quarter
    quarter_note: str | None  # how the quarter was found, when the clerk did not name it (or it disagrees)
    rejudged: tuple[tuple[int, int], ...]  # (run id, register problems) of each run judged again
    # Runs judged again under other settings than they were checked with (another --config).
    other_settings: tuple[int, ...] = ()
    renamed: tuple[tuple[str, str], ...] = ()  # (the file's unit name, the name every section uses)


def register_site(store, site_url: str | None) -> str | None:
    """The portal (portal_key) a register belongs to: the one named by --site, else the only portal
    the database knows (its registered sites and audited runs), else None when it knows none yet.
    RegisterError when several are known and none is named, or the named one is unknown."""
    known = {portal_key(site.url): site.url for site in registered_sites(store)}
    for run in store.runs():
        known.setdefault(portal_key(run.site_url), run.site_url)
    if site_url:
        key = portal_key(site_url)
        if known and key not in known:
            raise RegisterError(
                f"数据库中没有网站 {site_url}（已有：{'、'.join(sorted(known.values()))}）/ "
                f"no such site in the database: {site_url}"
            )
        return key
    if len(known) > 1:
        raise RegisterError(
            f"数据库中有{len(known)}个网站（{'、'.join(sorted(known.values()))}），请用 --site 指明登记表属于哪个网站 / "
            "several sites in the database: name the register's site with --site"
        )
    return next(iter(known), None)


def import_register(
    store, config, kind: RegisterKind, path: Path, quarter: Quarter | None, site_url: str | None
) -> ImportDone:
    """Read the register file, store it for its quarter and portal, and judge the register rules
    again against each finished whole-portal run of that quarter and portal (a register that
    reached the office after the quarter's run counts without a second crawl). RegisterError when
    the file or the site cannot be taken; nothing is stored then."""
    site = register_site(store, site_url)
    reading = read_register(path, kind)
    if not reading.rows:
        raise RegisterError(f"{path.name}：表头下没有数据行 / no rows below the header")
    chosen, note = _quarter(kind, reading, quarter)
    # Stored under the names every section uses, so a place named by its unit (a hotline unit's
    # tickets) is the same place in the findings and in what the import checked.
    rows = list(Registers({kind.name: tuple(reading.rows)}).with_units(config.units).of(kind.name))
    renamed = tuple(
        sorted({(before.unit, after.unit) for before, after in zip(reading.rows, rows) if before.unit != after.unit})
    )
    save_register(store, kind, chosen.label, path.name, rows, site, reading.fields)
    rejudged, other = [], []
    for run in store.runs():
        if (
            run.quarter == chosen.label
            and run.scope is None
            and run.status in FINISHED
            and (site is None or portal_key(run.site_url) == site)
        ):
            found = rejudge_registers(store, run.id, config)
            rejudged.append((run.id, len(found)))
            if run.config_fingerprint != config.fingerprint:
                other.append(run.id)
    return ImportDone(kind, reading, chosen, note, tuple(rejudged), tuple(other), renamed)


def _quarter(kind: RegisterKind, reading: RegisterReading, named: Quarter | None) -> tuple[Quarter, str | None]:
    dated = kind.quarter_of(reading.rows)
    if named is not None:
        if dated is not None and dated != named and kind.dated_how == "most":
            return named, f"注意：文件中的日期多在{dated.chinese}，已按 --quarter 归入{named.chinese}"
        return named, None
    if reading.stated_quarter is not None:
        return reading.stated_quarter, f"按文件标题中的季度归入{reading.stated_quarter.chinese}（未指定 --quarter）"
    if dated is not None:
        return dated, f"按文件中的日期归入{dated.chinese}（未指定 --quarter）"
    fallback = Quarter.reported(date.today())
    return fallback, f"文件中没有可判断季度的日期，归入刚结束的{fallback.chinese}（未指定 --quarter）"


def import_lines(done: ImportDone) -> list[str]:
    """The import's report to the clerk: rows, quarter, every column read or not, rows left out,
    rules left unchecked for want of a column, runs judged again."""
    kind, reading, quarter = done.kind, done.reading, done.quarter
    lines = [
        f"已导入{kind.file_title} {len(reading.rows)}行，{quarter.label}（{quarter.chinese}）/ "
        f"imported {len(reading.rows)} rows for {quarter.label}"
    ]
    if done.quarter_note:
        lines.append(done.quarter_note)
    lines.append(
        "读取的列："
        + "、".join(
            header if normalise_header(header) == normalise_header(field) else f"{header}（{field}）"
            for header, field in reading.columns
        )
    )
    lines.append("未读取的列：" + ("、".join(reading.ignored) if reading.ignored else "无"))
    if reading.skipped:
        lines.append("跳过的行：" + "、".join(f"{what}{count}行" for what, count in reading.skipped))
    missing = [spec for spec in kind.fields if not spec.required and spec.name not in reading.fields]
    if missing:
        lines.append("缺少可选的列：" + "、".join(f"“{spec.headers[0]}”" for spec in missing))
    if done.renamed:
        lines.append("单位名称按配置统一：" + "、".join(f"{before}→{after}" for before, after in done.renamed))
    titles = {spec.id: spec.title for spec in registered_rules()}
    for rule in kind.unjudged_rules(reading.fields):
        needed = "”“".join(spec.headers[0] for spec in kind.fields if spec.name in kind.rule_fields[rule])
        lines.append(f"因缺少“{needed}”列，本季度未检查：{titles.get(rule, rule)}（{rule}），通报中写明未检查")
    for run_id, problems in done.rejudged:
        lines.append(f"已对第{run_id}次检查重新判定登记表规则：发现问题{problems}个")
        if run_id in done.other_settings:
            lines.append(
                f"注意：第{run_id}次检查时使用的配置与本次导入不同，登记表规则按本次的配置判定；"
                "请用检查时的 --config 再次导入"
            )
    if not done.rejudged:
        lines.append(f"{quarter.chinese}尚无完成的检查，登记表规则将在该季度检查时判定")
    return lines
