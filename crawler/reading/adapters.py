"""Choosing how to read a page: CMS-specific adapters first, the generic reader last.

Each adapter is a GenericReader subclass that says by `matches` whether a page is its CMS,
from what the page shows (markers in the HTML, URL shapes), and overrides only the steps it
reads differently. Hanweb goes first: its datastore markers are unambiguous, while TRS-shaped
article links also appear on sites of other CMSs.
"""

from __future__ import annotations

from .generic import GenericReader
from .hanweb import HanwebReader
from .page import ParsedPage
from .trs import TrsReader

ADAPTERS: list[GenericReader] = [HanwebReader(), TrsReader()]
GENERIC = GenericReader()


def choose_adapter(page: ParsedPage) -> GenericReader:
    """The first adapter that recognises the page, else the generic reader."""
    for adapter in ADAPTERS:
        if adapter.matches(page):
            return adapter
    return GENERIC
