"""A portal on 127.0.0.1 serving pages and attachments built to make a reader work without end
(issue 15): each would hang, exhaust memory or blind the privacy rule if reading had no budget."""

from __future__ import annotations

import io
import time
import zlib
from contextlib import contextmanager
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from fault_server import serving

HTML = "text/html; charset=utf-8"
# A valid resident ID number (GB 11643 check character) for the privacy rule to find.
ID_NUMBER = "11010519491231002X"


def _page(title: str, body: str) -> bytes:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><h1>{title}</h1>{body}</body></html>"
    ).encode("utf-8")


def many_links_page(count: int) -> bytes:
    """A list of `count` dated rows (list-row scoring was quadratic: 20k links took 147 s). They all
    point at one article (by #fragment), so a crawl fetches one page for them, not `count`."""
    rows = "".join(
        f'<li><a href="/news/t20220901_1.html#{n}">示例县第{n}次工作推进会议召开</a><span>2022-09-01</span></li>'
        for n in range(count)
    )
    return _page("工作动态", f'<ul class="list">{rows}</ul>')


def link_flood_page(count: int) -> bytes:
    """`count` short links: 200k of them are still 150k after the 5 MB page cap."""
    return _page("链接", "<ul>" + "".join(f'<li><a href="/n.htm#{n}">第{n}条</a></li>' for n in range(count)) + "</ul>")


def deep_font_page(depth: int = 2100) -> bytes:
    """More unclosed tags than libxml2's 2,048 before a table of ID numbers."""
    table = f"<table><tr><td>张三</td><td>{ID_NUMBER}</td></tr></table>"
    return _page("低保名单公示", "<font>" * depth + "以下为名单" + table)


@cache
def wide_xlsx() -> bytes:
    """A 5 KB workbook whose stated dimension is A1:XFD1048576 (one cell in the last column and row)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "补助名单"
    sheet["XFD1048576"] = "末格"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@cache
def shared_stream_pdf(pages: int = 2000, stream_mb: int = 70) -> bytes:
    """An ~80 KB PDF whose `pages` pages all draw one `stream_mb` MB content stream."""
    line = b"BT /F1 12 Tf 72 720 Td (abcdefghij) Tj ET\n"
    content = zlib.compress(line * (stream_mb * 1024 * 1024 // len(line)), 9)
    first_page = 5
    kids = " ".join(f"{first_page + n} 0 R" for n in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
    ] + [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
        b"/Contents 4 0 R >>"
    ] * pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@cache
def inflating_docx(inflated_mb: int = 290) -> bytes:
    """A Word file under 1 MB whose document.xml inflates to `inflated_mb` MB."""
    import zipfile

    import docx

    document = docx.Document()
    document.add_paragraph("公示名单")
    plain = io.BytesIO()
    document.save(plain)
    paragraph = b"<w:p><w:r><w:t>" + b"\xe5\x85\xac" * 300 + b"</w:t></w:r></w:p>"
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for member in source.infolist():
            data = source.read(member)
            if member.filename != "word/document.xml":
                target.writestr(member, data)
                continue
            head, tail = data.split(b"<w:body>", 1)
            with target.open("word/document.xml", "w", force_zip64=True) as stream:
                stream.write(head + b"<w:body>")
                chunk = paragraph * (1024 * 1024 // len(paragraph))
                for _ in range(inflated_mb):
                    stream.write(chunk)
                stream.write(tail)
    return out.getvalue()


ROUTES = {
    "/links.html": lambda: (HTML, many_links_page(10_000)),
    "/many-links.html": lambda: (HTML, link_flood_page(200_000)),
    "/deep-font.html": lambda: (HTML, deep_font_page()),
    "/news/t20220901_1.html": lambda: (HTML, _page("示例县工作推进会议召开", "<p>2022-09-01</p>")),
    "/n.htm": lambda: (HTML, _page("第1条", "<p>内容</p>")),
    "/files/wide.xlsx": lambda: ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", wide_xlsx()),
    "/files/pages.pdf": lambda: ("application/pdf", shared_stream_pdf()),
    "/files/bomb-a.docx": lambda: ("application/octet-stream", inflating_docx()),
    "/files/bomb-b.docx": lambda: ("application/octet-stream", inflating_docx()),
}
HOME_LINKS = [
    ("/links.html", "一万条链接"),
    ("/many-links.html", "二十万条链接"),
    ("/deep-font.html", "深层嵌套"),
    ("/files/wide.xlsx", "超宽表格"),
    ("/files/pages.pdf", "共享内容流的PDF"),
    ("/files/bomb-a.docx", "膨胀的Word文件一"),
    ("/files/bomb-b.docx", "膨胀的Word文件二"),
]


class HostileHandler(BaseHTTPRequestHandler):
    """Serves the server's `routes` (path → (Content-Type, body) or (Content-Type, Content-Encoding,
    body)) under a home page linking its `links`."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        status, encoding = 200, ""
        if path in ("/", "/index.html"):
            links = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in self.server.links)
            content_type, body = HTML, _page(self.server.title, f"<ul>{links}</ul>")
        elif path in self.server.routes:
            content_type, *encoded, body = self.server.routes[path]()
            encoding = encoded[0] if encoded else ""
        else:
            status, content_type, body = 404, HTML, _page("404", "<p>页面不存在</p>")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextmanager
