"""Text of a downloaded attachment (spreadsheet, Word document, PDF, plain text), for the rules to read.

`attachment_text` picks the format by sniffing the bytes first and trusting the file name (URL path or a
`downfile.jsp?filename=x.xlsx` style query value) and the Content-Type only where the bytes cannot tell
(an OLE2 container, plain text). Spreadsheet rows and Word table rows come out as one line each with
their cells separated by tabs; paragraphs and PDF lines as lines. Every step is bounded — the bytes
read, the uncompressed size of a zip container, the pages of a PDF and the text returned — and no
input makes it raise: a corrupt, encrypted or unsupported file gives None.

Not read: legacy binary Word (.doc, .wps) and WPS spreadsheets (.et) — no maintained pure-Python
reader exists on PyPI; a ".doc" that is really a .docx, or an HTML page saved under a Word or Excel
name, is read by what its bytes are.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath
from urllib.parse import parse_qsl, unquote, urlsplit

from crawler.reading.containers import TooBigToRead, sheet_rows, zip_sizes
from crawler.reading.dom import parse_html, text_blocks
from crawler.reading.encoding import decode_body

log = logging.getLogger(__name__)

# Attachments bigger than this are not parsed (containers cannot be read from a prefix); plain text
# and CSV are read up to it.
MAX_ATTACHMENT_BYTES = 30 * 1024 * 1024
# A zip container (xlsx, docx) whose members expand beyond this is treated as a zip bomb.
MAX_UNZIPPED_BYTES = 300 * 1024 * 1024
# Deflate expands at most 1032 to 1 (a 258-byte match coded in 2 bits).
_DEFLATE_MAX_RATIO = 1032
# python-docx holds a document's XML as one tree, several times its size: beyond this it is too big
# for a reader process (real documents are a few MB of XML; a 0.85 MB file inflating to 290 MB is not).
MAX_DOCX_XML_BYTES = 64 * 1024 * 1024
MAX_PDF_PAGES = 2000
# A page whose drawing instructions are bigger than this is not read: pypdf needs minutes for it
# (real pages hold well under 1 MB; scans are images, not instructions).
MAX_PDF_PAGE_CONTENT = 8 * 1024 * 1024
# A page's own resources dictionary compared by its text up to this size.
_MAX_RESOURCES_REPR = 10_000
MAX_TEXT_CHARS = 5_000_000

_EXTENSION_FORMAT = {
    "xlsx": "xlsx",
    "xlsm": "xlsx",
    "xls": "xls",
    "csv": "csv",
    "docx": "docx",
    "docm": "docx",
    "pdf": "pdf",
    "txt": "txt",
    "doc": "doc",
    "wps": "doc",
    "et": "xls",
}
_CONTENT_TYPE_FORMAT = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.ms-excel": "xls",
    "text/csv": "csv",
    "application/csv": "csv",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/msword": "doc",
    "application/pdf": "pdf",
    "text/plain": "txt",
}
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body|<table|<meta)", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def attachment_text(body: bytes, url: str, content_type: str | None) -> str | None:
    """The text of an attachment, or None when it cannot be read (corrupt, unsupported). Raises
    MemoryError (TooBigToRead) when it unpacks beyond the limits: the caller records it as too big."""
    try:
        kind = _sniff(body, url, content_type)
        if kind is None:
            return None
        if kind not in ("csv", "txt") and len(body) > MAX_ATTACHMENT_BYTES:
            raise TooBigToRead(f"{len(body)} bytes")
        return _READERS[kind](body[:MAX_ATTACHMENT_BYTES])
    except MemoryError:
        raise  # the reader process's memory cap: the item is recorded as too big (crawler.crawl.budget)
    except Exception as error:  # noqa: BLE001 — third-party parsers raise anything on a broken file
        log.info("attachment not readable: %s (%s: %s)", url, type(error).__name__, error)
        return None


def allowance_charge(body: bytes) -> int | None:
    """What reading the attachment can unpack, charged to the allowance a site's attachments share:
    the bytes themselves, or for a zip container (xlsx, docx) what its members declare — but no more
    than their compressed bytes can hold (a 141-byte archive may claim 4 GB). None when the archive
    declares more than a reader unpacks (MAX_UNZIPPED_BYTES): it is not read, and spends nothing."""
    if not body.startswith(b"PK\x03\x04"):
        return len(body)
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return len(body)
    if sum(member.file_size for member in members) > MAX_UNZIPPED_BYTES:
        return None
    return max(len(body), sum(min(member.file_size, _can_hold(member)) for member in members))


def _can_hold(member: zipfile.ZipInfo) -> int:
    """The most a zip member's compressed bytes unpack to (zipfile never reads past the declared size)."""
    if member.compress_type == zipfile.ZIP_STORED:
        return member.compress_size
    if member.compress_type == zipfile.ZIP_DEFLATED:
        return member.compress_size * _DEFLATE_MAX_RATIO + 1024
    return member.file_size


