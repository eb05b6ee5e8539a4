"""Nothing about a county or a year is written into the code (issue 25): the issuing organ, the 文号,
the county's own basis documents and the rules' basis come from the configuration, the defaults cite
national documents only, and what a county has not configured is said to be 未配置, never invented.
The sample portal, renamed to 测试县 and audited with a config `govaudit init` wrote, leaves no 马关 in
any file written."""

from __future__ import annotations

import ast
import html
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from portal_kit import audit_folder, govaudit

from audit.cli.demo.server import SAMPLE_PORTAL
from audit.config import ConfigError, load_settings
from audit.run.runner import render_stored
from audit.store import Store
from rules import registered_rules
from rules.base import rule_spec

ROOT = Path(__file__).resolve().parents[1]
TEXT_FILES = (".html", ".htm", ".md", ".jsp", ".css", ".txt", ".xml", ".json")


def _renamed_portal(target: Path) -> Path:
    """The sample portal with 马关 made 测试 in every page and sheet (its documents' 马政 numbers too)."""
    shutil.copytree(SAMPLE_PORTAL, target)
    for path in target.rglob("*"):
        if path.suffix in TEXT_FILES:
            path.write_text(path.read_text("utf-8").replace("马关", "测试").replace("马政", "测政"), "utf-8")
        elif path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path)
            for sheet in book:
                for row in sheet.iter_rows():
                    for cell in row:
                        if isinstance(cell.value, str):
                            cell.value = cell.value.replace("马关", "测试")
            book.save(path)
    return target


def _texts(out: Path) -> dict[str, str]:
    """The text of every file written under `out` (html, json, csv as they are; docx, xlsx, pdf read)."""
    texts = {}
    for path in sorted(out.rglob("*")):
        name = str(path.relative_to(out))
        if path.suffix in (".html", ".csv", ".json"):
            texts[name] = html.unescape(path.read_text("utf-8-sig"))
        elif path.suffix in (".docx", ".xlsx"):
            with zipfile.ZipFile(path) as archive:
                texts[name] = "\n".join(
                    html.unescape(re.sub(r"<[^>]+>", "", archive.read(part).decode("utf-8")))
                    for part in archive.namelist()
                    if part.endswith(".xml")
                )
        elif path.suffix == ".pdf":
            import pypdf

            texts[name] = "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    return texts


@pytest.fixture(scope="module")
def other_county(tmp_path_factory):
    work = tmp_path_factory.mktemp("other-county")
    portal = _renamed_portal(work / "portal")
    config = work / "测试县.yaml"
    written = govaudit(
        "init",
        str(config),
        "--county",
        "测试县",
        "--organ",
        "测试县人民政府办公室",
        "--doc-prefix",
        "测政办通",
        "--unit",
        "县住房和城乡建设局=县住建局,住建局",
        "--basis",
        "{county}{year}年政务公开工作任务清单",
    )
    assert written.returncode == 0, written.stderr
    done = audit_folder(portal, work, "--config", str(config), "--format", "html,json,xlsx,csv,docx,pdf")
    assert done.returncode == 0, done.stderr
    return done.out_dir, done.db_url


def test_another_county_leaves_no_maguan_in_any_file(other_county):
    out, _ = other_county
    texts = _texts(out)
    assert {"bulletin.html", "bulletin.pdf", "bulletin.docx", "findings.xlsx", "findings.csv", "findings.json"} <= set(
        texts
    )
    assert any(name.startswith("evidence/") for name in texts)
    for name, text in texts.items():
        assert "马关" not in text, (name, text[max(0, text.find("马关") - 80) : text.find("马关") + 40])
    bulletin = texts["bulletin.html"]
    # The 落款, the 文号 (year of issue, the serial left to fill in at 签发) and the basis: the config's.
    assert re.search(r'<p class="signature">测试县人民政府办公室<br>', (out / "bulletin.html").read_text("utf-8"))
    assert re.search(r"测政办通〔\d{4}〕\u3000\u3000号", bulletin)
    assert "《测试县2022年政务公开工作任务清单》" in bulletin and "国办发〔2017〕47号" in bulletin
    assert "未配置" not in bulletin


def test_an_unconfigured_county_is_said_to_be_unconfigured(other_county, tmp_path):
    """The same run written with the defaults: no organ, no 文号, no county document, and the 技术说明
    says which settings are 未配置 rather than naming a county."""
    _, db_url = other_county
    store = Store(db_url)
    [run] = store.runs()
    render_stored(store, run.id, load_settings(None), tmp_path, ("html",))
    bulletin = html.unescape((tmp_path / "bulletin.html").read_text("utf-8"))
    technical = html.unescape((tmp_path / "technical.html").read_text("utf-8"))
    assert '<p class="signature">（发文机关未配置）<br>' in (tmp_path / "bulletin.html").read_text("utf-8")
    assert (
        "未配置（不代填）：县名（county）、发文机关（organ）、文号（doc_number_format）、本县依据（local_basis）"
        in technical
    )
    assert "测政办通" not in bulletin and "任务清单》" not in bulletin
    assert 'class="docno"' not in bulletin


