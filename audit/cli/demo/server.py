"""Serve a portal directory (e.g. the bundled sample portal) over HTTP on 127.0.0.1.

Used by tests and by the demo command so the crawler can audit a portal without the internet::

    with serve_portal(Path("audit/sample_portal")) as portal:
        crawl(portal.base_url)          # "http://127.0.0.1:53211/"

    server = PortalServer(root).start()  # long-running (demo command)
    ...
    server.stop()

Static behaviour
----------------
* ``/`` and ``/dir/`` serve that directory's ``index.html``; ``/dir`` (a directory without the
  trailing slash) redirects 301 to ``/dir/``; a directory without ``index.html`` is a 404 (no
  listings).
* Missing files are a real ``404 Not Found``.  Query strings are ignored for static files.
* Content-Type comes from the extension (``.html`` → ``text/html; charset=utf-8``).
* No ``Last-Modified``/``ETag`` is sent by default: file mtimes depend on the checkout, and a crawler
  that reads dates from headers must not see them unless a portal asks for them in ``_headers.json``.
  ``PortalServer(root, validators=True)`` sends both for files (ETag: a hash of the bytes,
  Last-Modified: the file's mtime) and answers a conditional GET/HEAD whose validator still matches
  with ``304 Not Modified`` (If-None-Match wins over If-Modified-Since, RFC 9110 13.2.2), as web
  servers in front of real portals do; ``honour_conditional=False`` sends the validators but always
  answers in full, like a server that ignores conditional requests.
* Requests that would leave the root (``..`` segments, encoded or not, symlinks pointing out of
  the root) are refused with 403.  Dotfiles and ``_headers.json`` are never served (404).
* Only GET and HEAD are served; other methods get 405 unless a route was registered for them
  (see :meth:`PortalServer.add_route`, meant for later POST endpoints such as a CMS's
  ``dataproxy.jsp`` list loader).

``_headers.json``
-----------------
An optional file at the portal root maps URL paths to extra or overriding response headers and
an optional status code, so a portal can serve GBK pages, redirects and error pages::

    {
      "/gbk/index.html":  {"Content-Type": "text/html; charset=gbk"},
      "/old/index.html":  {"status": 301, "Location": "/new/index.html"},
      "/broken.html":     {"status": 500},
      "/soft404.html":    {"status": 200}
    }

Keys are absolute URL paths as requested (``/dir/`` and ``/dir/index.html`` both match a
directory index).  Header names match case-insensitively and replace the default value;
``Content-Length`` is always computed by the server.  An entry with a ``status`` applies even
if no file exists at that path (the body is then empty for 1xx/204/3xx, a small error page
otherwise); if the file exists its bytes are served with that status.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import posixpath
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate, mktime_tz, parsedate_tz
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

log = logging.getLogger(__name__)

SAMPLE_PORTAL = Path(__file__).resolve().parent / "sample_portal"
HEADERS_FILE = "_headers.json"
STATIC_METHODS = ("GET", "HEAD")

CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".shtml": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "application/javascript; charset=utf-8",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".xml": "application/xml",
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".wps": "application/vnd.ms-works",
    ".zip": "application/zip",
    ".rar": "application/vnd.rar",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
}
DEFAULT_CONTENT_TYPE = "application/octet-stream"


def content_type_for(path: Path) -> str:
    return CONTENT_TYPES.get(path.suffix.lower(), DEFAULT_CONTENT_TYPE)


@dataclass(frozen=True)
class PortalRequest:
    """What a route handler sees of a request."""

    method: str
    path: str  # decoded URL path, e.g. "/module/web/jpage/dataproxy.jsp"
    query: str  # raw query string, without "?"
    headers: dict[str, str]
    body: bytes = b""


@dataclass
class PortalResponse:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


RouteHandler = Callable[[PortalRequest], PortalResponse]


class _Forbidden(Exception):
    pass


def _error_page(status: int) -> bytes:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{status} {phrase}</title>'
        f"</head><body><h1>{status} {phrase}</h1></body></html>"
    ).encode("utf-8")


def _load_headers_map(root: Path) -> dict[str, dict]:
    path = root / HEADERS_FILE
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ValueError(f"{path}: invalid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected an object mapping paths to header objects")
    out: dict[str, dict] = {}
    for key, entry in data.items():
        if not key.startswith("/") or not isinstance(entry, dict):
            raise ValueError(f"{path}: entry {key!r} must be an absolute path mapping to an object")
        status = entry.get("status")
        if status is not None and not (isinstance(status, int) and 100 <= status <= 599):
            raise ValueError(f"{path}: entry {key!r} has an invalid status {status!r}")
        out[key] = entry
    return out


class _PortalHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(
        self,
        address,
        root: Path,
        headers_map: dict[str, dict],
        routes: dict[tuple[str, str], RouteHandler],
        validators: bool = False,
        honour_conditional: bool = True,
    ):
        self.root = root
        self.headers_map = headers_map
        self.routes = routes
        self.validators = validators
        self.honour_conditional = honour_conditional
        super().__init__(address, _PortalHandler)

    def handle_error(self, request, client_address):  # quiet: clients hanging up are normal
        log.debug("error while serving %s", client_address, exc_info=True)


class _PortalHandler(BaseHTTPRequestHandler):
    server: _PortalHTTPServer
    server_version = "PortalServer/1.0"
    sys_version = ""

    # -- dispatch ---------------------------------------------------------------------------
    def do_GET(self):
        self._dispatch("GET")

    def do_HEAD(self):
        self._dispatch("HEAD")

    def do_POST(self):
        self._dispatch("POST")

    def do_PUT(self):
        self._dispatch("PUT")

    def do_DELETE(self):
        self._dispatch("DELETE")

    def do_PATCH(self):
        self._dispatch("PATCH")

    def do_OPTIONS(self):
        self._dispatch("OPTIONS")

    def _dispatch(self, method: str) -> None:
        split = urlsplit(self.path)
        raw_path = split.path or "/"
        if "\x00" in unquote(raw_path):
            self._send(method, PortalResponse(400, {}, _error_page(400)))
            return
        path = unquote(raw_path)
        route = self.server.routes.get((method, path))
        if route is not None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length > 0 else b""
            request = PortalRequest(method, path, split.query, dict(self.headers.items()), body)
            self._send(method, route(request))
            return
        if method not in STATIC_METHODS:
            allowed = sorted(set(STATIC_METHODS) | {m for (m, p) in self.server.routes if p == path})
            self._send(method, PortalResponse(405, {"Allow": ", ".join(allowed)}, _error_page(405)))
            return
        self._send(method, self._static(raw_path, split.query))

    # -- static files -----------------------------------------------------------------------
    def _resolve(self, raw_path: str) -> Path:
        """Map a URL path to a filesystem path under root; raise _Forbidden if it escapes."""
        root = self.server.root
        segments = [s for s in unquote(raw_path).split("/") if s not in ("", ".")]
        if any(s == ".." for s in segments):
            raise _Forbidden(raw_path)
        candidate = root.joinpath(*segments)
        resolved = candidate.resolve()
        if resolved != root and not resolved.is_relative_to(root):
            raise _Forbidden(raw_path)  # e.g. a symlink pointing out of the root
        return candidate

    def _static(self, raw_path: str, query: str) -> PortalResponse:
        path = unquote(raw_path)
        try:
            target = self._resolve(raw_path)
        except _Forbidden:
            return PortalResponse(403, {"Content-Type": "text/html; charset=utf-8"}, _error_page(403))

        if target.is_dir():
            if not path.endswith("/"):
                location = raw_path + "/" + (f"?{query}" if query else "")
                return PortalResponse(301, {"Location": location}, b"")
            target = target / "index.html"

        rel = target.relative_to(self.server.root).as_posix()
        hidden = any(part.startswith(".") for part in Path(rel).parts) or rel == HEADERS_FILE
        exists = target.is_file() and not hidden

        keys = [path]
        if path.endswith("/"):
            keys.append(path + "index.html")
        elif posixpath.basename(path) == "index.html":
            keys.append(path[: -len("index.html")])
        override = next((self.server.headers_map[k] for k in keys if k in self.server.headers_map), None)

        if exists:
            response = PortalResponse(200, {"Content-Type": content_type_for(target)}, target.read_bytes())
            if self.server.validators:
                response = self._validated(target, response)
        elif override is not None and "status" in override:
            status = override["status"]
            no_body = status < 200 or status == 204 or 300 <= status < 400
            response = PortalResponse(
                status, {"Content-Type": "text/html; charset=utf-8"}, b"" if no_body else _error_page(status)
            )
        else:
            return PortalResponse(404, {"Content-Type": "text/html; charset=utf-8"}, _error_page(404))

        if override is not None:
            for name, value in override.items():
                if name == "status":
                    response.status = int(value)
                    continue
                for existing in [k for k in response.headers if k.lower() == name.lower()]:
                    del response.headers[existing]
                response.headers[name] = str(value)
        return response

    def _validated(self, target: Path, response: PortalResponse) -> PortalResponse:
        """A file's answer with its ETag and Last-Modified, or 304 when the request's validator matches."""
        etag = '"' + hashlib.sha1(response.body).hexdigest()[:20] + '"'
        modified = int(target.stat().st_mtime)
        validators = {"ETag": etag, "Last-Modified": formatdate(modified, usegmt=True)}
        response.headers.update(validators)
        if not self.server.honour_conditional:
            return response
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            unchanged = "*" in tags or etag in tags
        else:
            unchanged = _not_modified_since(self.headers.get("If-Modified-Since"), modified)
        return PortalResponse(304, validators, b"") if unchanged else response

    # -- output -----------------------------------------------------------------------------
    def _send(self, method: str, response: PortalResponse) -> None:
        self.send_response(response.status)
        for name, value in response.headers.items():
            if name.lower() != "content-length":
                self.send_header(name, value)
        if response.status != 304:  # a 304's length would be the unsent body's (RFC 9110 8.6)
            self.send_header("Content-Length", str(len(response.body)))
        # HTTP/1.0 closes every connection; saying so keeps clients from pooling it and then
        # sending a POST (which they never retry) down a socket that is already closed.
        self.send_header("Connection", "close")
        self.end_headers()
        if method != "HEAD" and response.body:
            self.wfile.write(response.body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - signature from base class
        log.debug("%s - %s", self.address_string(), format % args)


def _not_modified_since(value: str | None, modified: int) -> bool:
    """If-Modified-Since holds: the file has not changed since the date given (an HTTP date, GMT)."""
    since = parsedate_tz(value or "")
    return since is not None and mktime_tz(since) >= modified


class PortalServer:
    """Serves a portal directory in a background thread (daemon threads, quiet logging)."""

    def __init__(
        self,
        root: Path | str,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        validators: bool = False,
        honour_conditional: bool = True,
    ):
        self.root = Path(root).resolve()
        if not self.root.is_dir():
            raise FileNotFoundError(f"portal root is not a directory: {self.root}")
        self.host = host
        self.port = port
        self.validators = validators
        self.honour_conditional = honour_conditional
        self.routes: dict[tuple[str, str], RouteHandler] = {}
        self._httpd: _PortalHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def add_route(self, method: str, path: str, handler: RouteHandler) -> None:
        """Answer ``method path`` (decoded, no query) with ``handler`` instead of a static file."""
        self.routes[(method.upper(), path)] = handler

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("server not started")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def url(self, path: str) -> str:
        return self.base_url + path.lstrip("/")

    def start(self) -> "PortalServer":
        if self._httpd is not None:
            return self
        headers_map = _load_headers_map(self.root)
        self._httpd = _PortalHTTPServer(
            (self.host, self.port), self.root, headers_map, self.routes, self.validators, self.honour_conditional
        )
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"portal-server-{self.port}",
            daemon=True,
        )
        self._thread.start()
        log.info("serving %s at %s", self.root, self.base_url)
        return self

    def stop(self) -> None:
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self) -> "PortalServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


@contextmanager
def serve_portal(root: Path | str, host: str = "127.0.0.1", port: int = 0) -> Iterator[PortalServer]:
    """Serve ``root`` for the duration of the ``with`` block; yields the running server."""
    server = PortalServer(root, host, port).start()
    try:
        yield server
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve a portal directory over HTTP.")
    parser.add_argument(
        "root", nargs="?", default=str(SAMPLE_PORTAL), help="portal directory (default: the bundled sample portal)"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    server = PortalServer(args.root, args.host, args.port).start()
    print(f"Serving {server.root} at {server.base_url} (Ctrl-C to stop)")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