def named_format(url: str, content_type: str | None = None) -> str | None:
    """The format a URL's file name (path, or a query value such as filename=x.xlsx) or, failing
    that, its Content-Type names: xlsx, xls, csv, docx, doc, pdf, txt or None."""
    parts = urlsplit(url)
    names = [unquote(parts.path)] + [value for _, value in parse_qsl(parts.query, keep_blank_values=True)]
    for name in names:
        extension = PurePosixPath(name.strip()).suffix.lower().lstrip(".")
        if extension in _EXTENSION_FORMAT:
            return _EXTENSION_FORMAT[extension]
    media_type = (content_type or "").split(";")[0].strip().lower()
    return _CONTENT_TYPE_FORMAT.get(media_type)


def _sniff(body: bytes, url: str, content_type: str | None) -> str | None:
    named = named_format(url, content_type)
    head = body[:2048]
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(body)
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(_OLE2_MAGIC):
        # An OLE2 container is a legacy Excel workbook unless its name says Word (not read).
        return "xls" if named in (None, "xls") else None
    if _HTML_START.match(head):
        # Spreadsheets "exported to Excel" as an HTML table, Word files saved as web pages.
        return "html" if named in ("xls", "doc") else None
    if named in ("csv", "txt") and (head.startswith(_UTF16_BOMS) or b"\x00" not in head):
        return named
    return None


def _zip_kind(body: bytes) -> str | None:
    sizes = zip_sizes(body, total=MAX_UNZIPPED_BYTES)
    if "word/document.xml" in sizes:
        if sizes["word/document.xml"] > MAX_DOCX_XML_BYTES:
            raise TooBigToRead(f"document.xml of {sizes['word/document.xml']} bytes")
        return "docx"
    if "xl/workbook.xml" in sizes:
        return "xlsx"
    return None


class _Collector:
    """Lines of text up to MAX_TEXT_CHARS; `full` tells a reader to stop."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.size = 0

    @property
    def full(self) -> bool:
        return self.size >= MAX_TEXT_CHARS

    def add(self, line: str) -> None:
        line = _CONTROL.sub("", line).strip()
        if line and not self.full:
            self.lines.append(line)
            self.size += len(line) + 1

    def add_row(self, cells: Iterable[object]) -> None:
        texts = [_cell_text(cell) for cell in cells]
        self.add("\t".join(text for text in texts if text))

    def text(self) -> str:
        return "\n".join(self.lines)[:MAX_TEXT_CHARS]


def _cell_text(value: object) -> str:
    """A cell as a person reads it: whole numbers without ".0", line breaks inside a cell as spaces."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return re.sub(r"\s+", " ", str(value)).strip()


def _read_xlsx(body: bytes) -> str:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    try:
        out = _Collector()
        for sheet in workbook.worksheets:
            for _, row in sheet_rows(sheet):
                out.add_row(row)
                if out.full:
                    return out.text()
        return out.text()
    finally:
        workbook.close()


