"""Personal data in crawled text is masked before it reaches any report.

What counts as an ID number or a mobile number is what the privacy rules detect (rules/privacy), so a
report never shows in full a number the rules would flag, and leaves other numbers (索引号, order
numbers, landlines) as they are.
"""
from __future__ import annotations

from datetime import date

from rules.privacy import mask


def mask_personal(text: str | None) -> str:
    """532625198503122010 → 532625********2010; 13812345678 → 138****5678."""
    if not text:
        return ""
    return mask(text, date.today())