# -- the settings ----------------------------------------------------------------------------------


def _settings(tmp_path: Path, text: str):
    path = tmp_path / "c.yaml"
    path.write_text(text, "utf-8")
    return load_settings(path)


def test_the_defaults_name_no_county_and_cite_national_documents():
    bulletin = load_settings(None).bulletin
    assert bulletin.county_name == "" and bulletin.organ_name == "" and bulletin.signatory == "（发文机关未配置）"
    assert bulletin.doc_number_for(2023) == "" and bulletin.local_basis == ()
    assert bulletin.basis_citations(2023) == (
        "《国务院办公厅关于印发政府网站发展指引的通知》（国办发〔2017〕47号）",
        "《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）",
        "《中华人民共和国政府信息公开条例》（国务院令第711号）",
    )


@pytest.mark.parametrize(
    "text, organ",
    [
        ("bulletin: {county: 测试县}\n", "测试县人民政府办公室"),
        ("bulletin: {county: 测试县, organ: 测试县人民政府}\n", "测试县人民政府"),
        # A name with its level alone gets the county's name; the older key `issuer` is read as `organ`.
        ("bulletin: {county: 测试县, issuer: 县人民政府办公室}\n", "测试县人民政府办公室"),
        ("bulletin: {county: 测试县, organ: 县政府办公室}\n", "测试县政府办公室"),
        # Without a county, a name with its level alone is no name: 未配置, never 县人民政府办公室.
        ("bulletin: {issuer: 县人民政府办公室}\n", ""),
        ("bulletin: {organ: 测试县人民政府办公室}\n", "测试县人民政府办公室"),
    ],
)
def test_the_organ_is_always_named_in_full(tmp_path, text, organ):
    assert _settings(tmp_path, text).bulletin.organ_name == organ


def test_the_doc_number_is_given_or_formatted(tmp_path):
    formatted = _settings(tmp_path, "bulletin: {doc_number_format: '测政办通〔{year}〕{n}号', doc_number_serial: 7}\n")
    assert formatted.bulletin.doc_number_for(2023) == "测政办通〔2023〕7号"
    blank = _settings(tmp_path, "bulletin: {doc_number_format: '测政办通〔{year}〕{n}号'}\n")
    assert blank.bulletin.doc_number_for(2023) == "测政办通〔2023〕\u3000\u3000号"
    given = _settings(tmp_path, "bulletin: {doc_number: 测政办通〔2023〕31号, doc_number_format: 'x{n}'}\n")
    assert given.bulletin.doc_number_for(2024) == "测政办通〔2023〕31号"


@pytest.mark.parametrize("form", ["测政办通〔{year}〕号", "测政办通〔{county}〕{n}号", "{n}{x}"])
def test_a_doc_number_format_without_its_serial_is_refused(tmp_path, form):
    with pytest.raises(ConfigError, match="bulletin.doc_number_format"):
        _settings(tmp_path, f"bulletin: {{doc_number_format: '{form}'}}\n")


def test_a_rule_cites_the_county_document_only_where_it_enforces_one(tmp_path):
    configured = _settings(
        tmp_path, "bulletin:\n  county: 测试县\n  local_basis: [{title: '{county}{year}年政务公开工作任务清单'}]\n"
    )
    missing, broken = rule_spec("column.missing"), rule_spec("link.broken")
    assert missing.basis(configured, 2023).endswith("；《测试县2023年政务公开工作任务清单》")
    assert "任务清单" not in broken.basis(configured, 2023)
    assert missing.basis(load_settings(None), 2023) == missing.clause
    local = {spec.id for spec in registered_rules() if spec.local_basis}
    assert {"column.missing", "column.stale", "column.due_soon", "label.missing", "entity.sector_missing"} <= local


def test_no_rule_and_no_product_string_names_a_county():
    """Every rule's clause cites national documents; no string of the product's code (docstrings and
    comments aside, the demo's sample portal and its config aside) names 马关 or a year's county list."""
    for spec in registered_rules():
        assert not re.search(r"马关|[\u4e00-\u9fff]{2,}县\d{4}年", spec.clause), spec.id
    named = []
    for package in ("rules", "audit", "reports", "crawler"):
        for path in (ROOT / package).rglob("*.py"):
            if "demo" in path.relative_to(ROOT).parts:
                continue
            tree = ast.parse(path.read_text("utf-8"))
            docstrings = {
                id(node.body[0].value)
                for node in ast.walk(tree)
                if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                and node.body
                and isinstance(node.body[0], ast.Expr)
            }
            named += [
                f"{path.relative_to(ROOT)}:{node.lineno}"
                for node in ast.walk(tree)
                if isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and re.search("马关|文山|马政", node.value)
            ]
    assert named == []
    for template in (ROOT / "reports" / "templates").rglob("*.html"):
        assert not re.search("马关|文山", template.read_text("utf-8")), template


