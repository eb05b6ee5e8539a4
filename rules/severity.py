"""The severities of a finding, the one place their names are written."""

from __future__ import annotations

import enum


class Severity(str, enum.Enum):
    """国办秘函〔2019〕19号 classes: a veto item fails the site; deductions cost points; hints are advice."""

    VETO = "单项否决"
    DEDUCT = "扣分"
    HINT = "提示"
