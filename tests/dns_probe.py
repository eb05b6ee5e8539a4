"""Run a command with no network but loopback and a DNS server that only listens: started by a test
as `unshare -r -n -m python tests/dns_probe.py RECORD -- COMMAND…`, it brings up loopback in the new
network namespace, points /etc/resolv.conf (in the new mount namespace) at a stub on 127.0.0.1:53
(UDP and TCP) that writes every name asked to RECORD, one a line, and answers REFUSED, then runs
COMMAND and exits with its status. Nothing leaves the machine: the namespace has no other interface."""

from __future__ import annotations

import fcntl
import socket
import socketserver
import struct
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

_SIOCGIFFLAGS, _SIOCSIFFLAGS, _IFF_UP = 0x8913, 0x8914, 0x1


def _loopback_up() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sH14x", b"lo", 0)
        flags = struct.unpack("16sH14x", fcntl.ioctl(sock, _SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(sock, _SIOCSIFFLAGS, struct.pack("16sH14x", b"lo", flags | _IFF_UP))


def _question(message: bytes) -> str:
    """The first question's name of a DNS query ("" if it cannot be read)."""
    labels, at = [], 12
    while at < len(message) and message[at]:
        length = message[at]
        labels.append(message[at + 1 : at + 1 + length].decode("ascii", "replace"))
        at += 1 + length
    return ".".join(labels)


def _refused(message: bytes) -> bytes:
    """The query sent back as an answer: QR set, RCODE 5 (REFUSED)."""
    if len(message) < 12:
        return b""
    flags = struct.unpack("!H", message[2:4])[0]
    return message[:2] + struct.pack("!H", (flags | 0x8000) & 0xFFF0 | 5) + message[4:]


def main(record: Path, command: list[str]) -> int:
    _loopback_up()
    lock = threading.Lock()
    record.write_text("")

    def note(message: bytes) -> bytes:
        with lock, record.open("a") as handle:
            handle.write(_question(message) + "\n")
        return _refused(message)

    class Udp(socketserver.BaseRequestHandler):
        def handle(self):
            data, sock = self.request
            sock.sendto(note(data), self.client_address)

    class Tcp(socketserver.StreamRequestHandler):
        def handle(self):
            size = self.rfile.read(2)
            if len(size) == 2:
                answer = note(self.rfile.read(struct.unpack("!H", size)[0]))
                self.wfile.write(struct.pack("!H", len(answer)) + answer)

    servers = [
        socketserver.ThreadingUDPServer(("127.0.0.1", 53), Udp),
        socketserver.ThreadingTCPServer(("127.0.0.1", 53), Tcp),
    ]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    with tempfile.NamedTemporaryFile("w", suffix=".conf") as resolv:
        resolv.write("nameserver 127.0.0.1\noptions attempts:1 timeout:1\n")
        resolv.flush()
        subprocess.run(["mount", "--bind", resolv.name, "/etc/resolv.conf"], check=True)
        return subprocess.run(command).returncode


if __name__ == "__main__":
    split = sys.argv.index("--")
    sys.exit(main(Path(sys.argv[1]), sys.argv[split + 1 :]))
