"""Shared fixtures for the page-reader tests; puts the repo root on sys.path."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from crawler.reading import PageReading, read_page  # noqa: E402

PAGES = REPO / "tests" / "fixtures" / "pages"
REFERENCE = date(2022, 9, 30)


def read_fixture(name: str, url: str, **kwargs) -> PageReading:
    """read_page on a saved fixture page with a fixed reference date."""
    return read_page((PAGES / name).read_bytes(), url, reference_date=REFERENCE, **kwargs)


@pytest.fixture
def read():
    return read_fixture
