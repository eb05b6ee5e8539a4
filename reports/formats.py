"""The output formats, in one list (as Scrapy's FEED_EXPORTERS): the CLI's --format help and check,
the names it prints and the run's writer all read FORMATS. A new format is one entry here (and its
writer); formats are written in this order, so pdf follows the html it prints."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reports.data import BulletinData
from reports.exports import write_csv, write_json, write_xlsx
from reports.files import write_text
from reports.pdf import print_pdf
from reports.render import render_technical
from reports.word import write_docx

if TYPE_CHECKING:
    from rules.settings import DocxFonts

DEFAULT_FORMATS = ("html", "json")
# Written beside bulletin.html: the office's technical file, never part of the distributed 通报.
TECHNICAL_FILE = "technical.html"


class BadFormat(ValueError):
    """--format names a format govaudit does not write."""


@dataclass(frozen=True)
class Rendered:
    """What every format is written from: the report's data and its HTML (docx and pdf are made from
    the HTML), the docx fonts, and the files written so far."""

    data: BulletinData
    html: str
    fonts: "DocxFonts"
    written: dict[str, Path] = field(default_factory=dict)


@dataclass(frozen=True)
class OutputFormat:
    name: str  # the --format value
    file: str  # the file written into --out
    label: str  # how the CLI names it when done
    write: Callable[[Path, Rendered], Path]


def _pdf(path: Path, out: Rendered) -> Path:
    """bulletin.pdf, printed from bulletin.html (or from a temporary copy when html is not asked for)."""
    if "html" in out.written:
        return print_pdf(out.written["html"], path)
    with tempfile.TemporaryDirectory(prefix="govaudit-") as scratch:
        source = Path(scratch) / "bulletin.html"
        source.write_text(out.html, encoding="utf-8")
        return print_pdf(source, path)


def _html(path: Path, out: Rendered) -> Path:
    """bulletin.html, and beside it technical.html (tables, charts, evidence, ids and weights)."""
    write_text(path.with_name(TECHNICAL_FILE), render_technical(out.data))
    return write_text(path, out.html)


FORMATS: tuple[OutputFormat, ...] = (
    OutputFormat("html", "bulletin.html", "通报 / bulletin", _html),
    OutputFormat(
        "json", "findings.json", "问题清单 / findings", lambda path, out: write_json(path, list(out.data.findings))
    ),
    OutputFormat("xlsx", "findings.xlsx", "问题清单 / findings (xlsx)", lambda path, out: write_xlsx(path, out.data)),
    OutputFormat("csv", "findings.csv", "问题清单 / findings (csv)", lambda path, out: write_csv(path, out.data)),
    OutputFormat("pdf", "bulletin.pdf", "通报 / bulletin (pdf)", _pdf),
    OutputFormat(
        "docx",
        "bulletin.docx",
        "通报 / bulletin (docx)",
        lambda path, out: write_docx(path, out.html, out.data.title, out.fonts),
    ),
)
BY_NAME = {fmt.name: fmt for fmt in FORMATS}
NAMES = tuple(BY_NAME)


def parse_formats(value: str | None) -> tuple[str, ...]:
    """The formats a --format value names (the defaults when it is not given); BadFormat otherwise."""
    if value is None:
        return DEFAULT_FORMATS
    chosen = [part.strip().lower() for part in value.split(",") if part.strip()]
    unknown = [part for part in chosen if part not in BY_NAME]
    if unknown or not chosen:
        raise BadFormat(
            f"未知输出格式 / unknown format {', '.join(unknown) or value!r}（可选 / choose from: {', '.join(NAMES)}）"
        )
    return tuple(dict.fromkeys(chosen))


def write_formats(rendered: Rendered, out_dir: Path, formats: tuple[str, ...]) -> dict[str, Path]:
    """Each of `formats` written into `out_dir`, in the order of FORMATS; name → path."""
    for fmt in FORMATS:
        if fmt.name in formats:
            rendered.written[fmt.name] = fmt.write(out_dir / fmt.file, rendered)
    return dict(rendered.written)
