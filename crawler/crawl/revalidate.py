"""Conditional requests: a page an earlier audit of the site stored is asked for with the validators
it came with (If-None-Match, If-Modified-Since); a 304 answer means the stored copy still stands.

A quarterly re-audit of a portal that barely changed then transfers headers instead of bodies. A
stored copy is only offered when the same page reader made it (reader_version), so an improved
reader never judges a page by an older reader's reading.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

from crawler.reading import PageReading

# What turns a body into the stored reading: the readers, attachment text, URL canonicalisation.
# Relative to crawler/: the readers, the words they read into, URL identity and the attachment reader.
_READER_SOURCES = (
    "reading",
    "vocabulary/reading.py",
    "vocabulary/dates.py",
    "vocabulary/urls.py",
    "crawl/attachments.py",
)


@dataclass(frozen=True, slots=True)
class StoredCopy:
    """What an earlier run stored of one URL, as far as asking for it again needs (one per page of
    the earlier run is held for the whole crawl: slots keep it small)."""

    etag: str | None
    last_modified: str | None
    # The URL the answer came from after redirects (a 304 from elsewhere does not vouch for it).
    final_url: str | None
    # An HTML page with a stored reading (else a document, stored with its text).
    html: bool


class StoredCopies(Protocol):
    """The copies an earlier run of the same site stored (audit.run.pipeline.EarlierRun)."""

    run_id: int

    def copy(self, url: str) -> StoredCopy | None: ...
    def reading(self, url: str) -> PageReading: ...


def conditional_headers(copy: StoredCopy) -> dict[str, str]:
    headers = {}
    if copy.etag:
        headers["If-None-Match"] = copy.etag
    if copy.last_modified:
        headers["If-Modified-Since"] = copy.last_modified
    return headers


@cache
def reader_version() -> str:
    """A digest of the page reader's source: it changes with any change to how pages are read."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for name in _READER_SOURCES:
        path = root / name
        for source in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(source.relative_to(root).as_posix().encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()[:16]
