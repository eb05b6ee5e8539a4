"""The rule catalogue in words, from the registry: what `govaudit rules` prints and the rule
reference in docs/rules.md (`govaudit rules --markdown`), so the two cannot disagree."""

from __future__ import annotations

import inspect
import json
import types
import typing
from collections.abc import Mapping
from datetime import date

from pydantic import BaseModel

from crawler.vocabulary.columns import Evidence
from rules.base import RuleSpec, registered_rules

# docs/rules.md holds the output of `govaudit rules --markdown` between these two lines.
REFERENCE_BEGIN = "<!-- rules:begin — 由 `govaudit rules --markdown` 生成，请勿手改 -->"
REFERENCE_END = "<!-- rules:end -->"


def option_lines(spec: RuleSpec) -> list[str]:
    """Each option the rule declares: name, type, default and meaning."""
    lines = []
    for name, field in spec.options.model_fields.items():
        default = json.dumps(spec.options().model_dump(mode="json")[name], ensure_ascii=False)
        lines.append(f"{name}（{_type_name(field.annotation)}，默认 {default}）：{field.description or ''}")
    return lines


def basis_text(spec: RuleSpec) -> str:
    """The documents the rule enforces, as the catalogue states them: its national clause, and where it
    also enforces the county's own documents, where those are configured."""
    local = "；本县依据见配置 bulletin.local_basis（如政务公开工作任务清单）" if spec.local_basis else ""
    return f"{spec.clause}{local}"


def markdown_table() -> str:
    """The rule table: id, severity, when it reports and the options it takes."""
    rows = ["| 规则 | 性质 | 何时报告 | 选项（`rules:` 配置） |", "|---|---|---|---|"]
    for spec in registered_rules():
        options = "、".join(f"`{name}`" for name in spec.options.model_fields) or "—"
        rows.append(f"| `{spec.id}` | {spec.severity.value} | {spec.summary} | {options} |")
    return "\n".join(rows)


def markdown_reference(column_check: Mapping[Evidence, str]) -> str:
    """docs/rules.md's generated part: the rule table, then each rule with its basis, options and
    documentation. `column_check` says how a one-column audit treats a rule that needs more pages."""
    parts = [REFERENCE_BEGIN, "", markdown_table(), ""]
    for spec in registered_rules():
        parts += [f"### `{spec.id}` {spec.title}", "", f"- 性质：{spec.severity.value}", f"- 何时报告：{spec.summary}"]
        parts.append(f"- 依据：{basis_text(spec)}")
        parts += [f"- 选项 {line}" for line in option_lines(spec)]
        if spec.needs in column_check:
            parts.append(f"- {column_check[spec.needs]}")
        parts += ["", inspect.cleandoc(spec.doc), ""]
    return "\n".join([*parts, REFERENCE_END, ""])


def _type_name(annotation) -> str:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin is tuple:
        return f"list[{_type_name(args[0])}]"
    if origin is dict:
        return f"{{{_type_name(args[0])}: {_type_name(args[1])}}}"
    if origin in (typing.Union, types.UnionType):
        return " | ".join(_type_name(arg) for arg in args)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "{" + ", ".join(annotation.model_fields) + "}"
    if annotation is type(None):
        return "null"
    if annotation is date:
        return "YYYY-MM-DD"
    return getattr(annotation, "__name__", str(annotation))
