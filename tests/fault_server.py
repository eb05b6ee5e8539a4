"""A portal on 127.0.0.1 that misbehaves on purpose: each path is one fault a real portal shows."""

from __future__ import annotations

import socket
import struct
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HTML = "text/html; charset=utf-8"


def _page(title: str, body: str) -> bytes:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><h1>{title}</h1>{body}</body></html>"
    ).encode("utf-8")


HOME_LINKS = [
    ("/ok.html", "正常页面"),
    ("/slow-ok", "稍慢页面"),
    ("/timeout", "超时页面"),
    ("/reset", "中途断开"),
    ("/drip", "慢速滴流"),
    ("/loop-a", "重定向循环"),
    ("/chain/1", "重定向链"),
    ("/busy", "限流页面"),
    ("/huge.html", "超大页面"),
    ("/files/huge.pdf", "超大附件"),
    ("/binary.html", "伪装成网页的二进制"),
    ("/malformed.html", "残缺网页"),
    ("/gbk-lies.html", "编码声明错误"),
    ("/cal?month=1", "日历"),
    ("/dup.html#top", "重复一"),
    ("/dup.html?utm_source=weixin", "重复二"),
    ("http://nonexistent-host.invalid/x.html", "不存在的域名"),
    ("/private/secret.html", "robots.txt 禁止抓取"),
]


