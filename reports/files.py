"""Output files written whole or not at all: each is written to a temporary file in the same folder,
flushed to disk and renamed over the old one, so a kill or a full disk mid-write leaves the previous
file intact and never a truncated one that looks complete."""

from __future__ import annotations

import errno
import os
import re
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
def atomic_path(path: Path, private: bool = False) -> Iterator[Path]:
    """A temporary path to write `path`'s new content to; renamed to `path` when the block ends
    without error, removed otherwise. A `private` file is readable by its owner only (mode 0600
    whatever the umask): the originals of an evidence package."""
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
        os.chmod(temporary, 0o600 if private else 0o666 & ~_UMASK)
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


# A name taken from data (a site's 网站标识码 in sites.yaml) that becomes a folder or file name:
# letters (汉字 included), digits, - and _, nothing that could leave the output folder.
PLAIN_NAME = re.compile(r"[\w-]{1,64}")


def output_path(root: Path, name: str) -> Path:
    """`root`/`name` for a name that comes from data, checked where it is written: OutputError unless
    the name is plain (PLAIN_NAME: no separator, no `..`, not absolute) and the path, resolved
    (symbolic links followed), lies directly inside `root` resolved."""
    path = root / name
    if not PLAIN_NAME.fullmatch(name) or path.resolve().parent != root.resolve():
        raise OutputError(
            f"{name!r} 不能用作输出目录 {root} 中的文件名（只能由字母、数字、汉字、-、_ 组成）/ "
            f"{name!r} is not a plain name inside the output folder {root}"
        )
    return path
