"""Output files written whole or not at all: each is written to a temporary file in the same folder,
flushed to disk and renamed over the old one, so a kill or a full disk mid-write leaves the previous
file intact and never a truncated one that looks complete."""
from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


# mkstemp creates files 0600; outputs get the permissions a plain open() would give them.
_UMASK = os.umask(0o022)
os.umask(_UMASK)


class OutputError(RuntimeError):
    """An output file (or the output folder) cannot be written."""


def describe(exc: OSError) -> str:
    """An OS error in the words of a one-line message."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return "磁盘空间不足 / no space left on device"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "没有写入权限 / permission denied"
    return exc.strerror or type(exc).__name__


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path to write `path`'s new content to; renamed to `path` when the block ends
    without error, removed otherwise."""
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"无法写入 / cannot write {path}: {describe(exc)}") from exc
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        os.chmod(temporary, 0o666 & ~_UMASK)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise OutputError(f"无法写入 / cannot write {path}: {describe(exc)}") from exc
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    with atomic_path(path) as temporary:
        temporary.write_text(text, encoding=encoding)
    return path


def check_writable(folder: Path) -> None:
    """Create `folder` if needed and make sure a file can be created in it (before a long crawl)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise OutputError(f"输出目录不可写 / output folder not writable: {folder}: {describe(exc)}") from exc