def _portal(title: str, routes: dict, links: list[tuple[str, str]]):
    server = ThreadingHTTPServer(("127.0.0.1", 0), HostileHandler)
    server.daemon_threads = True
    server.title, server.routes, server.links = title, routes, links
    server.base_url = f"http://127.0.0.1:{server.server_address[1]}/"
    with serving(server):
        yield server


@contextmanager
def hostile_portal():
    with _portal("对抗测试县人民政府", ROUTES, HOME_LINKS) as server:
        yield server


# -- decompression bombs (issue 27) ---------------------------------------------------------------


def repeated_gzip(unit: bytes, count: int) -> bytes:
    """A valid gzip stream of `unit` repeated `count` times, built without compressing it all: after a
    full flush the deflate blocks of every repetition are the same bytes."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = deflate.compress(unit) + deflate.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(unit, crc)
    trailer = crc.to_bytes(4, "little") + (len(unit) * count & 0xFFFFFFFF).to_bytes(4, "little")
    return b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + block * count + deflate.flush() + trailer


def _gzip(body: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return packer.compress(body) + packer.flush()


@cache
def bomb_layer(inflated_mb: int) -> bytes:
    """An HTML page of `inflated_mb` MB (mostly spaces), gzipped once: about 1 KB per MB."""
    head = _page("通知", "<p>开头</p>")[: -len("</body></html>")]
    return _gzip(head) + repeated_gzip(b" " * 65536, inflated_mb * 16)


@cache
def big_ordinary_page(mb: int = 8) -> bytes:
    """A real page of `mb` MB of numbered paragraphs (a long report published as one page)."""
    row = "<p>第{n}段：示例县人民政府关于2022年度财政预算执行情况和2023年度财政预算草案的报告。</p>"
    rows, size, n = [], 0, 0
    while size < mb * 1024 * 1024:
        rows.append(row.format(n=n))
        size += len(rows[-1].encode("utf-8"))
        n += 1
    return _page("预算报告", "".join(rows))


BOMB_MB = 1024
BOMB_ROUTES = {
    "/gzip-gzip.html": lambda: (HTML, "gzip, gzip", _gzip(bomb_layer(BOMB_MB))),
    "/gzip-deflate.html": lambda: (HTML, "gzip, deflate", zlib.compress(bomb_layer(BOMB_MB), 9)),
    "/files/bomb.pdf": lambda: ("application/pdf", "gzip, gzip", _gzip(bomb_layer(BOMB_MB))),
    "/big-gzip.html": lambda: (HTML, "gzip", _gzip(big_ordinary_page())),
    "/small-gzip-gzip.html": lambda: (HTML, "gzip, gzip", _gzip(_gzip(_page("双重压缩的正常页面", "<p>内容正常</p>")))),
    "/ok.html": lambda: (HTML, _page("正常页面", "<p>内容</p>")),
}
BOMB_LINKS = [
    ("/gzip-gzip.html", "双重gzip"),
    ("/gzip-deflate.html", "gzip加deflate"),
    ("/files/bomb.pdf", "压缩炸弹附件"),
    ("/big-gzip.html", "压缩传输的大页面"),
    ("/small-gzip-gzip.html", "双重压缩的小页面"),
    ("/ok.html", "正常页面"),
]


@contextmanager
def bomb_portal():
    """A portal whose pages inflate: a ~5 KB page is 1 GB after two layers of decoding."""
    with _portal("压缩炸弹测试县人民政府", BOMB_ROUTES, BOMB_LINKS) as server:
        yield server


# -- attachments that lie about their size (issue 27, item 9) --------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@cache
def lying_zip(claimed: int = 0xFFFFFFFE) -> bytes:
    """A few hundred bytes of .xlsx whose one member claims `claimed` bytes unpacked (4 GB)."""
    import struct
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
    data = bytearray(out.getvalue())
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, claimed)
    struct.pack_into("<I", data, 22, claimed)
    return bytes(data)


@cache
def register_xlsx() -> bytes:
    """An ordinary spreadsheet with a resident ID number in it."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["姓名", "身份证号"])
    workbook.active.append(["张三", ID_NUMBER])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _late(seconds: float, route):
    def late():
        time.sleep(seconds)
        return route()

    return late


# The honest spreadsheet answers late, so the liar has been judged (and, before, charged) first.
LIAR_ROUTES = {
    "/files/liar.xlsx": lambda: (XLSX, lying_zip()),
    "/files/list.xlsx": _late(2, lambda: (XLSX, register_xlsx())),
}
LIAR_LINKS = [("/files/liar.xlsx", "声称4GB的表格"), ("/files/list.xlsx", "补助名单")]


@contextmanager
def lying_attachments_portal():
    with _portal("附件测试县人民政府", LIAR_ROUTES, LIAR_LINKS) as server:
        yield server
