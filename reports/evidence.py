"""The kept copy of each page a finding points at (issue 12 "evidence a clerk can defend"): the body
the run stored, written beside the bulletin as evidence/page-<hash>.html so the page can be opened
offline as it was when a unit replies "we never had that problem".

A copy is as safe as every other output: crawled markup goes through an allowlist sanitiser (nh3:
no script, style, iframe, object, form, image or event handler survives; links are made absolute to
the original site and carry no referrer), every text node and attribute is masked (reports.masking),
and the document forbids everything else by its Content-Security-Policy, so opening it runs nothing
and fetches nothing. Attachments keep only the text read out of them, never the file itself.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path

import lxml.html
import nh3

from audit.store import Store
from audit.store.store import KeptPage
from reports.data import BulletinData, ReportRow
from reports.files import OutputError, describe, write_text
from reports.masking import clean, holds_personal_number, mask_personal
from reports.render import render_kept_copy
from reports.times import beijing_time

FOLDER = "evidence"
# The names govaudit writes into the folder (a stale one of these is removed, nothing else).
_OWN_FILE = re.compile(r"page-[0-9a-f]{12}\.(?:html|png)")

# What may stay of a crawled page: text structure, tables and links. Images, frames, embeds,
# forms and media would fetch something or run something, so they go, with their content where
# the content is code (script, style) or a fallback (noscript, iframe, object).
_TAGS = frozenset(nh3.ALLOWED_TAGS) - {"img", "area", "map"}
_DROPPED_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "title",
        "head",
        "noscript",
        "template",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
        "textarea",
        "select",
        "button",
        "video",
        "audio",
        "canvas",
        "applet",
        "frameset",
        "frame",
    }
)
_ATTRIBUTES = {
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "ol": {"start"},
    "col": {"span"},
    "colgroup": {"span"},
}
_PARSER = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True)


@dataclass(frozen=True)
class CopyView:
    """What the kept-copy template shows."""

    url: str
    fetched_at: str
    title: str
    body: str  # sanitised, masked HTML (empty for an attachment)
    text: str  # an attachment's text, or a page's text when its markup could not be kept
    attachment: bool
    truncated: bool
    problems: tuple[ReportRow, ...]


def copy_name(url: str) -> str:
    """evidence/page-<12 hex>.html: one copy per page, whatever number of findings point at it."""
    return f"{FOLDER}/page-{hashlib.sha1(url.encode('utf-8')).hexdigest()[:12]}.html"


def _decode(page: KeptPage) -> str:
    try:
        return page.body.decode(page.encoding or "utf-8", errors="replace")
    except LookupError:
        return page.body.decode("utf-8", errors="replace")


def _mask_tree(tree) -> None:
    for element in tree.iter():
        if isinstance(element.tag, str):
            element.text = clean(element.text) if element.text else element.text
            for name, value in element.attrib.items():
                element.set(name, clean(value))
        element.tail = clean(element.tail) if element.tail else element.tail


# What a copy shows in place of a table row, a short block or a line of text that held a personal
# number: the name, village and household facts beside it are not repeated (a copy goes out with
# the 通报, which is often published on the portal).
LEFT_OUT = "（此处含个人信息，已隐去）"
_BLOCKS = frozenset({"p", "li", "dd", "dt", "div", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "caption"})
# A block longer than this is an article, not one person's entry: only the text that held the number goes.
_SHORT_BLOCK = 300


def _emptied(element, shown: str = "") -> None:
    for child in list(element):
        element.remove(child)
    element.text = shown


def _leave_out_people(tree) -> None:
    """Every innermost table row that shows a personal number loses its cells' words (the row stays, so
    the table still shows how many there were); outside tables, the short block holding one, else
    the text itself."""
    for row in list(tree.iter("tr")):
        if row.find(".//tr") is None and holds_personal_number(row.text_content()):
            cells = [cell for cell in row if cell.tag in ("td", "th")]
            for at, cell in enumerate(cells):
                _emptied(cell, LEFT_OUT if at == 0 else "")
    for element in list(tree.iter()):
        if not isinstance(element.tag, str):
            continue
        for part in ("text", "tail"):
            if not holds_personal_number(getattr(element, part)):
                continue
            holder = element if part == "text" else element.getparent()
            block = next((e for e in holder.iterancestors() if e.tag in _BLOCKS), None) if holder is not None else None
            block = holder if holder is not None and holder.tag in _BLOCKS else block
            if block is not None and len(block.text_content()) <= _SHORT_BLOCK:
                _emptied(block, LEFT_OUT)
            else:
                setattr(element, part, LEFT_OUT)


def without_people_lines(text: str) -> str:
    """A kept text (an attachment's, or a page's read as text) with every line that shows a personal
    number left out."""
    return "\n".join(LEFT_OUT if holds_personal_number(line) else line for line in text.split("\n"))


def sanitise(html: str, base_url: str) -> tuple[str, str]:
    """A crawled page's markup as a copy may show it: (sanitised, masked HTML, ""), or ("", the page's
    masked text) when a number survives the masking of single text nodes (split by tags: 5326<b>25…)."""
    cleaned = nh3.clean(
        html,
        tags=set(_TAGS),
        clean_content_tags=set(_DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in _ATTRIBUTES.items()},
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow",
        url_relative=("rewrite_with_base", base_url),
        strip_comments=True,
    )
    if not cleaned.strip():
        return "", ""
    tree = lxml.html.fragment_fromstring(cleaned, create_parent="div", parser=_PARSER)
    _mask_tree(tree)
    text = tree.text_content()
    if mask_personal(text) != text:
        return "", without_people_lines(mask_personal(text))
    _leave_out_people(tree)
    return lxml.html.tostring(tree, encoding="unicode", method="html"), ""


def copy_view(page: KeptPage, problems: tuple[ReportRow, ...]) -> CopyView:
    if page.body is not None:
        body, text = sanitise(_decode(page), page.url)
    else:
        body, text = "", without_people_lines(clean(page.text or ""))
    return CopyView(
        url=page.url,
        fetched_at=beijing_time(page.fetched_at),
        title=page.title or "",
        body=body,
        text=text,
        attachment=page.body is None,
        truncated=page.truncated,
        problems=problems,
    )


def copy_pages(store: Store, run_id: int, urls: list[str]) -> dict[str, str]:
    """For each of `urls`, the page whose kept copy shows its problem: the page itself when the run kept
    a copy of it, else a kept page that links to it (a broken link's target). Absent when neither."""
    kept = store.kept_urls(run_id, urls)
    referrers = store.referring_pages(run_id, [url for url in urls if url not in kept])
    kept |= store.kept_urls(run_id, set(referrers.values()) - kept)
    page_of = {url: url for url in urls if url in kept}
    page_of.update((url, page) for url, page in referrers.items() if page in kept)
    return page_of


def write_copies(store: Store, data: BulletinData, out_dir: Path) -> BulletinData:
    """Write the kept copy of every page a finding of `data` points at into out_dir/evidence/, and
    return `data` with each finding's copy (relative path) set; stale copies of earlier runs written to
    the same folder are removed. A finding on a link target (a broken link) gets the copy of a page
    that links to it, the page its unit has to correct."""
    urls = list(dict.fromkeys([*(row.url for row in data.rows), *(row.url for row in data.findings)]))
    page_of = copy_pages(store, data.run_id, urls)
    problems: dict[str, list[ReportRow]] = {}
    for row in data.rows:
        if row.url in page_of:
            problems.setdefault(page_of[row.url], []).append(row)
    names = {page: copy_name(page) for page in set(page_of.values())}
    folder = out_dir / FOLDER
    if names:
        try:
            folder.mkdir(exist_ok=True)
        except OSError as exc:
            raise OutputError(f"无法写入 / cannot write {folder}: {describe(exc)}") from exc
    for copy in store.kept_pages(data.run_id, names):
        write_text(out_dir / names[copy.url], render_kept_copy(copy_view(copy, tuple(problems.get(copy.url, ())))))
    _remove_stale(folder, {Path(name).name for name in names.values()})
    copy_of = {url: names[page] for url, page in page_of.items()}
    return replace(
        data,
        rows=tuple(replace(row, kept_copy=copy_of.get(row.url, "")) for row in data.rows),
        findings=tuple(replace(row, kept_copy=copy_of.get(row.url, "")) for row in data.findings),
    )


def _remove_stale(folder: Path, current: set[str]) -> None:
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if _OWN_FILE.fullmatch(path.name) and path.stem + ".html" not in current:
            path.unlink(missing_ok=True)
