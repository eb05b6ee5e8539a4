"""The notify hook is bounded: a command that prints without end costs the audit 64 KB of log, not
its memory; a command, what it leaves running, or a webhook that answers a byte at a time end after
30 seconds in all; and a webhook goes through the crawl's address policy — an internal one is only
called when the config names it, and cloud metadata never. Real `govaudit` processes, real shell
commands, real HTTP servers on loopback."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from audit.run.notify import HOOK_SECONDS, OUTPUT_BYTES


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _audit_then_notify(tmp_path, hook: str, *config: str) -> tuple[subprocess.CompletedProcess, float, int]:
    """`govaudit audit` of a site that is down (quick: exit 3, outputs written) with `--notify hook`;
    its result, the seconds the hook took (from the log's times: from the audit's last line to the
    hook's last one) and peak RSS in MB (the largest of govaudit and everything it ran)."""
    log = tmp_path / f"{uuid.uuid4().hex}.log"
    args = [
        "audit",
        f"http://127.0.0.1:{_free_port()}/",
        "--as-of",
        "2022-10-15",
        "--quiet",
        "--db",
        f"sqlite:///{tmp_path / f'{uuid.uuid4().hex}.sqlite'}",
        "--out",
        str(tmp_path / "out"),
        "--notify",
        hook,
        "--log-file",
        str(log),
    ]
    if config:
        (tmp_path / "govaudit.yaml").write_text("\n".join(config) + "\n", encoding="utf-8")
        args += ["--config", str(tmp_path / "govaudit.yaml")]
    # A fresh interpreter measures: RUSAGE_CHILDREN is the peak of the processes it waited for.
    measure = (
        "import json, resource, subprocess, sys, time; start = time.monotonic(); "
        "done = subprocess.run([sys.executable, '-m', 'audit.cli', *sys.argv[1:]], capture_output=True, "
        "text=True); print(json.dumps([done.returncode, done.stdout, done.stderr, time.monotonic() - start, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024]))"
    )
    measured = subprocess.run([sys.executable, "-c", measure, *args], capture_output=True, text=True, timeout=900)
    code, stdout, stderr, _, peak = json.loads(measured.stdout)
    times = [
        (datetime.strptime(line[:19], "%Y-%m-%d %H:%M:%S"), line[20:])
        for line in log.read_text("utf-8").splitlines()
        if line[:2] == "20"
    ]
    finished = next(when for when, text in times if text.startswith("—— 结束"))
    return subprocess.CompletedProcess(args, code, stdout, stderr), (times[-1][0] - finished).total_seconds(), peak


def test_a_command_printing_200_mb_costs_64_kb_of_log(tmp_path):
    done, seconds, peak = _audit_then_notify(
        tmp_path, "echo 身份证 532625198503122010 >&2; yes 0123456789abcdef 2>/dev/null | head -c 200000000"
    )
    assert done.returncode == 3, done.stderr
    logged = [line for line in done.stderr.splitlines() if line.startswith("通知命令输出 / notify: ")]
    assert 0 < sum(len(line) for line in logged) <= OUTPUT_BYTES + 64 * len(logged)
    # The ID number printed first is logged masked; all but the first 64 KB are dropped, and said so.
    assert "532625********2010" in done.stderr and "532625198503122010" not in done.stderr
    dropped = 200_000_000 + len("身份证 532625198503122010\n".encode()) - OUTPUT_BYTES
    assert f"{dropped} bytes dropped" in done.stderr, done.stderr[-500:]
    assert peak < 400, f"peak RSS {peak} MB"
    assert "Traceback" not in done.stderr


def test_a_command_that_leaves_a_process_holding_its_output_ends_at_the_limit(tmp_path):
    marker = f"{HOOK_SECONDS * 20}.{uuid.uuid4().int % 10**6}"
    done, seconds, _ = _audit_then_notify(tmp_path, f"echo 已发送; sleep {marker} & sleep {marker}")
    assert done.returncode == 3, done.stderr
    assert "notify: 已发送" in done.stderr and f"timed out after {HOOK_SECONDS}s" in done.stderr
    assert HOOK_SECONDS - 1 <= seconds <= HOOK_SECONDS + 5, seconds
    # Nothing the hook started outlives it.
    assert subprocess.run(["pgrep", "-f", f"sleep {marker}"], capture_output=True).returncode == 1


class _Server:
    """A webhook receiver on 127.0.0.1 that answers a byte every 2 seconds (if `trickle`) or at once;
    counts what it was sent."""

    def __init__(self, trickle: bool = False):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(200)
                self.send_header("Content-Length", "1000" if trickle else "0")
                self.end_headers()
                for _ in range(200 if trickle else 0):
                    try:
                        self.wfile.write(b"x")
                        self.wfile.flush()
                    except OSError:
                        return
                    time.sleep(2)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_a_webhook_answering_a_byte_at_a_time_is_cut_off_after_the_limit(tmp_path):
    server = _Server(trickle=True)
    try:
        done, seconds, _ = _audit_then_notify(tmp_path, server.url, "notify_allow_internal: [127.0.0.1]")
    finally:
        server.close()
    assert done.returncode == 3, done.stderr
    assert len(server.received) == 1 and server.received[0]["exit"] == 3
    assert f"notify webhook timed out after {HOOK_SECONDS}s" in done.stderr
    assert HOOK_SECONDS - 1 <= seconds <= HOOK_SECONDS + 5, seconds


def test_an_internal_webhook_is_called_only_when_the_config_names_it(tmp_path):
    server = _Server()
    try:
        refused, _, _ = _audit_then_notify(tmp_path, server.url)
        assert server.received == []
        named, _, _ = _audit_then_notify(tmp_path, server.url, "notify_allow_internal: [127.0.0.1]")
        assert len(server.received) == 1
        by_network, _, _ = _audit_then_notify(
            tmp_path, server.url.replace("127.0.0.1", "localhost"), "notify_allow_internal: [127.0.0.0/8]"
        )
        assert len(server.received) == 2
        other, _, _ = _audit_then_notify(
            tmp_path, server.url, "notify_allow_internal: [10.20.0.0/16, hook.gov.internal]"
        )
        assert len(server.received) == 2
    finally:
        server.close()
    for done in (refused, other):
        assert done.returncode == 3 and "notify webhook refused" in done.stderr and "127.0.0.1" in done.stderr
    for done in (named, by_network):
        assert done.returncode == 3 and "notify" not in done.stderr, done.stderr


def test_cloud_metadata_is_never_called_whatever_the_allow_list(tmp_path):
    for config in ((), ("notify_allow_internal: [169.254.169.254, 169.254.0.0/16]",)):
        done, seconds, _ = _audit_then_notify(tmp_path, "http://169.254.169.254/latest/meta-data/", *config)
        assert done.returncode == 3, done.stderr
        # Refused before any connection is tried (one would hang until the limit or fail later).
        assert "notify webhook refused" in done.stderr and "169.254.169.254" in done.stderr
        assert "Traceback" not in done.stderr
