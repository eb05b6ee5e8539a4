"""Renders the bulletin (季度通报) handed to 督查室 as one self-contained HTML file: the whole-portal
通报, or the report of an ad-hoc one-column check."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from crawler.vocabulary.quarters import Quarter
from reports.combined import CombinedBulletin
from reports.data import BulletinData
from reports.letter import counted
from reports.masking import clean, mask_personal

_DIGITS = "零一二三四五六七八九"
_STATUS_NAMES = {"confirmed": "已核实", "assumed": "暂定，待核对"}
_VERDICT_CLASSES = {
    "合格": "pass",
    "不合格": "fail",
    "未检查": "unchecked",
    "未能完整检查": "unchecked",
    "不适用": "unchecked",
}


def reported_quarter(as_of: date) -> tuple[int, int]:
    """The quarter a bulletin reports on: monitoring done in a quarter's first month reports on
    the quarter just ended (as-of 2022-10-15 → 2022 Q3); later in a quarter, on that quarter."""
    quarter = Quarter.reported(as_of)
    return quarter.year, quarter.number


def safe_href(url: str | None) -> str:
    """Only http(s) targets become links in a report; anything else is inert."""
    return url if url and urlsplit(url).scheme in ("http", "https") else "#"


def cn_date(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else "未定"


def quarter_name(label: str) -> str:
    """2022Q3 → 2022年第三季度 (a label that is no quarter stays as it is)."""
    try:
        return Quarter.parse(label).chinese
    except ValueError:
        return label


def css_string(text: str) -> Markup:
    """`text` as a quoted CSS string for the stylesheet (running header): every character that could
    end the string or the <style> element is written as a CSS escape."""
    safe = "".join(c if c.isalnum() or c in " ·" else f"\\{ord(c):x} " for c in text)
    return Markup(f'"{safe}"')


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (section numbers)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return f"{'' if tens == 1 else _DIGITS[tens]}十{_DIGITS[ones] if ones else ''}"


def points(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}".rstrip("0").rstrip(".")


class ImageData(str):
    """A data: URI of an image govaudit made itself (a page thumbnail): printed as it is, since its
    base64 is no crawled text and masking could only break it."""


def _shown(value):
    """Every value a template prints — text or attribute, a href included — cleaned on its way out
    (reports.masking), whether or not the template remembered the mask filter."""
    if isinstance(value, ImageData):
        return value
    if isinstance(value, Markup):
        return Markup(clean(str(value)))
    return clean(value) if isinstance(value, str) else value


def _environment() -> Environment:
    # keep_trailing_newline: a section template (templates/sections/) prints exactly its lines, as if
    # written where report.html includes it.
    env = Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=True,
        finalize=_shown,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["mask"] = mask_personal
    env.filters["href"] = safe_href
    env.filters["cn_date"] = cn_date
    env.filters["cn_number"] = cn_number
    env.filters["points"] = points
    env.filters["counted"] = counted
    env.filters["quarter_name"] = quarter_name
    env.filters["css_string"] = css_string
    env.filters["status_name"] = lambda status: _STATUS_NAMES.get(status, status)
    env.filters["verdict_class"] = lambda verdict: _VERDICT_CLASSES.get(verdict, "")
    return env


def render_bulletin(data: BulletinData) -> str:
    """The 季度通报 of a whole-portal run, or the column report of a one-column run: the same frame
    around the sections `data` holds."""
    return _environment().get_template("report.html").render(d=data)


def render_technical(data: BulletinData) -> str:
    """technical.html: what the office works with beside the 通报 and never distributes — tables,
    charts, verdict grid, list coverage, every problem with its evidence, rule ids, fingerprints and
    the scoring weights with their sources."""
    return _environment().get_template("technical.html").render(d=data)


def render_kept_copy(view) -> str:
    """The kept copy of a page a finding points at (a reports.evidence.CopyView): its sanitised, masked
    body under a banner saying what it is."""
    return _environment().get_template("kept_copy.html").render(c=view, body=Markup(view.body))


def render_review(page) -> str:
    """The review page of a run (a reports.review.ReviewPage): each problem with its evidence and a form
    to mark it 确认 or 排除."""
    return _environment().get_template("review.html").render(p=page)


def render_combined(data: CombinedBulletin) -> str:
    """The combined bulletin of many portals for one quarter."""
    return _environment().get_template("combined.html").render(d=data)