class FaultHandler(BaseHTTPRequestHandler):
    server_version = "FaultPortal/1.0"
    protocol_version = "HTTP/1.1"
    busy_answered: set[str]  # set on the server class per instance

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        self.server.hits.append(parts.path)
        self.server.requests.append((self.command, parts.path, self.headers.get("User-Agent", "")))
        route = ROUTES.get(parts.path)
        if route is None:
            self._send(404, _page("404", "<p>页面不存在</p>"))
            return
        route(self, parse_qs(parts.query))

    def _send(self, status: int, body: bytes, content_type: str = HTML, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def _home(handler, query):
    links = "".join(f'<li><a href="{href}">{text}</a><span>2022-10-10</span></li>' for href, text in HOME_LINKS)
    handler._send(200, _page("故障测试县人民政府", f"<ul>{links}</ul>"))


def _ok(handler, query):
    handler._send(200, _page("正常页面", "<p>内容</p>"))


def _sleep_then(seconds: float):
    def route(handler, query):
        time.sleep(seconds)
        handler._send(200, _page("慢", "<p>慢</p>"))

    return route


def _reset(handler, query):
    """Headers promise 100 kB, a little is sent, then the connection is reset."""
    handler.send_response(200)
    handler.send_header("Content-Type", HTML)
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    handler.wfile.write(b"<html><body><p>partial")
    handler.wfile.flush()
    # Linger 0 makes the close a TCP reset rather than an orderly end.
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.connection.shutdown(socket.SHUT_RDWR)
    handler.close_connection = True


def _drip(handler, query):
    """One byte every half second: slower in total than any sane timeout."""
    handler.send_response(200)
    handler.send_header("Content-Type", HTML)
    handler.send_header("Content-Length", "400")
    handler.end_headers()
    try:
        for _ in range(400):
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(0.5)
    except OSError:
        pass


def _redirect(target: str):
    def route(handler, query):
        handler._send(302, b"", headers={"Location": target})

    return route


def _busy(handler, query):
    """Answers 503 with Retry-After once per client, then the page."""
    if "busy" not in handler.server.answered:
        handler.server.answered.add("busy")
        handler._send(503, _page("稍后再试", "<p>服务繁忙</p>"), headers={"Retry-After": "1"})
        return
    handler._send(200, _page("限流后正常", "<p>内容</p>"))


def _huge(content_type: str, chunk: bytes):
    """50 MB, streamed."""

    def route(handler, query):
        total = 50 * 1024 * 1024
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(total))
        handler.end_headers()
        if handler.command == "HEAD":
            return
        block = (chunk * (65536 // len(chunk) + 1))[:65536]
        try:
            for _ in range(total // len(block)):
                handler.wfile.write(block)
        except OSError:
            pass

    return route


def _binary(handler, query):
    handler._send(200, bytes(range(256)) * 64, content_type=HTML)


def _malformed(handler, query):
    handler._send(200, '<html><body><div><p>未闭合<table><tr><td>单元格<a href="/ok.html">链接'.encode("utf-8"))


def _gbk_lies(handler, query):
    body = '<html><head><meta charset="utf-8"><title>编码声明错误的页面</title></head><body><p>这一页其实是GBK编码。</p></body></html>'
    handler._send(200, body.encode("gbk"), content_type="text/html; charset=utf-8")


def _calendar(handler, query):
    month = int((query.get("month") or ["1"])[0])
    handler._send(200, _page(f"日历 {month}", f'<a href="/cal?month={month + 1}">下个月</a>'))


def _robots(handler, query):
    handler._send(200, b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")


def _dup(handler, query):
    handler._send(200, _page("重复页面", "<p>同一页面</p>"))


ROUTES = {
    "/": _home,
    "/index.html": _home,
    "/ok.html": _ok,
    "/slow-ok": _sleep_then(1.0),
    "/timeout": _sleep_then(8.0),
    "/reset": _reset,
    "/drip": _drip,
    "/loop-a": _redirect("/loop-b"),
    "/loop-b": _redirect("/loop-a"),
    "/chain/1": _redirect("/chain/2"),
    "/chain/2": _redirect("/chain/3"),
    "/chain/3": _redirect("/chain/4"),
    "/chain/4": _redirect("/ok.html"),
    "/busy": _busy,
    "/huge.html": _huge(HTML, b"<p>\xe5\x86\x85\xe5\xae\xb9</p>\n"),
    "/files/huge.pdf": _huge("application/pdf", b"%PDF-1.4 0000000000"),
    "/binary.html": _binary,
    "/malformed.html": _malformed,
    "/gbk-lies.html": _gbk_lies,
    "/cal": _calendar,
    "/dup.html": _dup,
    "/robots.txt": _robots,
    "/private/secret.html": _ok,
}


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), FaultHandler)
        self.hits: list[str] = []
        self.requests: list[tuple[str, str, str]] = []
        self.answered: set[str] = set()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


@contextmanager
def fault_portal():
    with serving(FaultServer()) as server:
        yield server


@contextmanager
def serving(server):
    """Serve `server` in a thread while the block runs."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


# -- a public portal seen through a proxy ---------------------------------------------------------

PUBLIC_HOST = "202.96.128.86"
# Where the public portal's links and redirects point: internal in every spelling the guard knows.
INTERNAL_TARGETS = {
    "/meta": "http://100.100.100.200/latest/meta-data/ram/security-credentials/",  # cloud metadata (100.64/10)
    "/meta-6to4": "http://[2002:6464:64c8::1]/latest/meta-data/",  # 6to4 of 100.100.100.200
    "/meta-nat64": "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",  # NAT64 of 169.254.169.254
    "/ietf": "http://192.0.0.8/",  # 192.0.0.0/24
    "/site-local": "http://[fec0::1]/",  # fec0::/10
    "/loopback-name": "http://localhost/admin/",  # a name for 127.0.0.1
}
OTHER_PORT = f"http://{PUBLIC_HOST}:8080/admin.html"
# Redirects to another port of the public host (not the site: checked, never crawled).
PORT_REDIRECTS = {"/other-port": OTHER_PORT, "/files/other-port.pdf": f"http://{PUBLIC_HOST}:8080/report.pdf"}
UNRESOLVABLE = "http://metadata.internal.invalid/computeMetadata/v1/"


class ProxyHandler(BaseHTTPRequestHandler):
    """An HTTP proxy that stands in for the public portal at PUBLIC_HOST (and answers a secret for
    any other target, so a request that leaks is seen both here and in the store)."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        self.server.requests.append((self.command, parts.netloc, parts.path))
        if parts.netloc != PUBLIC_HOST:
            self._send(200, _page("内部机密", "<p>INTERNAL SECRET</p>"))
        elif parts.path in INTERNAL_TARGETS or parts.path in PORT_REDIRECTS:
            self._send(302, b"", {"Location": {**INTERNAL_TARGETS, **PORT_REDIRECTS}[parts.path]})
        elif parts.path == "/":
            links = [
                *INTERNAL_TARGETS.values(),
                *INTERNAL_TARGETS,
                OTHER_PORT,
                *PORT_REDIRECTS,
                UNRESOLVABLE,
                "/ok.html",
            ]
            self._send(200, _page("公网测试县人民政府", "".join(f'<a href="{href}">链接</a>' for href in links)))
        elif parts.path == "/robots.txt":
            self._send(200, b"User-agent: *\nAllow: /\n", {"Content-Type": "text/plain"})
        else:
            self._send(200, _page("正常页面", "<p>内容</p>"))

    def _send(self, status: int, body: bytes, headers: dict | None = None) -> None:
        self.send_response(status)
        headers = {"Content-Type": HTML, **(headers or {})}
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def public_portal_proxy():
    server = ThreadingHTTPServer(("127.0.0.1", 0), ProxyHandler)
    server.daemon_threads = True
    server.requests = []
    return serving(server)
