"""The rule catalogue. Each rule is a module in a family package (rules/label/missing.py is
`label.missing`); importing this package registers them all."""

from __future__ import annotations

import importlib
import pkgutil

from crawler.vocabulary.columns import Evidence
from rules.base import Finding, Problem, RuleSpec, Severity, registered_rules

for _family in pkgutil.iter_modules(__path__):
    if _family.ispkg:
        _package = importlib.import_module(f"rules.{_family.name}")
        for _module in pkgutil.iter_modules(_package.__path__):
            importlib.import_module(f"rules.{_family.name}.{_module.name}")

__all__ = ["Evidence", "Finding", "Problem", "RuleSpec", "Severity", "registered_rules"]
