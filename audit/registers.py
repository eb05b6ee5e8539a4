"""Importing the office's registers: the 政务新媒体 account register, the 12345 ticket export and
the 网民留言 export, as .xlsx or .csv files the way offices keep them. Column names are matched
flexibly (width, spaces, a bracketed note such as "（YYYY-MM-DD）" do not matter, and each field
knows its usual names); a missing column or a value that cannot be read is one clear error naming
it, and nothing is stored then."""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Callable

from crawler.reading.dates import parse_date
from rules.registers import HotlineTicket, MediaAccount, PublicMessage


class RegisterError(ValueError):
    """The register file cannot be read or lacks what the checks need."""


@dataclass(frozen=True)
class FieldSpec:
    name: str
    headers: tuple[str, ...]     # the column names offices use for it, the first is the template's
    parse: Callable[[object], object]
    required: bool = True


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an id typed as a number in Excel: 1023.0 → "1023"
    return " ".join(str(value).split())


def _date(value: object) -> date | None:
    if value is None or _text(value) == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and 20000 < value < 80000:
        return date(1899, 12, 30) + timedelta(days=int(value))  # an Excel serial date in a CSV
    found = parse_date(_text(value))
    if found is None:
        raise ValueError(f"不是日期 / not a date: {_text(value)!r}")
    return found


_YES = {"是", "有", "已备案", "备案", "已", "y", "yes", "true", "1", "满意", "非常满意", "基本满意", "√", "✓"}
_NO = {"否", "无", "未备案", "未", "n", "no", "false", "0", "不满意", "非常不满意", "×", "✗"}


def _yes_no(value: object) -> bool | None:
    text = _text(value).lower()
    if text == "":
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(f"应为 是/否 / expected yes or no: {_text(value)!r}")


def _required_yes_no(value: object) -> bool:
    found = _yes_no(value)
    if found is None:
        raise ValueError("为空，应为 是/否 / empty, expected yes or no")
    return found


def _count(value: object) -> int | None:
    text = _text(value)
    if text == "":
        return None
    if not re.fullmatch(r"\d+", text):
        raise ValueError(f"不是整数 / not a whole number: {text!r}")
    return int(text)


def _required_text(value: object) -> str:
    text = _text(value)
    if not text:
        raise ValueError("为空 / empty")
    return text


def _required_date(value: object) -> date:
    found = _date(value)
    if found is None:
        raise ValueError("为空 / empty")
    return found


MEDIA = (
    FieldSpec("name", ("账号名称", "账号名", "名称", "账号"), _required_text),
    FieldSpec("platform", ("平台", "平台类型", "账号类型", "类型"), _required_text),
    FieldSpec("unit", ("运营单位", "主办单位", "开办单位", "责任单位", "单位"), _required_text),
    FieldSpec("filed", ("备案", "备案状态", "是否备案"), _required_yes_no),
    FieldSpec("opened", ("开设日期", "开通日期", "开设时间", "开通时间"), _date, required=False),
    FieldSpec("closed", ("关停日期", "关闭日期", "注销日期", "关停时间"), _date, required=False),
    FieldSpec("last_post", ("最近发布日期", "最近更新日期", "最后更新日期", "最近发布时间", "最后发布时间", "最近更新"), _date),
    FieldSpec("posts", ("本期发布条数", "本期发文数", "发布条数", "发文量", "本期更新条数"), _count, required=False),
    FieldSpec("interaction", ("互动渠道", "互动功能", "是否有互动", "留言功能", "留言评论功能"), _yes_no, required=False),
)
HOTLINE = (
    FieldSpec("ticket_id", ("工单编号", "工单号", "编号"), _required_text),
    FieldSpec("received", ("受理时间", "受理日期", "来电时间", "交办时间", "派单时间"), _required_date),
    FieldSpec("unit", ("承办单位", "办理单位", "责任单位", "承办部门"), _required_text),
    FieldSpec("deadline", ("办理时限", "截止日期", "办结时限", "应办结日期", "办理期限"), _date, required=False),
    FieldSpec("closed", ("办结时间", "办结日期", "完成时间", "办结"), _date, required=False),
    FieldSpec("satisfied", ("满意度", "是否满意", "回访结果", "回访满意度"), _yes_no, required=False),
)
MESSAGES = (
    FieldSpec("message_id", ("留言编号", "编号", "问题编号", "工单编号"), _required_text),
    FieldSpec("received", ("留言时间", "收到时间", "提交时间", "受理时间", "留言日期"), _required_date),
    FieldSpec("unit", ("承办单位", "转办单位", "办理单位", "责任单位"), _required_text),
    FieldSpec("forwarded", ("转办时间", "转办日期"), _date, required=False),
    FieldSpec("answered", ("答复时间", "回复时间", "答复日期", "回复日期", "办结时间"), _date, required=False),
    FieldSpec("title", ("留言标题", "标题", "问题描述", "内容摘要"), _text, required=False),
)
KIND_FIELDS = {"media": (MEDIA, MediaAccount), "hotline": (HOTLINE, HotlineTicket), "messages": (MESSAGES, PublicMessage)}
KIND_NAMES = {"media": "政务新媒体登记表", "hotline": "12345热线工单表", "messages": "网民留言表"}

_HEADER_NOISE = re.compile(r"[\s\u200b\ufeff*＊:：]+|[（(][^）)]*[）)]")


def normalise_header(text: str) -> str:
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", text or ""))


def read_register(path: Path, kind: str) -> list:
    """The register rows of the file at `path` (xlsx or csv) as typed records, or RegisterError."""
    fields, record = KIND_FIELDS[kind]
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
                                f"missing column {spec.headers[0]!r} in the {kind} register")
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


def _find_header(table: list[tuple[int, list]], fields, path: Path, kind: str):
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
    raise RegisterError(f"{path.name}：找不到{KIND_NAMES[kind]}的表头，缺少“{'”“'.join(missing)}”列 / "
                        f"no header row with the {kind} register's columns")


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