def _read_xls(body: bytes) -> str:
    import xlrd

    workbook = xlrd.open_workbook(file_contents=body, on_demand=True)
    try:
        out = _Collector()
        for index in range(workbook.nsheets):
            sheet = workbook.sheet_by_index(index)
            for row in range(sheet.nrows):
                out.add_row(sheet.row_values(row))
                if out.full:
                    return out.text()
            workbook.unload_sheet(index)
        return out.text()
    finally:
        workbook.release_resources()


def _read_docx(body: bytes) -> str:
    import docx
    from docx.table import Table

    out = _Collector()
    for block in docx.Document(io.BytesIO(body)).iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                out.add_row(_distinct_cells(row.cells))
        else:
            out.add(block.text)
        if out.full:
            break
    return out.text()


def _distinct_cells(cells: Iterable) -> Iterator[str]:
    """A Word table row's cell texts, a merged cell (repeated by python-docx) once."""
    seen: list = []
    for cell in cells:
        if not any(cell._tc is known for known in seen):
            seen.append(cell._tc)
            yield cell.text


def _read_pdf(body: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(body))
    if reader.is_encrypted and not reader.decrypt(""):
        raise ValueError("encrypted PDF")
    out = _Collector()
    # Pages drawn by the same content stream hold the same text: read it once (2,000 pages sharing
    # one 70 MB stream took hours).
    drawn: set[tuple] = set()
    for number, page in enumerate(reader.pages):
        if number >= MAX_PDF_PAGES or out.full:
            break
        contents = _content_streams(page)
        if contents is not None:
            if contents in drawn:
                continue
            drawn.add(contents)
        if _content_size(page) > MAX_PDF_PAGE_CONTENT:
            log.info("PDF page %d skipped: its content stream is over %d bytes", number + 1, MAX_PDF_PAGE_CONTENT)
            continue
        for line in (page.extract_text() or "").splitlines():
            out.add(line)
    return out.text()


def _content_size(page) -> int:
    contents = page.get_contents()
    return len(contents.get_data()) if contents is not None else 0


def _content_streams(page) -> tuple | None:
    """What draws a PDF page: its content stream object(s) and resources. None when they are not
    shared objects (the page cannot be told to repeat another)."""
    from pypdf.generic import ArrayObject

    contents = page.get("/Contents")
    parts = list(contents) if isinstance(contents, ArrayObject) else [contents]
    references = [getattr(part.get_object(), "indirect_reference", None) for part in parts if part is not None]
    if not references or None in references:
        return None
    resources = page.get("/Resources")
    reference = getattr(resources, "indirect_reference", None)
    drawn_with = (reference.idnum, reference.generation) if reference is not None else repr(resources)
    if len(drawn_with) > _MAX_RESOURCES_REPR:
        return None
    return (drawn_with, *((part.idnum, part.generation) for part in references))


def _decode(body: bytes) -> str:
    """UTF-16 by its byte-order mark, else UTF-8, else GB18030 (a superset of GBK and GB2312)."""
    if body.startswith(_UTF16_BOMS):
        return body.decode("utf-16")
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return body.decode("gb18030", errors="replace")


def _read_csv(body: bytes) -> str:
    out = _Collector()
    for row in csv.reader(io.StringIO(_decode(body))):
        out.add_row(row)
        if out.full:
            break
    return out.text()


def _read_txt(body: bytes) -> str:
    out = _Collector()
    for line in _decode(body).splitlines():
        out.add(line)
        if out.full:
            break
    return out.text()


def _read_html(body: bytes) -> str:
    root = parse_html(decode_body(body, None, None)[0])
    out = _Collector()
    for line in text_blocks(root) if root is not None else ():
        out.add(line)
    return out.text()


_READERS = {
    "xlsx": _read_xlsx,
    "xls": _read_xls,
    "docx": _read_docx,
    "pdf": _read_pdf,
    "csv": _read_csv,
    "txt": _read_txt,
    "html": _read_html,
}
