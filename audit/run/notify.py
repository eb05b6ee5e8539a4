"""Telling someone how an unattended run ended: `--notify CMD` (or `notify:` in the config) runs a
shell command with the outcome in GOVAUDIT_* environment variables; `--notify https://…` POSTs it as
JSON. A hook that fails or hangs costs one line in the log and never changes the audit's exit code;
it is bounded in time (HOOK_SECONDS for all of it) and in what is kept of its output, and a webhook
goes through the crawl's address policy (an intranet one only when the config allows its host).
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import os
import selectors
import signal
import socket
import ssl
import subprocess
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from audit.config import is_webhook
from crawler.crawl.middlewares import is_internal, resolve
from reports.masking import clean, for_terminal

# A hook may send mail or call a chat bot; one that hangs must not hold the next scheduled run. The
# whole of it: a command and everything it started, or a webhook's connection, request and answer.
HOOK_SECONDS = 30
# What the log keeps of a command's output; the rest is read (so the command is not blocked) and dropped.
OUTPUT_BYTES = 64 * 1024

RESULTS = {
    0: "检查完成",
    1: "数据库写入失败",
    2: "参数或配置错误",
    3: "网站无法访问",
    4: "输出文件写入失败",
    130: "检查被中断（SIGINT）",
    143: "检查被中断（SIGTERM）",
}


@dataclass
class RunNote:
    """What a command found out, for the hook: filled in as the command goes."""

    command: str
    url: str | None = None
    out: str | None = None
    quarter: str | None = None
    run_id: int | None = None
    status: str | None = None
    pages: int | None = None
    findings: int | None = None
    severities: dict[str, int] = field(default_factory=dict)
    summary: str = ""

    def payload(self, exit_code: int, log_file: Path | None) -> dict:
        result = RESULTS.get(exit_code, f"退出码 {exit_code}")
        return clean(
            {
                **asdict(self),
                "exit": exit_code,
                "result": result,
                "summary": self.summary or result,
                "log_file": str(log_file) if log_file else None,
            }
        )


def alert_payload(url: str, event: str, result: str, summary: str, log_file: Path | None) -> dict:
    """The payload of an alert `govaudit watch` raises on a change of state (event down / up /
    tampered): the run payload's fields, the event, and GOVAUDIT_EVENT beside them."""
    return {**RunNote("watch", url=url, summary=summary).payload(0, log_file), "result": result, "event": event}


def environment(payload: dict) -> dict[str, str]:
    """GOVAUDIT_EXIT, GOVAUDIT_RESULT, GOVAUDIT_SUMMARY, GOVAUDIT_OUT, GOVAUDIT_QUARTER … and the whole
    payload as GOVAUDIT_JSON."""
    names = (
        "exit",
        "result",
        "summary",
        "command",
        "url",
        "out",
        "quarter",
        "run_id",
        "status",
        "pages",
        "findings",
        "log_file",
    )
    env = {f"GOVAUDIT_{name.upper()}": "" if payload[name] is None else str(payload[name]) for name in names}
    if "event" in payload:
        env["GOVAUDIT_EVENT"] = str(payload["event"])
    env["GOVAUDIT_JSON"] = json.dumps(payload, ensure_ascii=False)
    return env


def send(target: str, payload: dict, allowed: tuple[str, ...] = ()) -> list[str]:
    """Run the hook, in HOOK_SECONDS at most. The lines to log: the command's own output (the first
    OUTPUT_BYTES of it), and one line if the hook failed. A webhook on an internal address is only
    called when its host is in `allowed` (notify_allow_internal)."""
    if is_webhook(target):
        return _post(target, payload, allowed)
    return _run(target, payload)


