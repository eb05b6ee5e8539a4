"""A bulletin section is one module (reports/sections/<name>.py, with build(ctx)) and one template
(reports/templates/sections/<name>.html); the bulletin, the column report and the technical file
are ordered lists of them, and the 一、二、… of their headings follow that order. Output formats are one list
(reports/formats.py) that the CLI's help, its check and the writer all read."""

from __future__ import annotations

import pkgutil
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

import reports.sections as sections
from reports.formats import BY_NAME, FORMATS, NAMES, BadFormat, parse_formats
from reports.render import cn_number
from reports.sections import BULLETIN, COLUMN_REPORT, TECHNICAL, build_sections

TEMPLATES = Path(sections.__file__).resolve().parents[1] / "templates" / "sections"
HELPERS = {"context"}  # shared by the sections, not a section


def _section_modules() -> set[str]:
    return {info.name for info in pkgutil.iter_modules(sections.__path__)} - HELPERS


def test_every_section_is_a_module_and_a_template_in_a_report():
    listed = {module.__name__.rpartition(".")[2] for module in (*BULLETIN, *COLUMN_REPORT, *TECHNICAL)}
    assert listed == _section_modules(), "a section module that no report lists, or a listed one missing"
    assert {path.stem for path in TEMPLATES.glob("*.html")} == listed, "each section has exactly one template"
    for module in (*BULLETIN, *COLUMN_REPORT, *TECHNICAL):
        assert callable(module.build)


def test_both_reports_share_their_closing_and_the_bulletin_has_three_numbered_parts():
    assert BULLETIN[-1] is COLUMN_REPORT[-1]
    numbered = [module.__name__.rpartition(".")[2] for module in BULLETIN if getattr(module, "NUMBERED", False)]
    # 一、总体情况 二、存在的主要问题 三、整改要求: what a leader reads; the rest is in the technical file.
    assert numbered == ["overview", "problems", "requirements"]
    assert sum(bool(getattr(module, "NUMBERED", False)) for module in COLUMN_REPORT) == 5
    assert not any(getattr(module, "NUMBERED", False) for module in TECHNICAL)
    assert not set(BULLETIN) & set(TECHNICAL)


def _stub(name: str, numbered: bool):
    return SimpleNamespace(__name__=f"reports.sections.{name}", NUMBERED=numbered, build=lambda ctx: f"{name}:{ctx}")


def test_headings_are_numbered_in_list_order_and_a_new_section_shifts_the_rest():
    before = build_sections("ctx", (_stub("a", True), _stub("b", False), _stub("c", True)))
    assert [(s.name, s.number, s.data, s.template) for s in before] == [
        ("a", 1, "a:ctx", "sections/a.html"),
        ("b", 0, "b:ctx", "sections/b.html"),
        ("c", 2, "c:ctx", "sections/c.html"),
    ]
    after = build_sections("ctx", (_stub("a", True), _stub("new", True), _stub("b", False), _stub("c", True)))
    assert [(s.name, s.number) for s in after] == [("a", 1), ("new", 2), ("b", 0), ("c", 3)]
    assert [cn_number(s.number) for s in after if s.number] == ["一", "二", "三"]


def test_numbered_section_templates_print_their_number_not_a_fixed_one():
    for module in (*BULLETIN, *COLUMN_REPORT, *TECHNICAL):
        name = module.__name__.rpartition(".")[2]
        text = (TEMPLATES / f"{name}.html").read_text("utf-8")
        has_heading = bool(re.search(r"<h2>(\{\{ part\.number|[一二三四五六七八九]、)", text))
        assert has_heading == bool(getattr(module, "NUMBERED", False)), name
        if has_heading:
            assert "<h2>{{ part.number | cn_number }}、" in text
            assert not any(f"<h2>{digit}、" in text for digit in "一二三四五六七八九")


def test_formats_are_one_list():
    assert NAMES == tuple(fmt.name for fmt in FORMATS) == ("html", "json", "xlsx", "csv", "pdf", "docx")
    assert len({fmt.file for fmt in FORMATS}) == len(FORMATS)
    assert NAMES.index("html") < NAMES.index("pdf")  # pdf is printed from the html written before it
    assert parse_formats(None) == ("html", "json")
    assert parse_formats(" CSV, json,csv ") == ("csv", "json")
    assert BY_NAME["docx"].file == "bulletin.docx"


@pytest.mark.parametrize("value", ["odt", "html,odt", ",", ""])
def test_a_format_not_in_the_list_is_refused_naming_the_list(value):
    with pytest.raises(BadFormat) as refused:
        parse_formats(value)
    assert ", ".join(NAMES) in str(refused.value)


def test_the_cli_help_lists_the_formats_from_the_list():
    from click.testing import CliRunner

    from audit.cli import main

    shown = CliRunner().invoke(main, ["audit", "--help"], terminal_width=400).output
    assert ",".join(NAMES) in shown.replace("\n", "").replace(" ", "")
