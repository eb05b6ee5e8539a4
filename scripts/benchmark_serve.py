"""Servers for scripts/benchmark.py, each recording every request it answers.

nginx serves the generated portal so the server is never the bottleneck of a comparison row; when
nginx cannot be had the project's Python server (audit.cli.demo.server) is the fallback. Both record,
per request: start and end time, connection, status and bytes sent — what the benchmark needs
to show a polite crawl's load on the site (connections at once, requests a second) and the bytes a
re-audit transfers. nginx sends ETag and Last-Modified for static files (its defaults) and answers
If-None-Match / If-Modified-Since with 304; the Python server sends neither.

nginx comes from the system (`nginx` on PATH or /usr/sbin/nginx) or else from Debian's archive:
`apt-get download nginx` and `dpkg -x` into the tools folder. Unpacking rather than `apt-get install`
needs no root and starts no system nginx on port 80 (the package's postinst would).
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from audit.cli.demo.server import CONTENT_TYPES, PortalServer, _PortalHandler  # noqa: E402

# The access log line: $msec is the time of logging (the end of the request), $request_time the
# seconds since its first byte was read, both to the millisecond.
LOG_FORMAT = "$msec $request_time $connection $status $bytes_sent $body_bytes_sent $request_method $request_uri"
# LinkChecker caps itself at 10 requests a second per host unless the host answers with this header.
LINKCHECKER_HEADER = ("LinkChecker", "benchmark")


@dataclass(frozen=True)
class ServedRequest:
    start: float  # epoch seconds
    end: float
    connection: int  # requests on one kept-alive connection share it
    status: int
    sent_bytes: int  # the whole response, headers included
    body_bytes: int
    method: str
    path: str


# -- what the requests show -------------------------------------------------------------------


def _max_overlap(intervals: list[tuple[float, float]]) -> int:
    """Most intervals open at one instant. One ending when another starts does not overlap it; one
    too short for the clock (start == end) is open at its instant."""
    events = []
    for start, end in intervals:
        events += [(start, 1, 1), (end, 0, -1)] if end > start else [(start, 1, 1), (start, 2, -1)]
    most = current = 0
    for _, _, step in sorted(events):
        current += step
        most = max(most, current)
    return most


def max_concurrent_connections(requests: list[ServedRequest]) -> int:
    """Most connections in use at once: a connection counts from its first request's start to its
    last request's end. With keep-alive this is the client's parallelism as the server sees it even
    when each request takes well under a millisecond (nginx on static files)."""
    spans: dict[int, tuple[float, float]] = {}
    for request in requests:
        first, last = spans.get(request.connection, (request.start, request.end))
        spans[request.connection] = (min(first, request.start), max(last, request.end))
    return _max_overlap(list(spans.values()))


def max_concurrent_requests(requests: list[ServedRequest]) -> int:
    """Most requests in progress at the server at once."""
    return _max_overlap([(r.start, r.end) for r in requests])


def max_requests_per_second(requests: list[ServedRequest]) -> int:
    """Most requests started within any one-second window."""
    starts = sorted(r.start for r in requests)
    most = low = 0
    for high, start in enumerate(starts):
        while start - starts[low] >= 1.0:
            low += 1
        most = max(most, high - low + 1)
    return most


@dataclass
class RequestStats:
    requests: int
    pages: int  # distinct paths requested
    bytes_sent: int  # whole responses: what a re-audit answered 304 still costs is in here
    body_bytes: int
    not_modified: int  # 304 answers
    max_connections: int
    max_in_progress: int
    max_per_second: int

    @classmethod
    def of(cls, requests: list[ServedRequest]) -> "RequestStats":
        return cls(
            len(requests),
            len({r.path for r in requests}),
            sum(r.sent_bytes for r in requests),
            sum(r.body_bytes for r in requests),
            sum(1 for r in requests if r.status == 304),
            max_concurrent_connections(requests),
            max_concurrent_requests(requests),
            max_requests_per_second(requests),
        )


# -- nginx ------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited with code {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nginx did not listen on port {port} within {seconds:.0f}s")


def find_nginx(tools: Path) -> tuple[Path | None, str]:
    """The nginx binary and where it came from, or None and why it cannot be had."""
    for candidate in (shutil.which("nginx"), "/usr/sbin/nginx", tools / "nginx-deb/usr/sbin/nginx"):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate), f"nginx from {candidate}"
    if not (shutil.which("apt-get") and shutil.which("dpkg")):
        return None, "nginx is not installed and there is no apt-get/dpkg to fetch it"
    download = tools / "nginx-download"
    download.mkdir(parents=True, exist_ok=True)
    fetched = subprocess.run(["apt-get", "download", "nginx"], cwd=download, capture_output=True, text=True)
    debs = sorted(download.glob("nginx_*.deb"))
    if fetched.returncode != 0 or not debs:
        last = (fetched.stderr.strip().splitlines() or ["no .deb"])[-1]
        return None, f"apt-get download nginx failed: {last}"
    unpacked = subprocess.run(["dpkg", "-x", str(debs[-1]), str(tools / "nginx-deb")], capture_output=True, text=True)
    binary = tools / "nginx-deb/usr/sbin/nginx"
    if unpacked.returncode != 0 or not binary.is_file():
        return None, f"dpkg -x {debs[-1].name} failed: {unpacked.stderr.strip()[-200:]}"
    return binary, f"nginx unpacked from Debian's {debs[-1].name}"


def _nginx_types() -> str:
    by_type: dict[str, list[str]] = {}
    for extension, content_type in CONTENT_TYPES.items():
        by_type.setdefault(content_type.split(";")[0], []).append(extension.lstrip("."))
    return "\n".join(f"    {kind} {' '.join(exts)};" for kind, exts in by_type.items())


class NginxServer:
    """nginx serving `root` on 127.0.0.1 (one worker, keep-alive, sendfile), logging every request."""

    kind = "nginx"
    validators = True  # ETag and Last-Modified on static files

    def __init__(self, binary: Path, root: Path, folder: Path):
        self.binary, self.root, self.folder = binary, root.resolve(), folder
        self.port = _free_port()
        self.log = folder / "access.log"
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def version(self) -> str:
        out = subprocess.run([str(self.binary), "-v"], capture_output=True, text=True)
        return out.stderr.strip().split("/")[-1]

    def _config(self) -> str:
        tmp = self.folder / "tmp"
        temp_paths = "\n".join(
            f"  {kind}_temp_path {tmp / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        # Root's workers would otherwise run as nobody, who may not read a private temp folder.
        user = "user root;\n" if os.geteuid() == 0 else ""
        return f"""{user}worker_processes 1;
