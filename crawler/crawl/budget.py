"""Reading on a budget: pages and attachments are read in worker processes, each item with a
wall-clock budget and a memory cap.

A hostile or broken item (a spreadsheet claiming a million rows, a PDF whose pages share one huge
content stream, a Word file inflating to gigabytes, markup that sends a parser into long work)
costs at most its budget: the worker reading it is killed (too slow) or runs out of address space
(too big) and is replaced, the item is recorded as not read, and the crawl goes on. Reading in
processes rather than threads also keeps the crawler's own interpreter free, so request timeouts
keep firing while a page is read, and uses the second core.

The budget is CPU time, enforced by the kernel (RLIMIT_CPU, set afresh for each item), so eight
processes sharing two cores do not push an ordinary page over it; the wall clock is a backstop at
WALL_CLOCK_FACTOR times the budget (an item stuck without using the CPU).

`ReaderPool.run` blocks: the spider calls it from a thread (scrapy.utils.asyncio.run_in_thread).
"""

from __future__ import annotations

import logging
import math
import queue
import resource
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

log = logging.getLogger(__name__)

# What a report says about an item its reader could not finish.
TOO_SLOW = "未能读取（超时）"
TOO_BIG = "未能读取（过大）"
WALL_CLOCK_FACTOR = 10


@dataclass(frozen=True)
class Outcome:
    """A reader's result, or why there is none (`unread`: TOO_SLOW or TOO_BIG)."""

    value: Any = None
    unread: str | None = None


class _Worker:
    """One reader process. A plain `python -m crawler.crawl.budget` child rather than a multiprocessing
    one: spawning re-imports the caller's whole __main__ (the CLI, Scrapy, SQLAlchemy) per worker."""

    def __init__(self, cpu_seconds: float, memory_bytes: int):
        ours, theirs = socket.socketpair()
        with theirs:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "crawler.crawl.budget",
                    str(theirs.fileno()),
                    str(cpu_seconds),
                    str(memory_bytes),
                ],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
            )
        self.connection = Connection(ours.detach())

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.connection.send(None)
            except OSError:
                self.process.kill()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.connection.close()

    def ran_out_of_time(self) -> bool:
        """After the worker died: whether the kernel stopped it for its CPU budget."""
        try:
            return self.process.wait(5) == -signal.SIGXCPU
        except subprocess.TimeoutExpired:
            return False


class ReaderPool:
    """`processes` reader processes; each call gets at most `seconds` of CPU time (and
    WALL_CLOCK_FACTOR times that of wall clock) and its worker at most `memory_mb` of address space."""

    def __init__(self, processes: int, seconds: float, memory_mb: int):
        self.seconds = seconds
        self._memory_bytes = memory_mb * 1024 * 1024
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(max(1, processes)):
            self._idle.put(self._start())

    def _start(self) -> _Worker:
        worker = _Worker(self.seconds, self._memory_bytes)
        with self._lock:
            self._all.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> _Worker | None:
        worker.stop(kill=True)
        with self._lock:
            self._all.discard(worker)
            if self._closed:
                return None
        return self._start()

    def run(self, function: Callable, *args, **kwargs) -> Outcome:
        """`function(*args, **kwargs)` in a reader process (function and arguments must pickle)."""
        worker = self._idle.get()
        try:
            outcome = self._ask(worker, function, args, kwargs)
            if outcome.unread is not None:
                log.info("%s: %s", outcome.unread, args[1:2])
                worker = self._replace(worker)
            return outcome
        finally:
            if worker is not None:
                self._idle.put(worker)

    def _ask(self, worker: _Worker, function: Callable, args: tuple, kwargs: dict) -> Outcome:
        try:
            worker.connection.send((function, args, kwargs))
            if not worker.connection.poll(self.seconds * WALL_CLOCK_FACTOR):
                return Outcome(unread=TOO_SLOW)
            status, value = worker.connection.recv()
        except (EOFError, OSError):
            # The worker died: stopped by the kernel for CPU time or memory, or a crash in a C parser.
            return Outcome(unread=TOO_SLOW if worker.ran_out_of_time() else TOO_BIG)
        if status == "error":
            log.warning("reader failed: %s", value)
            return Outcome()
        return Outcome(value) if status == "ok" else Outcome(unread=TOO_BIG)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()


def _serve(connection: Connection, cpu_seconds: float, memory_bytes: int) -> None:
    """A reader process: run what it is sent until told to stop (None) or out of memory."""
    # Ctrl-C is the crawler's to handle; a reader stops when the crawler closes the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Loaded before the cap and the first item, so no item's budget pays for the imports.
    import crawler.crawl.attachments  # noqa: F401
    import crawler.reading  # noqa: F401

    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    # SIGXCPU ends the process (a Python handler would wait for a long C call to return); no core file.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        if job is None:
            return
        function, args, kwargs = job
        usage = resource.getrusage(resource.RUSAGE_SELF)
        limit = math.ceil(usage.ru_utime + usage.ru_stime + cpu_seconds)
        resource.setrlimit(resource.RLIMIT_CPU, (limit, resource.RLIM_INFINITY))
        try:
            connection.send(("ok", function(*args, **kwargs)))
        except MemoryError:
            # The heap may be left fragmented near the cap: answer and make way for a fresh worker.
            connection.send(("memory", None))
            return
        except Exception as error:  # noqa: BLE001 — readers never raise by contract; report, carry on
            connection.send(("error", f"{type(error).__name__}: {error}"))


if __name__ == "__main__":
    _serve(Connection(int(sys.argv[1])), float(sys.argv[2]), int(sys.argv[3]))
