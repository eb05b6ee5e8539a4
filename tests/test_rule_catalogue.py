"""Every rule documents itself in the house shape and lives where its id says."""
import inspect
from pathlib import Path

import pytest

from rules import Severity, registered_rules
from rules.catalogue import README_BEGIN, README_END, markdown_table

RULES = list(registered_rules())


def test_the_catalogue_is_complete():
    assert {spec.id for spec in RULES} >= {"site.unreachable", "site.stale", "column.missing", "column.empty",
                                           "column.stale", "label.missing", "label.conflict", "label.not_public"}


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
def test_each_rule_has_its_own_tests(spec):
    tests = Path(__file__).parent / "rule_cases" / f"test_{spec.id.replace('.', '_')}.py"
    assert tests.exists()


def test_the_readme_rule_table_is_generated_from_the_registry():
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    start, end = readme.index(README_BEGIN) + len(README_BEGIN), readme.index(README_END)
    assert readme[start:end].strip() == markdown_table(), \
        "README.md's rule table is stale: replace it with the output of `govaudit rules --markdown`"


@pytest.mark.parametrize("spec", RULES, ids=lambda spec: spec.id)
def test_each_option_has_a_meaning_and_the_docstring_names_it(spec):
    for name, field in spec.options.model_fields.items():
        assert field.description, f"{spec.id}: option {name} has no meaning"
        assert f"`{name}`" in spec.doc, f"{spec.id}: the docstring does not name option {name}"
    assert spec.summary
