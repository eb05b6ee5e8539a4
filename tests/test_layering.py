"""The folders are the layers: the import-linter contracts in pyproject.toml hold, every module of the
product lies in one of the contract's layers (so a module added in any folder falls under it without
editing the contract), rule families do not import each other, and no module imports itself through
others (a cycle)."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest
import tomllib

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("crawler", "rules", "audit", "reports")
LINT = Path(sys.executable).with_name("lint-imports")


def _contracts(root: Path = ROOT) -> list[dict]:
    return tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["tool"]["importlinter"]["contracts"]


def _layers(root: Path = ROOT) -> list[list[str]]:
    """The layers contract's layers, top to bottom, each a list of sibling packages."""
    [contract] = [c for c in _contracts(root) if c["type"] == "layers"]
    return [[name.strip() for name in layer.split("|")] for layer in contract["layers"]]


def _lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT), str(root / "pyproject.toml")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
    )


def test_import_contracts_are_kept():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout[-4000:]
    assert "3 kept, 0 broken" in result.stdout
    assert sum(c["type"] == "layers" for c in _contracts()) == 1


def _modules(root: Path = ROOT) -> list[str]:
    """Every module of the product, from the files (the demo's sample portal is data)."""
    return sorted(
        ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
        for package in PACKAGES
        for path in (root / package).rglob("*.py")
        if "sample_portal" not in path.parts
    )


def _outside_layers(root: Path = ROOT) -> list[str]:
    layers = [name for layer in _layers(root) for name in layer]
    return [
        module
        for module in _modules(root)
        if module not in PACKAGES and not any(module == name or module.startswith(name + ".") for name in layers)
    ]


def test_every_module_lies_in_a_layer():
    """The contract names folders, and together they hold every module: the top-level packages only
    hold their layer folders (and a docstring __init__)."""
    assert len(_modules()) > 120
    assert _outside_layers() == [], "modules in no layer of pyproject.toml's contract: put each in a layer folder"
    layers = [name for layer in _layers() for name in layer]
    for package in PACKAGES:
        if package not in layers:
            body = ast.parse((ROOT / package / "__init__.py").read_text("utf-8")).body
            assert all(isinstance(node, ast.Expr) for node in body), f"{package}/__init__.py holds only a docstring"


@pytest.fixture(scope="module")
def probe_tree(tmp_path_factory) -> Path:
    """A copy of the product, to add modules to."""
    root = tmp_path_factory.mktemp("tree")
    shutil.copy(ROOT / "pyproject.toml", root)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, root / package, ignore=shutil.ignore_patterns("sample_portal", "__pycache__"))
    return root


def test_a_module_added_in_any_folder_falls_under_the_layers(probe_tree: Path):
    """A new module in every folder: where it lies in a layer below the top, importing the top layer
    breaks the contract; in the top layer, the bottom layer importing it does; a new module beside the
    layer folders (audit/x.py, crawler/x.py) lies in no layer, which test_every_module_lies_in_a_layer
    rejects."""
    layers = _layers(probe_tree)
    top, bottom = layers[0][0], layers[-1][0]
    folders = sorted(init.parent for package in PACKAGES for init in (probe_tree / package).rglob("__init__.py"))
    assert len(folders) > 20
    probes = {
        ".".join(folder.relative_to(probe_tree).parts) + ".probe_new_module": folder / "probe_new_module.py"
        for folder in folders
    }
    importer = probe_tree / Path(*bottom.split(".")) / "probe_importer.py"
    in_top = [name for name in probes if any(name.startswith(t + ".") for t in layers[0])]
    for name, path in probes.items():
        path.write_text("" if name in in_top else f"import {top}\n", "utf-8")
    importer.write_text("".join(f"import {name}\n" for name in in_top), "utf-8")
    try:
        outside = set(_outside_layers(probe_tree))
        result = _lint(probe_tree)
    finally:
        for path in [*probes.values(), importer]:
            path.unlink()
    assert result.returncode != 0
    report = result.stdout
    caught = {
        name
        for name in probes
        if name in outside or f"- {name} ->" in report or f"-> {name} " in report or f"-> {name}\n" in report
    }
    assert sorted(set(probes) - caught) == []
    assert sorted(outside) == ["audit.probe_new_module", "crawler.probe_new_module"]
    assert _lint(probe_tree).returncode == 0  # the probes are gone, the tree is whole again


def test_a_new_rule_family_falls_under_the_independence_contract(probe_tree: Path):
    family = probe_tree / "rules" / "probefamily"
    family.mkdir()
    (family / "__init__.py").write_text("", "utf-8")
    (family / "borrowed.py").write_text("import rules.entity.sector_missing\n", "utf-8")
    try:
        result = _lint(probe_tree)
    finally:
        shutil.rmtree(family)
    assert result.returncode != 0
    assert "rules.probefamily is not allowed to import rules.entity" in result.stdout
    assert "- rules.probefamily.borrowed -> rules.entity.sector_missing" in result.stdout


def test_the_independence_contract_does_not_fire_on_shared_rule_modules(probe_tree: Path):
    """A trap: a family importing the rules' own modules (base, snapshot, documents…) stays legal."""
    family = probe_tree / "rules" / "probefamily"
    family.mkdir()
    (family / "__init__.py").write_text("", "utf-8")
    (family / "fine.py").write_text("import rules.base\nimport rules.snapshot\nimport rules.documents\n", "utf-8")
    try:
        result = _lint(probe_tree)
    finally:
        shutil.rmtree(family)
    assert result.returncode == 0, result.stdout[-3000:]


def test_no_import_cycle_between_modules():
    graph = grimp.build_graph(*PACKAGES)
    cycles = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            # A package's __init__ re-exporting its own modules is not a cycle between rooms.
            if imported.startswith(importer + ".") or importer.startswith(imported + "."):
                continue
            if graph.chain_exists(importer=imported, imported=importer):
                cycles.append(f"{importer} -> {imported} -> … -> {importer}")
    assert cycles == []