daemon off;
pid {self.folder / "nginx.pid"};
lock_file {self.folder / "nginx.lock"};
error_log {self.folder / "error.log"} warn;
events {{ worker_connections 1024; }}
http {{
  types {{
{_nginx_types()}
  }}
  default_type application/octet-stream;
  charset utf-8;
  charset_types text/html text/css text/plain application/javascript;
{temp_paths}
  log_format bench '{LOG_FORMAT}';
  access_log {self.log} bench;
  sendfile on;
  keepalive_timeout 30s;
  keepalive_requests 1000000;
  server_tokens off;
  server {{
    listen 127.0.0.1:{self.port};
    root {self.root};
    index index.html;
    absolute_redirect off;
    add_header {LINKCHECKER_HEADER[0]} {LINKCHECKER_HEADER[1]};
  }}
}}
"""

    def start(self) -> "NginxServer":
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "tmp").mkdir(exist_ok=True)
        config = self.folder / "nginx.conf"
        config.write_text(self._config())
        self.log.touch()
        errors = self.folder / "error.log"
        with (self.folder / "stderr").open("wb") as stderr:
            self.process = subprocess.Popen(
                [str(self.binary), "-p", str(self.folder), "-c", str(config), "-e", str(errors)],
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
        try:
            _wait_for_port(self.port, self.process)
        except RuntimeError as error:
            self.stop()
            said = [
                (self.folder / name).read_text(errors="replace").strip()
                for name in ("stderr", "error.log")
                if (self.folder / name).exists()
            ]
            raise RuntimeError(f"{error}: {' '.join(said)[-300:]}") from None
        return self

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful: workers finish, the log is complete
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def mark(self) -> int:
        """Where the requests from now on start (read with requests_since)."""
        return self.log.stat().st_size

    def requests_since(self, mark: int) -> list[ServedRequest]:
        # nginx writes a request's line when it ends; the rows run one after the other, so once a
        # client has exited every line of its requests is in the file.
        with self.log.open("rb") as log:
            log.seek(mark)
            lines = log.read().decode("utf-8", errors="replace").splitlines()
        requests = []
        for line in lines:
            parts = line.split(" ", 7)
            if len(parts) != 8:
                continue
            end, took = float(parts[0]), float(parts[1])
            requests.append(
                ServedRequest(
                    end - took,
                    end,
                    int(parts[2]),
                    int(parts[3]),
                    int(parts[4]),
                    int(parts[5]),
                    parts[6],
                    parts[7].split("?")[0],
                )
            )
        return requests


# -- the Python server ------------------------------------------------------------------------


class _RecordingHandler(_PortalHandler):
    """The demo server's handler, noting each request (HTTP/1.0: one connection per request)."""

    _connections = itertools.count(1)

    def _dispatch(self, method: str) -> None:
        self._answer, self._header_bytes = (0, 0), 0
        start = time.time()
        try:
            super()._dispatch(method)
        finally:
            status, body = self._answer
            self.server.requests.append(
                ServedRequest(
                    start,
                    time.time(),
                    next(self._connections),
                    status,
                    self._header_bytes + body,
                    body,
                    method,
                    self.path.split("?")[0],
                )
            )

    def _send(self, method, response) -> None:
        response.headers.setdefault(*LINKCHECKER_HEADER)
        self._answer = (response.status, 0 if method == "HEAD" else len(response.body))
        super()._send(method, response)

    def flush_headers(self) -> None:
        self._header_bytes += sum(len(chunk) for chunk in getattr(self, "_headers_buffer", []))
        super().flush_headers()


