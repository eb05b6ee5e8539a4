"""`govaudit review RUN`: the review page served on 127.0.0.1 while the clerk decides, then stopped.

Only this machine can reach it (127.0.0.1, a free port by default), and only the page it served can
change anything: every POST must carry the token written into that page (a new one each time the
server starts), so another page open in the clerk's browser cannot post decisions (CSRF); a request
naming another host is refused (a DNS name rebound to 127.0.0.1); the answers may not be framed.
"""

from __future__ import annotations

import hmac
import secrets
import string
import threading
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from audit.judging.review import run_review
from audit.store import Store, StoreError
from audit.store.models import AuditRun
from audit.store.reviews import BadDecision, save_decision
from reports.review import kept_copy_page, review_page
from rules.settings import Settings

# A form post is a few hundred bytes; anything much larger is not the page's.
MAX_BODY = 64 * 1024
_HEADERS = {
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # the form posts carry their Origin; no other site learns the address
}
_PAGE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
_COPY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def session_token() -> str:
    """Letters only: nothing in it can read as a number the reports mask."""
    return "".join(secrets.choice(string.ascii_letters) for _ in range(40))


class ReviewServer:
    """The review page of one run, on 127.0.0.1:port (0: a free port)."""

    def __init__(self, store: Store, run: AuditRun, settings: Settings, reviewer: str, port: int = 0):
        self.store, self.run, self.settings, self.reviewer = store, run, settings, reviewer
        self.token = session_token()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> ReviewServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="govaudit-review", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join()

    # -- what the handler asks ---------------------------------------------------------------------

    def page(self, error: str = "", fingerprint: str = "") -> str:
        review = run_review(self.store, self.run)
        return review_page(self.store, review, self.settings, self.reviewer, self.token, error, fingerprint)

    def copy(self, fingerprint: str) -> str | None:
        return kept_copy_page(self.store, run_review(self.store, self.run), self.settings, fingerprint)

    def decide(self, fields: dict[str, str]) -> tuple[int, str, str]:
        """Store one decision posted by the page: (status, error, fingerprint), error "" when stored."""
        fingerprint = fields.get("fingerprint", "")
        item = run_review(self.store, self.run).item(fingerprint)
        if item is None:
            return HTTPStatus.BAD_REQUEST, "本次检查没有这个问题 / no such problem in this run", ""
        try:
            save_decision(
                self.store,
                self.run.id,
                fingerprint,
                item.row.rule,
                fields.get("decision", ""),
                fields.get("reason", ""),
                self.reviewer,
            )
        except BadDecision as exc:
            return HTTPStatus.BAD_REQUEST, str(exc), fingerprint
        except StoreError as exc:
            return HTTPStatus.INTERNAL_SERVER_ERROR, f"未能保存 / not saved: {exc}", fingerprint
        return HTTPStatus.SEE_OTHER, "", fingerprint


def _handler(server: ReviewServer) -> type[BaseHTTPRequestHandler]:
    class ReviewHandler(BaseHTTPRequestHandler):
        server_version = "govaudit-review"
        sys_version = ""

        def do_GET(self):
            if not self._host_ok():
                return
            path = urlsplit(self.path).path
            if path == "/":
                self._send(HTTPStatus.OK, server.page())
            elif path.startswith("/copy/"):
                copy = server.copy(unquote(path.removeprefix("/copy/")))
                if copy is None:
                    self._send(HTTPStatus.NOT_FOUND, _message("没有保存这个页面的副本 / no kept copy"))
                else:
                    self._send(HTTPStatus.OK, copy, policy=_COPY_POLICY)
            else:
                self._send(HTTPStatus.NOT_FOUND, _message("没有这个页面 / not found"))

        def do_POST(self):
            if not self._host_ok():
                return
            if urlsplit(self.path).path != "/decide":
                self._send(HTTPStatus.NOT_FOUND, _message("没有这个页面 / not found"))
                return
            try:
                length = int(self.headers.get("Content-Length", "0"))
            except ValueError:
                length = -1
            if not 0 <= length <= MAX_BODY:
                self._send(HTTPStatus.BAD_REQUEST, _message("请求无效 / bad request"))
                return
            body = self.rfile.read(length).decode("utf-8", errors="replace")
            fields = {name: values[0] for name, values in parse_qs(body, keep_blank_values=True).items()}
            origin = self.headers.get("Origin")
            if not hmac.compare_digest(fields.get("token", "").encode(), server.token.encode()) or (
                origin is not None and origin.rstrip("/") != server.base_url.rstrip("/")
            ):
                self._send(
                    HTTPStatus.FORBIDDEN,
                    _message("请求不是来自本次打开的核查页面，未保存 / not posted from this review page: refused"),
                )
                return
            status, error, fingerprint = server.decide(fields)
            if status == HTTPStatus.SEE_OTHER:
                self.send_response(status)
                self.send_header("Location", f"/#p-{fingerprint}")
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self._send(status, server.page(error, fingerprint))

        def _host_ok(self) -> bool:
            """Only requests addressed to this server by its address (not a name rebound to it)."""
            if self.headers.get("Host") in (f"127.0.0.1:{server.port}", f"localhost:{server.port}"):
                return True
            self._send(HTTPStatus.FORBIDDEN, _message("请求的主机名不对 / wrong Host"))
            return False

        def _send(self, status: int, html: str, policy: str = _PAGE_POLICY) -> None:
            data = html.encode("utf-8")
            self.send_response(status)
            for name, value in _HEADERS.items():
                self.send_header(name, value)
            self.send_header("Content-Security-Policy", policy)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's signature
            pass  # the clerk's terminal shows the address and how to stop, not a request log

    return ReviewHandler


def _message(text: str) -> str:
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>问题核查</title></head>'
        f'<body><p>{escape(text)}</p><p><a href="/">返回核查页面</a></p></body></html>'
    )
