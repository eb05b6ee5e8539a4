"""Choosing how to read a page: CMS-specific adapters first, the generic reader last.

Stage 2 adds TRS WCM and Hanweb adapters; each is a GenericReader subclass that
says by `matches` whether a page is its CMS and overrides only the steps it reads
differently. Register them in ADAPTERS ahead of the generic fallback.
"""
from __future__ import annotations

from .generic import GenericReader
from .page import ParsedPage

ADAPTERS: list[GenericReader] = []
GENERIC = GenericReader()


def choose_adapter(page: ParsedPage) -> GenericReader:
    """The first adapter that recognises the page, else the generic reader."""
    for adapter in ADAPTERS:
        if adapter.matches(page):
            return adapter
    return GENERIC