class RecordingPythonServer:
    """audit.cli.demo.server.PortalServer with every answered request recorded."""

    kind = "python"
    version = "audit.cli.demo.server"
    validators = False  # no ETag or Last-Modified: nothing for a re-audit to ask with

    def __init__(self, root: Path):
        self._server = PortalServer(root)

    @property
    def base_url(self) -> str:
        return self._server.base_url

    def start(self) -> "RecordingPythonServer":
        self._server.start()
        httpd = self._server._httpd
        httpd.requests = []
        httpd.RequestHandlerClass = _RecordingHandler
        return self

    def stop(self) -> None:
        self._server.stop()

    def mark(self) -> int:
        return len(self._server._httpd.requests)

    def requests_since(self, mark: int) -> list[ServedRequest]:
        return list(self._server._httpd.requests[mark:])


def serve(kind: str, root: Path, folder: Path, tools: Path) -> tuple[NginxServer | RecordingPythonServer, str]:
    """A started server of `kind` ("nginx" or "python") and a line saying which one serves and why."""
    if kind == "nginx":
        binary, origin = find_nginx(tools)
        if binary is not None:
            try:
                server = NginxServer(binary, root, folder).start()
                return server, f"{origin} (version {server.version})"
            except (OSError, RuntimeError) as error:
                origin = f"nginx would not start: {error}"
        return RecordingPythonServer(root).start(), f"Python server (audit.cli.demo.server); {origin}"
    return RecordingPythonServer(root).start(), "Python server (audit.cli.demo.server), as asked"
