"""What the parts of the store share: the error it raises and small helpers."""

from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urlsplit

_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/xml", "application/xml", "text/plain")


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _is_html(content_type: str | None) -> bool:
    """Pages whose type is unknown are read as HTML, as the crawler did; .xlsx/.docx types
    (application/vnd.openxmlformats-…) are documents even though they say "xml"."""
    return content_type is None or content_type.split(";")[0].strip().lower() in _HTML_TYPES


class StoreError(RuntimeError):
    """The database cannot be opened or written."""
