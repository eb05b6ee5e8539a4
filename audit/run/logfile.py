"""Logs of unattended runs (cron, systemd): `--log-file FILE` gets every line the command prints and
Scrapy's own warnings, each line with its time; `--verbose` adds Scrapy's INFO log and one line per
page fetched. What reaches a log is masked like every other output (reports.masking), and database
URLs lose their passwords.

`scrapy crawl portal` run by hand masks its log the same way (MaskedScrapyLog, in the Scrapy settings).
"""

from __future__ import annotations

import io
import logging
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from scrapy import signals

from audit.store.store import SECRET_KEYS
from reports.masking import for_terminal, mask_personal

# user:password@ in any URL (a --db postgresql://govaudit:secret@host/db on the command line) and
# secret-looking query parameters (?password=…, &token=…).
_CREDENTIALS = re.compile(r"(://[^/\s:@]*:)[^/\s@]+@")
_SECRET_QUERY = re.compile(rf"([?&][^=&\s]*(?:{SECRET_KEYS.pattern})[^=&\s]*=)[^&\s]+", re.I)
# Carriage return redraws a terminal line (a progress display): only the last drawing is a line.
_REDRAWN = re.compile(r"^.*\r(?!\n|$)", re.S)
STAMP = "%Y-%m-%d %H:%M:%S"


def redact(text: str) -> str:
    """Personal data masked and URL passwords hidden, line breaks kept."""
    text = _SECRET_QUERY.sub(r"\1***", _CREDENTIALS.sub(r"\1***@", text))
    return mask_personal(text)


def _log_lines(text: str) -> str:
    """`text` as lines of the log: masked, without passwords, inert, each non-blank line timed."""
    now = time.strftime(STAMP)
    lines = (for_terminal(line) for line in redact(text).splitlines())
    return "".join(f"{now} {line}\n" for line in lines if line.strip())


def write_line(log: TextIO | None, text: str) -> None:
    """One line of govaudit's own into the log (not the terminal), timed and masked."""
    if log is not None:
        log.write(_log_lines(text))


def append_line(log_file: Path, text: str) -> None:
    """One timed line appended to a command log that records what was done (an original exported).
    Written as given on one line: the caller makes crawled text inert (reports.masking.for_terminal),
    while a SHA-256 digest stays whole (masking could take 11 of its digits for a phone number)."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    line = text.replace("\n", " ")
    with open(log_file, "a", encoding="utf-8") as log:
        log.write(f"{time.strftime(STAMP)} {line}\n")


class _RedactingFilter(logging.Filter):
    """Masks a record's message in place, for every handler that sees it after this one."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact(record.getMessage()), ()
        return True


class _LogFormatter(logging.Formatter):
    def __init__(self):
        super().__init__("%(levelname)s [%(name)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        # Tracebacks and Scrapy's multi-line dumps: every line gets the time, none a crawled secret.
        return _log_lines(super().format(record)).rstrip("\n")


MASKING = _RedactingFilter()


class MaskedScrapyLog:
    """Scrapy extension: the handlers Scrapy installed for its log mask what crawled pages put in it
    (URLs and text in INFO lines, items in DEBUG ones) before they print it."""

    @classmethod
    def from_crawler(cls, crawler) -> "MaskedScrapyLog":
        extension = cls()
        # Scrapy replaces its log handler once the crawler is set up: filter the one that will print.
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        return extension

    def spider_opened(self, spider) -> None:
        for handler in logging.root.handlers:
            handler.addFilter(MASKING)


class _Stderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a record comes: the live progress display redirects it
    and prints the record above itself."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


class _Tee(io.TextIOBase):
    """A stream that also copies each complete line written to it into the log, with its time."""

    def __init__(self, stream: TextIO, log: TextIO):
        self._stream, self._log, self._pending = stream, log, ""

    @property
    def encoding(self) -> str:
        return getattr(self._stream, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:
        return getattr(self._stream, "errors", None)

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._stream.write(text)
        lines = (self._pending + text).split("\n")
        # A progress display redrawn in place for hours never ends its line: keep its last drawing only.
        self._pending = _REDRAWN.sub("", lines.pop())
        for line in lines:
            self._log.write(_log_lines(_REDRAWN.sub("", line)))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()
        self._log.flush()


@contextmanager
def command_log(log_file: Path | None, verbose: bool) -> Iterator[TextIO | None]:
    """While the block runs: with `log_file`, what the command prints and logs (WARNING and up,
    INFO with `verbose`) is appended to it, time-stamped and masked; with `verbose` only, the detail
    goes to stderr. OSError when the file (or its folder) cannot be made."""
    detail = logging.INFO if verbose else logging.WARNING
    log: TextIO | None = None
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        log = open(log_file, "a", encoding="utf-8", buffering=1)
    handler = logging.StreamHandler(log) if log is not None else _Stderr()
    handler.setLevel(detail)
    handler.setFormatter(_LogFormatter())
    handler.addFilter(MASKING)
    attached = log is not None or verbose
    if attached:
        logging.root.addHandler(handler)
    # The schema migration's INFO lines say nothing an operator needs.
    quiet = logging.getLogger("alembic")
    quiet_level = quiet.level
    quiet.setLevel(max(quiet_level, logging.WARNING))
    streams = sys.stdout, sys.stderr
    if log is not None:
        sys.stdout, sys.stderr = _Tee(sys.stdout, log), _Tee(sys.stderr, log)
    try:
        yield log
    finally:
        sys.stdout, sys.stderr = streams
        quiet.setLevel(quiet_level)
        if attached:
            logging.root.removeHandler(handler)
        if log is not None:
            log.close()
