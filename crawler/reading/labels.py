"""公文公开属性 labels: （此件公开发布） and its three siblings, only where they stand as labels.

A label is a short line of its own — usually bracketed (some templates quote it: “此件删减后公开”),
at the end of the body, sometimes ahead of the page's 【打印本页】【关闭窗口】 tools on one line —
or the value of a 公开属性 field. The same words inside prose ("可以依申请公开获取"),
公开方式/公开形式 fields and gov.cn's （本文有删减） are not labels.
"""

from __future__ import annotations

import re

CANONICAL_LABELS = ("此件公开发布", "此件删减后公开", "此件依申请公开", "此件不公开")

_KIND = r"(公开发布|删减后公开|依申请公开|不公开)"
# The whole line is the label, brackets or quotes optional: "（此件公开发布）", "此件依申请公开。",
# "“此件删减后公开”". Quotes count only around a whole line: in prose they cite the label's words.
_STANDALONE_RE = re.compile(rf"^[（(【\[“「\"]?此件{_KIND}[）)】\]”」\"]?[。．.]?$")
# Bracketed labels closing a longer line: "……特此通知。（此件公开发布）", and a date line carrying two
# ("2022年8月21日（此件删减后公开）（此件公开发布）": a contradiction the office must see, not one label).
_BRACKETED = rf"[（(【\[]此件{_KIND}[）)】\]]"
_TRAILING_RE = re.compile(rf"(?:{_BRACKETED})+[。．.]?$")
# A bracketed label leading a line of only short bracketed page tools: "【此件公开发布】【打印本页】【关闭窗口】".
_BEFORE_TOOLS_RE = re.compile(rf"^[（(【\[]此件{_KIND}[）)】\]](?:[【\[][^【】\[\]]{{2,6}}[】\]])+$")
# The value of a 公开属性 field.
_FIELD_VALUE_RE = re.compile(rf"^(?:此件)?{_KIND}[。．.]?$")


def _squeezed(text: str) -> str:
    return re.sub(r"[\s\u200b\ufeff]+", "", text)


def labels_in_line(line: str) -> list[str]:
    """The canonical labels a text line states, in order (usually none or one)."""
    text = _squeezed(line)
    match = _STANDALONE_RE.match(text) or _BEFORE_TOOLS_RE.match(text)
    if match:
        return [f"此件{match.group(1)}"]
    trailing = _TRAILING_RE.search(text)
    return [f"此件{kind}" for kind in re.findall(_BRACKETED, trailing.group(0))] if trailing else []


def label_in_line(line: str) -> str | None:
    """The first canonical label a text line states, or None."""
    return next(iter(labels_in_line(line)), None)


def label_from_field(value: str | None) -> str | None:
    """The canonical label a 公开属性 field value names (主动公开 and the like are not labels)."""
    match = _FIELD_VALUE_RE.match(_squeezed(value or ""))
    return f"此件{match.group(1)}" if match else None


def find_labels(lines: list[str], attribute_field: str | None = None) -> list[str]:
    """Labels in page order, de-duplicated; the 公开属性 field counts first."""
    found: list[str] = []
    candidates = [label_from_field(attribute_field)] + [label for line in lines for label in labels_in_line(line)]
    for label in candidates:
        if label and label not in found:
            found.append(label)
    return found