def _run(command: str, payload: dict) -> list[str]:
    """The shell command, with what it prints read as it comes: the first OUTPUT_BYTES kept, the rest
    read and dropped; stopped with everything it started once HOOK_SECONDS are over."""
    deadline = time.monotonic() + HOOK_SECONDS
    try:
        process = subprocess.Popen(
            command,
            shell=True,
            env={**os.environ, **environment(payload)},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    except OSError as exc:
        return [f"通知命令无法运行 / notify command could not run: {exc.strerror or exc}"]
    kept, dropped, timed_out = bytearray(), 0, False
    try:
        with process.stdout, selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    timed_out = True
                    break
                if not selector.select(left):
                    continue
                chunk = os.read(process.stdout.fileno(), 65536)
                if not chunk:
                    break  # every process that could write has closed the pipe
                room = max(0, OUTPUT_BYTES - len(kept))
                kept += chunk[:room]
                dropped += len(chunk) - min(room, len(chunk))
        if not timed_out:
            try:
                process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                timed_out = True
    finally:
        if timed_out or process.poll() is None:
            # The shell and whatever it started (its session): nothing of the hook outlives the limit.
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        process.wait()
    lines = [
        f"通知命令输出 / notify: {for_terminal(line)}"
        for line in kept.decode("utf-8", errors="replace").splitlines()
        if line.strip()
    ]
    if dropped:
        lines.append(
            f"通知命令输出超过 {OUTPUT_BYTES // 1024} KB，其余 {dropped} 字节未记录 / notify output over "
            f"{OUTPUT_BYTES // 1024} KB: {dropped} bytes dropped"
        )
    if timed_out:
        lines.append(f"通知命令超过 {HOOK_SECONDS} 秒未结束，已停止 / notify command timed out after {HOOK_SECONDS}s")
    elif process.returncode != 0:
        lines.append(
            f"通知命令失败（退出码 {process.returncode}）/ notify command failed with exit {process.returncode}"
        )
    return lines


def _refused(host: str, addresses: list[str], allowed: tuple[str, ...]) -> str | None:
    """The first address of `host` the crawl's SSRF policy refuses (crawler.middlewares.is_internal)
    and the allow-list does not name (by host, address or network); a link-local address (cloud
    metadata, 169.254.169.254) whatever the list says. None when all may be called."""
    allowed = tuple(entry.strip().lower().rstrip(".") for entry in allowed if entry.strip())
    networks = []
    for entry in allowed:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            pass
    for address in addresses:
        if not is_internal(address):
            continue
        ip = ipaddress.ip_address(address)
        if ip.is_link_local or not (host in allowed or any(ip in network for network in networks)):
            return address
    return None


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the address that was checked, not to whatever the name resolves to next."""

    def __init__(self, host: str, port: int | None, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int | None, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _post(url: str, payload: dict, allowed: tuple[str, ...]) -> list[str]:
    """POST the payload: the host checked as the crawl checks a link and connected to at the address
    checked; no redirect followed; the whole exchange (a server trickling its answer included) cut
    off after HOOK_SECONDS."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    addresses = resolve(host)
    if not addresses:
        return [f"通知地址无法解析 / notify webhook failed: cannot resolve {for_terminal(host)}"]
    refused = _refused(host, addresses, allowed)
    if refused is not None:
        return [
            f"通知地址指向内网地址 {refused}，未发送；内网的通知地址须列入配置 notify_allow_internal / notify "
            f"webhook refused: {for_terminal(host)} is internal ({refused}) and not in notify_allow_internal"
        ]
    kind = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
    connection = kind(parts.hostname, parts.port, addresses[0], HOOK_SECONDS)
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    outcome: list = []

    def exchange() -> None:
        try:
            connection.request(
                "POST",
                parts._replace(scheme="", netloc="", fragment="").geturl() or "/",
                body,
                {"Content-Type": "application/json; charset=utf-8", "User-Agent": "govaudit (notify)"},
            )
            response = connection.getresponse()
            response.read(65536)
            outcome.append(response.status)
        except (OSError, http.client.HTTPException, ValueError) as exc:
            outcome.append(exc)

    worker = threading.Thread(target=exchange, name="govaudit-notify", daemon=True)
    worker.start()
    worker.join(HOOK_SECONDS)
    if worker.is_alive():
        # Wakes the exchange wherever it waits; the thread then ends on its own.
        if connection.sock is not None:
            try:
                connection.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        connection.close()
        return [f"通知地址超过 {HOOK_SECONDS} 秒未答复完毕，已放弃 / notify webhook timed out after {HOOK_SECONDS}s"]
    connection.close()
    [result] = outcome
    if isinstance(result, Exception):
        return [f"通知地址无法访问 / notify webhook failed: {for_terminal(result)}"]
    if not 200 <= result < 300:
        return [f"通知地址返回 HTTP {result} / notify webhook answered HTTP {result}"]
    return []
