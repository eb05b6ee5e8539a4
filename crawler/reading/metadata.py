"""The 政府信息公开 metadata block of a detail page (索引号, 发布机构, 文号, 成文日期 ...).

Works on the page's visible text lines, so every layout reduces to one of two shapes:
"label：value" on one line (<li>, <p>, <span>, 【文号】xxx paragraphs, several pairs per
line) or a label line followed by its value line (<table> cells, <dt>/<dd>). Hidden
elements and HTML comments never reach the lines, which drops empty display:none slots
and commented-out fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Canonical field -> the labels pages use for it.
FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "index_number": ("索引号", "信息索引号"),
    "topic": ("主题分类",),
    "publisher": ("发布机构", "发文机关", "发文单位", "发布单位", "发文机构"),
    # Who put the page up, on article pages ("发布时间：… 来源：马关县民政局"); news pages name a paper here.
    "source": ("来源", "信息来源", "文章来源", "稿件来源"),
    "written_date": ("成文日期", "成文时间"),
    "publish_date": ("发布日期", "发文日期", "公开日期"),
    "doc_number": ("发文字号", "发文文号", "文号"),
    "validity": ("有效性", "是否有效", "效力状态", "时效性"),
    "title": ("标题", "文件名称", "名称"),
    "disclosure_attribute": ("公开属性",),
    "disclosure_mode": ("公开方式", "公开形式"),
}
# Labels too common in ordinary tables to trust unless other metadata stands nearby.
_WEAK_LABELS = frozenset({"标题", "名称", "文件名称", "文号"})
_NEIGHBOURHOOD = 12
_MAX_VALUE_CHARS = 200

_LABEL_OF = {label: field for field, labels in FIELD_LABELS.items() for label in labels}
_LABEL_ALTERNATION = "|".join(r"\s*".join(map(re.escape, label)) for label in sorted(_LABEL_OF, key=len, reverse=True))
# A label at the start of a line (optionally in 【】), optionally followed by its value.
_LINE_LABEL_RE = re.compile(rf"^[【\[〔]?\s*({_LABEL_ALTERNATION})\s*[】\]〕]?\s*([：:]?)\s*(.*)$")
# Further labels later on the same line ("索引号：x 主题分类：y").
_INNER_LABEL_RE = re.compile(rf"(?:(?<=\s)|(?<=[|｜]))[【\[〔]?({_LABEL_ALTERNATION})\s*[】\]〕]?\s*[：:]")


@dataclass(frozen=True)
class MetadataPair:
    """One label/value pair and the line it was read from."""

    field: str
    label: str
    value: str
    line: int


def _canonical_label(raw: str) -> str:
    return re.sub(r"\s+", "", raw)


def _split_inline(label: str, rest: str, line_no: int) -> list[MetadataPair]:
    """Pairs in "value 下一个标签：value" text following a first label."""
    pairs: list[MetadataPair] = []
    current_label, start = label, 0
    for match in _INNER_LABEL_RE.finditer(rest):
        pairs.append(_pair(current_label, rest[start : match.start()], line_no))
        current_label, start = _canonical_label(match.group(1)), match.end()
    pairs.append(_pair(current_label, rest[start:], line_no))
    return [p for p in pairs if p.value]


def _pair(label: str, value: str, line_no: int) -> MetadataPair:
    return MetadataPair(_LABEL_OF[label], label, value.strip(" ：:|｜"), line_no)


def _plausible_value(value: str) -> bool:
    return (
        bool(value)
        and len(value) <= _MAX_VALUE_CHARS
        and not value.endswith(("：", ":"))
        and not _LINE_LABEL_RE.match(value)
    )


def find_pairs(lines: list[str]) -> list[MetadataPair]:
    """Every label/value pair in the page's text lines, in page order."""
    pairs: list[MetadataPair] = []
    for index, line in enumerate(lines):
        if len(line) > 2 * _MAX_VALUE_CHARS:
            continue
        match = _LINE_LABEL_RE.match(line)
        if not match:
            continue
        label, colon, rest = _canonical_label(match.group(1)), match.group(2), match.group(3).strip()
        if rest:
            if colon or line.startswith(("【", "[", "〔")):
                pairs.extend(p for p in _split_inline(label, rest, index) if _plausible_value(p.value))
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if _plausible_value(following):
            pairs.append(_pair(label, following, index))
    return pairs


def _corroborated(pair: MetadataPair, pairs: list[MetadataPair]) -> bool:
    if pair.label not in _WEAK_LABELS:
        return True
    return any(other.field != pair.field and abs(other.line - pair.line) <= _NEIGHBOURHOOD for other in pairs)


def extract_metadata(lines: list[str]) -> dict[str, str]:
    """Field -> raw value of the page's own metadata (first occurrence wins).

    A field that repeats with three or more different values is a list column
    (每行 "发布日期：…"), not page metadata, and is dropped.
    """
    pairs = find_pairs(lines)
    values: dict[str, list[str]] = {}
    for pair in pairs:
        if _corroborated(pair, pairs):
            values.setdefault(pair.field, []).append(pair.value)
    return {field: found[0] for field, found in values.items() if len(set(found)) < 3}


# The endings of a government organ's name (县民政局, 县人民政府办公室, 县融媒体中心); a newspaper, a
# news agency or 本站 named as 来源 ends otherwise and publishes nothing for the county.
_ORGAN_RE = re.compile(
    r"^[\u4e00-\u9fff（）()]{2,40}?(?:人民政府办公室|政府办公室|人民政府|办公室|委员会|管委会|分局|局|委|办|"
    r"中心|院|所|站|队|厅|署|办事处|政府)$"
)


def organ_name(value: str | None) -> str | None:
    """`value` when it is the name of one government organ (the first word of it), else None."""
    name = re.split(r"\s+", (value or "").strip(), maxsplit=1)[0]
    return name if _ORGAN_RE.match(name) else None