# -- govaudit init ---------------------------------------------------------------------------------


def _init(tmp_path: Path, *args: str, input: str | None = None):
    return subprocess.run(
        [sys.executable, "-m", "audit.cli", "init", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        input=input,
        timeout=120,
    )


def test_init_from_flags_writes_a_config_that_loads_and_round_trips(tmp_path):
    flags = (
        "--county",
        "测试县",
        "--doc-prefix",
        "测政办通",
        "--unit",
        "县住房和城乡建设局=县住建局，住建局",
        "--unit",
        "县教育体育局",
        "--basis",
        "{county}{year}年政务公开工作任务清单",
    )
    done = _init(tmp_path, "测试.yaml", *flags)
    assert done.returncode == 0, done.stderr
    assert "已写入配置文件" in done.stdout and "测试县人民政府办公室" in done.stdout
    first = (tmp_path / "测试.yaml").read_text("utf-8")
    settings = load_settings(tmp_path / "测试.yaml")
    bulletin = settings.bulletin
    assert (bulletin.county_name, bulletin.organ_name) == ("测试县", "测试县人民政府办公室")
    assert bulletin.doc_number_format == "测政办通〔{year}〕{n}号"
    assert bulletin.basis_citations(2022)[-1] == "《测试县2022年政务公开工作任务清单》"
    assert settings.units.aliases == {
        "县住建局": "县住房和城乡建设局",
        "住建局": "县住房和城乡建设局",
        "县教育体育局": "县教育体育局",
    }
    # Round trip: written again from the same answers, the file is the same, byte for byte.
    again = _init(tmp_path, "测试.yaml", *flags, "--force")
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "测试.yaml").read_text("utf-8") == first


def test_init_asks_on_the_terminal(tmp_path):
    answers = "\n".join(
        [
            "测试",  # not a county's full name: asked again
            "测试县",
            "",  # the organ: the proposed 测试县人民政府办公室
            "测政办通",
            "县住房和城乡建设局=县住建局",
            "县 财政局",  # a space in a name: said, and the next line asked
            "县财政局",
            "",
            "{county}{year}年政务公开工作任务清单",
        ]
    )
    done = _init(tmp_path, input=answers + "\n")
    assert done.returncode == 0, done.stderr
    assert "县名应为县（市、区、旗）的全称" in done.stdout + done.stderr
    assert "单位应写成「名称=别名1,别名2」" in done.stderr
    settings = load_settings(tmp_path / "govaudit.yaml")
    assert settings.bulletin.organ_name == "测试县人民政府办公室"
    assert settings.bulletin.doc_number_format == "测政办通〔{year}〕{n}号"
    assert settings.units.aliases == {"县住建局": "县住房和城乡建设局", "县财政局": "县财政局"}
    assert settings.bulletin.local_citations(2023) == ("《测试县2023年政务公开工作任务清单》",)


def test_init_refuses_to_overwrite_and_to_guess(tmp_path):
    existing = tmp_path / "govaudit.yaml"
    existing.write_text("bulletin: {county: 原有县}\n", "utf-8")
    refused = _init(tmp_path, "--county", "测试县")
    assert refused.returncode == 2 and "已存在" in refused.stderr and "--force" in refused.stderr
    assert existing.read_text("utf-8") == "bulletin: {county: 原有县}\n"
    for args, said in [
        (("new.yaml", "--doc-prefix", "测政办通"), "--county"),
        (("new.yaml", "--county", "测试"), "县名应为"),
        (("new.yaml", "--county", "测试县", "--organ", "另一县人民政府办公室"), "发文机关全称应含县名"),
        (("new.yaml", "--county", "测试县", "--doc-prefix", "测政办通〔{year}〕号"), "文号前缀"),
        (("new.yaml", "--county", "测试县", "--unit", "=县住建局"), "单位应写成"),
    ]:
        done = _init(tmp_path, *args)
        assert done.returncode == 2, args
        assert said in done.stderr and "Traceback" not in done.stderr, (args, done.stderr)
        assert not (tmp_path / "new.yaml").exists()
    # Input that ends before the questions do writes nothing.
    ended = _init(tmp_path, "half.yaml", input="测试县\n")
    assert ended.returncode == 2 and "未写入" in ended.stderr and not (tmp_path / "half.yaml").exists()


def test_a_unit_init_names_answers_as_that_unit(tmp_path):
    from audit.judging.units import canonical_unit

    done = _init(tmp_path, "--county", "测试县", "--unit", "县住房和城乡建设局=县住建局", "--unit", "县教育体育局")
    assert done.returncode == 0, done.stderr
    units = load_settings(tmp_path / "govaudit.yaml").units
    assert canonical_unit("测试县住建局", units) == "县住房和城乡建设局"
    assert canonical_unit("测试县教育体育局", units) == "县教育体育局"
    assert canonical_unit("县交通运输局", units) == "县交通运输局"  # not given: kept as the page gives it
