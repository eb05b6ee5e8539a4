"""The rule catalogue in words, from the registry: what `govaudit rules` prints and the README's
rule table (`govaudit rules --markdown`), so the two cannot disagree."""

from __future__ import annotations

import json
import types
import typing
from datetime import date

from pydantic import BaseModel

from rules.base import RuleSpec, registered_rules

README_BEGIN = "<!-- rules:begin — 由 `govaudit rules --markdown` 生成，请勿手改 -->"
README_END = "<!-- rules:end -->"


def option_lines(spec: RuleSpec) -> list[str]:
    """Each option the rule declares: name, type, default and meaning."""
    lines = []
    for name, field in spec.options.model_fields.items():
        default = json.dumps(spec.options().model_dump(mode="json")[name], ensure_ascii=False)
        lines.append(f"{name}（{_type_name(field.annotation)}，默认 {default}）：{field.description or ''}")
    return lines


def markdown_table() -> str:
    """The README's rule table: id, severity, when it reports and the options it takes."""
    rows = ["| 规则 | 性质 | 何时报告 | 选项（`rules:` 配置） |", "|---|---|---|---|"]
    for spec in registered_rules():
        options = "、".join(f"`{name}`" for name in spec.options.model_fields) or "—"
        rows.append(f"| `{spec.id}` | {spec.severity.value} | {spec.summary} | {options} |")
    return "\n".join(rows)


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
