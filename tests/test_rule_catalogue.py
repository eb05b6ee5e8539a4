"""Every rule documents itself in the house shape, lives where its id says and declares what it
judges; nothing reads a finding's facts back out of its words."""

import ast
import inspect
import re
from pathlib import Path

import pytest

from audit.judging.verdicts import COLUMN_CHECK
from rules import Severity, registered_rules
from rules.base import NoOptions, Subject, rule
from rules.catalogue import REFERENCE_BEGIN, REFERENCE_END, markdown_reference

RULES = list(registered_rules())


def test_the_catalogue_is_complete():
    assert {spec.id for spec in RULES} >= {
        "site.unreachable",
        "site.stale",
        "column.missing",
        "column.empty",
        "column.stale",
        "label.missing",
        "label.conflict",
        "label.not_public",
    }


@pytest.mark.parametrize("spec", RULES, ids=lambda spec: spec.id)
def test_rule_metadata_and_docstring_shape(spec):
    assert isinstance(spec.severity, Severity)
    assert spec.title and spec.clause
    assert spec.doc.startswith("Checks")
    positions = [spec.doc.find(section) for section in ("Why:", "Fires:", "Quiet:")]
    assert -1 not in positions and positions == sorted(positions)
    family, name = spec.id.split(".")
    module_path = Path(inspect.getfile(spec.check))
    assert (module_path.parent.name, module_path.stem) == (family, name)


@pytest.mark.parametrize("spec", RULES, ids=lambda spec: spec.id)
def test_each_rule_declares_what_it_judges(spec):
    assert isinstance(spec.subject, Subject)
    # A register rule has its register's section in the bulletin and never scores the website.
    assert spec.scored is (spec.subject is not Subject.REGISTER)


def test_a_rule_without_a_subject_or_a_scored_register_rule_is_refused():
    def check(site, config):
        """Checks nothing."""
        return ()

    with pytest.raises(TypeError):
        rule(id="test.no_subject", title="t", severity=Severity.HINT, summary="s", clause="c")(check)
    with pytest.raises(ValueError, match="subject must be a Subject"):
        rule(id="test.bad_subject", title="t", severity=Severity.HINT, summary="s", clause="c", subject="page")(check)
    with pytest.raises(ValueError, match="never scored"):
        rule(
            id="test.scored_register",
            title="t",
            severity=Severity.HINT,
            summary="s",
            clause="c",
            subject=Subject.REGISTER,
            scored=True,
            options=NoOptions,
        )(check)
    assert not any(spec.id.startswith("test.") for spec in registered_rules())


_PRODUCT = [Path(__file__).resolve().parents[1] / name for name in ("crawler", "rules", "audit", "reports")]
_MATCHERS = {"search", "match", "fullmatch", "findall", "finditer", "split", "sub", "subn"}


def _regexes_over_messages(source: str) -> list[int]:
    """Lines calling a regular expression (re.search(…, x.message) or pattern.search(x.message))
    on some object's .message."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _MATCHERS:
            if any(
                isinstance(sub, ast.Attribute) and sub.attr == "message" for arg in node.args for sub in ast.walk(arg)
            ):
                found.append(node.lineno)
    return found


def test_no_layer_parses_a_finding_message():
    """Facts travel as facts (Problem.facts, stored beside the finding), not as words to parse."""
    offenders = [
        f"{path}:{line}"
        for folder in _PRODUCT
        for path in folder.rglob("*.py")
        for line in _regexes_over_messages(path.read_text("utf-8"))
    ]
    assert offenders == []
    # The check itself sees the shapes it forbids.
    assert _regexes_over_messages("import re\nre.search(r'x', finding.message)\n_LIST.search(f.message)\n") == [2, 3]
    assert _regexes_over_messages("re.search(r'x', finding.evidence)\nf.message.startswith('x')\n") == []


@pytest.mark.parametrize("spec", RULES, ids=lambda spec: spec.id)
def test_each_rule_has_its_own_tests(spec):
    tests = Path(__file__).parent / "rule_cases" / f"test_{spec.id.replace('.', '_')}.py"
    assert tests.exists()


def test_the_rule_reference_is_generated_from_the_registry():
    reference = (Path(__file__).parents[1] / "docs" / "rules.md").read_text(encoding="utf-8")
    start, end = reference.index(REFERENCE_BEGIN), reference.index(REFERENCE_END) + len(REFERENCE_END)
    assert reference[start:end] + "\n" == markdown_reference(COLUMN_CHECK), (
        "docs/rules.md is stale: replace its generated part with the output of `govaudit rules --markdown`"
    )


def test_the_rule_list_a_clerk_reads_is_chinese():
    """`govaudit rules` prints the rules' Chinese texts, not the English docstrings (those are in docs/rules.md)."""
    from click.testing import CliRunner

    from audit.cli import main

    printed = CliRunner().invoke(main, ["rules"]).output
    assert "label.not_public" in printed and "何时报告" in printed
    assert "Checks" not in printed and "Why:" not in printed
    for spec in RULES:
        for name, field in spec.options.model_fields.items():
            assert re.search(r"[\u4e00-\u9fff]", field.description), f"{spec.id}: option {name} explained in English"


@pytest.mark.parametrize("spec", RULES, ids=lambda spec: spec.id)
def test_each_option_has_a_meaning_and_the_docstring_names_it(spec):
    for name, field in spec.options.model_fields.items():
        assert field.description, f"{spec.id}: option {name} has no meaning"
        assert f"`{name}`" in spec.doc, f"{spec.id}: the docstring does not name option {name}"
    assert spec.summary
