"""How the 通报's body says things in 公文 words: the column path a reader clicks along (首页›政务公开›…),
counts written without zero clauses, lists of units cut to a few names, and examples of a problem
free of English and markup. The body is read by a leader in two minutes and may be published on the
portal: nothing here reprints a page's text beyond its title, and nothing technical reaches it."""

from __future__ import annotations

import re
from collections.abc import Iterable

from reports.rows import OTHER_PAGES, ReportRow

# Latin letters, markup and URL pieces: text holding them does not go into the body.
_TECHNICAL = re.compile(r"[A-Za-z<>{}/\\=_]")
_COLUMN_WORDS = ("栏目", "专栏", "专区", "专题")
# The steps of a membership note that are list pages, not columns: 第2页, 第21–40条.
_PAGING = re.compile(r"^第[\d–-]+[页条]$")
TRAIL_SEPARATOR = "›"
# At most this many units are named in a sentence; the rest are counted (……等N个单位).
UNITS_NAMED = 5


# A code of letters and digits (留言编号 ZC2022080101, 2022Q3): an identifier, not English.
_CODE = re.compile(r"[A-Za-z]*\d[A-Za-z\d]*")


def is_plain(text: str) -> bool:
    """Text the body may print: Chinese words, digits, codes such as a 留言编号 and punctuation — no
    English words or markup (HTTP 404, <head>, SiteIDCode, file names)."""
    return bool(text) and not _TECHNICAL.search(_CODE.sub("", text))


def counted(parts: Iterable[tuple[str, int]], unit: str = "个") -> str:
    """单项否决2个、扣分18个 — the parts with a count, none of "其中0件"."""
    return "、".join(f"{name}{n}{unit}" for name, n in parts if n)


def named_units(units: Iterable[str], limit: int = UNITS_NAMED) -> str:
    """县政府办公室、县民政局等7个单位 — the first `limit` names, the rest counted."""
    names = list(dict.fromkeys(units))
    if len(names) <= limit:
        return "、".join(names)
    return f"{'、'.join(names[:limit])}等{len(names)}个单位"


_COLUMN_TWICE = re.compile(r"「([^」]*(?:栏目|专栏|专区|专题))」栏目")


def tidy(text: str) -> str:
    """A rule's message as the 通报 prints it: 「利企惠民政策专区」栏目 → 「利企惠民政策专区」."""
    return _COLUMN_TWICE.sub(r"「\1」", text)


def column_word(name: str) -> str:
    """A column as a sentence names it: 政府信息公开基本目录栏目, but 利企惠民政策专区 (never 专区栏目)."""
    return name if name.endswith(_COLUMN_WORDS) else f"{name}栏目"


def rate(good: int, total: int) -> str:
    """合格率 as the 通报 writes it: 100%, 92.5%."""
    if not total:
        return "—"
    return f"{100 * good / total:.1f}".removesuffix(".0") + "%"


def trail(path: str | None, name: str) -> tuple[str, ...]:
    """A column's click path (ColumnSummary.path: 首页 › 政府信息公开 › 基本目录) as the steps the body
    writes, a step with English in it read as 相关页面; the column's name alone when it was not found."""
    if not path:
        return (name,)
    steps = tuple(" ".join(step.split()) for step in path.split(TRAIL_SEPARATOR))
    return tuple(step if is_plain(step) else "相关页面" for step in steps if step)


def sub_columns(membership: str) -> tuple[str, ...]:
    """The sub-columns a membership note passes below the column (所属栏目：规章和行政规范性文件库 ›
    县政府规范性文件 › 第2页（列表条目） → 县政府规范性文件); list pages and reasons left out."""
    chain = membership.removeprefix("所属栏目：").split("（", 1)[0]
    steps = [step.strip() for step in chain.split(TRAIL_SEPARATOR)][1:]
    return tuple(step for step in steps if step and not _PAGING.match(step) and is_plain(step))


def example(row: ReportRow, trails: dict[str, tuple[str, ...]]) -> str:
    """One problem as the body cites it: where along the column path, which page, and what — e.g.
    首页›政务公开›规章和行政规范性文件库中《……的通知》：不应公开的公文上网."""
    title = " ".join(row.page_title.split())
    page = _page_name(title)
    problem = row.problem if is_plain(row.problem) else "存在问题"
    if row.column_name == OTHER_PAGES:
        return f"{page}：{problem}"
    steps = (*trails.get(row.column_name, (row.column_name,)), *sub_columns(row.membership))
    where = TRAIL_SEPARATOR.join(steps)
    if title and row.membership and title not in steps:
        return f"{where}中{page}：{problem}"
    detail = _column_detail(row)
    if not detail:
        return f"{where}：{problem}"
    return f"{where}{'' if steps[-1].endswith(_COLUMN_WORDS) else '栏目'}{detail}"


def _page_name(title: str) -> str:
    """《关于……的通知》; a title that holds its own 《》 as it is, with 页面; 有关页面 when it has English."""
    if not is_plain(title) or len(title) > 60:
        return "有关页面"
    return f"{title}页面" if "《" in title else f"《{title}》"


def _column_detail(row: ReportRow) -> str:
    """A column-level problem's message without the column's name it repeats (「X」栏目最新信息发布于…
    → 最新信息发布于…), when it is plain and short; "" otherwise (the rule's title is said instead)."""
    message = row.message
    for prefix in (f"「{row.column_name}」栏目", f"「{row.column_name}」"):
        if message.startswith(prefix):
            message = message.removeprefix(prefix)
            break
    else:
        return ""
    message = message.split("，请", 1)[0].strip("，。 ")
    message = tidy(message).removeprefix("栏目")
    return message if is_plain(message) and len(message) <= 50 else ""


__all__ = [
    "UNITS_NAMED",
    "column_word",
    "counted",
    "example",
    "is_plain",
    "named_units",
    "rate",
    "sub_columns",
    "tidy",
    "trail",
]
