"""Hostile files handed to the tool by its operator's colleagues: YAML alias bombs (config,
sites.yaml), a site_id that is a path, register files built to blow up the importer. Each is
refused with one line (Chinese, then English) and exit 2, nothing stored changes, and the child
process stays small: every bomb runs under an address-space cap, so a regression fails the test
instead of eating the machine's memory."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from bounded_cli import govaudit_bounded

ROOT = Path(__file__).resolve().parents[1]


# --- YAML alias bombs ----------------------------------------------------------------------------


def _laughs(levels: int, width: int = 9) -> list[str]:
    """Anchors a0..aN, each a list of `width` aliases of the one before: width**N "lol"s."""
    lines = ['  a0: &a0 "lol"']
    lines += [f"  a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * width) + "]" for i in range(1, levels + 1)]
    return lines


def test_a_billion_laughs_sites_yaml_is_refused_small_and_nothing_is_registered(tmp_path):
    sites = tmp_path / "sites.yaml"
    bomb = ["x:", *_laughs(9), "sites:", "  - {name: 测试县, url: 'http://127.0.0.1:9/', unit: *a9}"]
    sites.write_text("\n".join(bomb) + "\n", encoding="utf-8")
    assert sites.stat().st_size < 600
    db = f"sqlite:///{tmp_path / 'govaudit.sqlite'}"
    result = govaudit_bounded("sites", "add", str(sites), "--db", db, cwd=tmp_path)
    result.refused("sites.yaml", "不予读取", "not read")
    assert result.peak_rss_mb < 400
    listed = govaudit_bounded("sites", "list", "--db", db, cwd=tmp_path)
    assert listed.returncode == 0 and "没有登记的网站" in listed.stdout


def test_a_config_alias_bomb_is_refused_before_anything_runs(tmp_path):
    config = tmp_path / "govaudit.yaml"
    config.write_text("\n".join(["units:", *_laughs(9)]) + "\n", encoding="utf-8")
    result = govaudit_bounded(
        "report",
        "1",
        "--config",
        str(config),
        "--db",
        f"sqlite:///{tmp_path / 'x.sqlite'}",
        "--out",
        str(tmp_path / "out"),
        cwd=tmp_path,
    )
    result.refused("govaudit.yaml", "配置文件不予读取", "config refused")
    assert result.peak_rss_mb < 400
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "text, words",
    [
        ("sites: &s [*s]\n", ["*s", "recursive"]),
        (
            "sites:\n"
            + "".join(f"  - &a{i} {{name: n{i}}}\n" for i in range(101))
            + "x: ["
            + ",".join(f"*a{i}" for i in range(101))
            + "]\n",
            ["100", "aliases"],
        ),
        ("sites: " + "[" * 80 + "]" * 80 + "\n", ["64", "nested"]),
        ("sites: '" + "长" * 400_000 + "'\n", ["1024 KB", "not read"]),
    ],
)
def test_other_hostile_yaml_shapes_are_refused(tmp_path, text, words):
    sites = tmp_path / "sites.yaml"
    sites.write_text(text, encoding="utf-8")
    result = govaudit_bounded("sites", "add", str(sites), "--db", f"sqlite:///{tmp_path / 'x.sqlite'}", cwd=tmp_path)
    result.refused("sites.yaml", *words)


def test_a_few_aliases_in_an_ordinary_sites_yaml_still_work(tmp_path):
    """The trap: a shared unit written once with an anchor is normal YAML and is read."""
    sites = tmp_path / "sites.yaml"
    sites.write_text(
        "sites:\n"
        "  - {name: 甲县人民政府, url: 'http://127.0.0.1:9/', unit: &office 州政府办公室, site_id: '5326250001'}\n"
        "  - {name: 乙县人民政府, url: 'http://127.0.0.2:9/', unit: *office}\n",
        encoding="utf-8",
    )
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    result = govaudit_bounded("sites", "add", str(sites), "--db", db, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    listed = govaudit_bounded("sites", "list", "--db", db, cwd=tmp_path)
    assert listed.stdout.count("州政府办公室") == 2


def test_python_tags_stay_refused(tmp_path):
    config = tmp_path / "govaudit.yaml"
    marker = tmp_path / "pwned"
    config.write_text(f"units: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    result = govaudit_bounded(
        "report", "1", "--config", str(config), "--db", f"sqlite:///{tmp_path / 'x.sqlite'}", cwd=tmp_path
    )
    result.refused("not valid YAML", "python/object/apply")
    assert not marker.exists()


# --- site_id is a folder name, never a path -------------------------------------------------------


@pytest.mark.parametrize("site_id", ["../escaped", "/tmp/abs-site", "a/b", "..", "5326\n250001", "a" * 33])
def test_a_site_id_that_is_a_path_is_refused_by_sites_add(tmp_path, site_id):
    sites = tmp_path / "sites.yaml"
    sites.write_text(
        f"sites:\n  - {{name: 甲县, url: 'http://127.0.0.1:9/', unit: 办公室, site_id: {json.dumps(site_id)}}}\n",
        encoding="utf-8",
    )
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    result = govaudit_bounded("sites", "add", str(sites), "--db", db, cwd=tmp_path)
    result.refused("site_id", "letters, digits, - or _")
    listed = govaudit_bounded("sites", "list", "--db", db, cwd=tmp_path)
    assert "没有登记的网站" in listed.stdout


def test_a_stored_site_id_that_is_a_path_writes_nothing_outside_out(tmp_path):
    """A register added before site_ids were checked: audit-all and report --all refuse it before
    auditing or writing anything; a plain site_id (the trap) is a folder under --out."""
    sites = tmp_path / "sites.yaml"
    sites.write_text(
        "sites:\n  - {name: 甲县, url: 'http://127.0.0.1:9/', unit: 办公室, site_id: '5326250009'}\n", encoding="utf-8"
    )
    db_file = tmp_path / "x.sqlite"
    db = f"sqlite:///{db_file}"
    assert govaudit_bounded("sites", "add", str(sites), "--db", db, cwd=tmp_path).returncode == 0
    with sqlite3.connect(db_file) as conn:
        conn.execute("update site set site_id = '../escaped'")
    out = tmp_path / "out" / "runs"
    result = govaudit_bounded("audit-all", "--db", db, "--out", str(out), "--as-of", "2022-10-15", cwd=tmp_path)
    result.refused("'../escaped'", "not a plain name inside the output folder", "sites add")
    report = govaudit_bounded("report", "--all", "--quarter", "2022Q3", "--db", db, "--out", str(out), cwd=tmp_path)
    report.refused("'../escaped'")
    assert not (tmp_path / "out" / "escaped").exists()
    assert not any(path.name in ("findings.json", "bulletin.html") for path in tmp_path.rglob("*"))

    with sqlite3.connect(db_file) as conn:
        conn.execute("update site set site_id = '5326250009'")
    plain = govaudit_bounded("audit-all", "--db", db, "--out", str(out), "--as-of", "2022-10-15", cwd=tmp_path)
    assert plain.returncode == 3, plain.stderr  # the site cannot be reached: site.unreachable
    assert (out / "5326250009" / "findings.json").exists()


# --- register import bombs ------------------------------------------------------------------------

MEDIA_HEADER = ["账号名称", "平台", "运营单位", "备案", "最近发布日期"]
MEDIA_ROW = ["马关发布", "微信公众号", "县政府办公室", "是", "2022-10-01"]

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)


def _inline_row(number: int, values: list[str]) -> str:
    cells = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{value}</t></is></c>' for i, value in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'


def hand_made_xlsx(path: Path, sheet_rows: str, *, dimension: str = "A1:E2", shared_strings=None) -> Path:
    """An .xlsx written by hand, the way a hostile file is: the parts openpyxl needs, any sheet XML."""
    import zipfile

    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{sheet_rows}</sheetData></worksheet>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        with archive.open("xl/sharedStrings.xml", "w") as strings:
            strings.write(
                b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            for chunk in shared_strings or ():
                strings.write(chunk)
            strings.write(b"</sst>")
    return path


def far_cell_xlsx(path: Path) -> Path:
    """2 KB: a header, one account, and one cell at XFD1048576 that the sheet's dimension declares."""
    rows = (
        _inline_row(1, MEDIA_HEADER)
        + _inline_row(2, MEDIA_ROW)
        + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    )
    return hand_made_xlsx(path, rows, dimension="A1:XFD1048576")


def openpyxl_far_cell_xlsx(path: Path) -> Path:
    """An ordinary register saved by openpyxl (as Excel would) with one stray value at XFD1048576."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(MEDIA_HEADER)
    for number in range(50):
        sheet.append([f"账号{number}", *MEDIA_ROW[1:]])
    sheet["XFD1048576"] = "备注"
    book.save(path)
    return path


def shared_strings_bomb_xlsx(path: Path, strings: int = 60_000_000) -> Path:
    """A few MB packed: `strings` shared strings that openpyxl would load, all at once, into a list."""
    chunk = b"<si><t>a</t></si>" * 100_000
    rows = _inline_row(1, MEDIA_HEADER) + _inline_row(2, MEDIA_ROW)
    return hand_made_xlsx(path, rows, shared_strings=(chunk for _ in range(strings // 100_000)))


def long_field_csv(path: Path) -> Path:
    path.write_text(
        ",".join(MEDIA_HEADER) + "\n" + ",".join(MEDIA_ROW[:2]) + ',"' + "县" * 200_000 + '",是,2022-10-01\n',
        encoding="utf-8",
    )
    return path


def million_rows_csv(path: Path, rows: int = 1_000_000) -> Path:
    line = (",".join(MEDIA_ROW) + "\n").encode("utf-8")
    with open(path, "wb") as handle:
        handle.write((",".join(MEDIA_HEADER) + "\n").encode("utf-8"))
        for _ in range(rows // 10_000):
            handle.write(line * 10_000)
    return path


def _accounts(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "select count(*) from register_row join register_import on register_import.id = import_id "
            "where kind = 'media'"
        ).fetchone()[0]


@pytest.fixture
def imported(tmp_path):
    """A database holding the office's sample register (8 accounts) for 2022Q3."""
    db = tmp_path / "db.sqlite"
    done = govaudit_bounded(
        "media",
        "import",
        str(ROOT / "docs" / "registers" / "media-accounts.csv"),
        "--quarter",
        "2022Q3",
        "--db",
        f"sqlite:///{db}",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert _accounts(db) == 8
    return db


@pytest.mark.parametrize(
    "build, name, words",
    [
        (far_cell_xlsx, "far.xlsx", ["第1048576行有内容", "beyond the limit of 200000 rows"]),
        (openpyxl_far_cell_xlsx, "ordinary.xlsx", ["第1048576行有内容", "beyond the limit of 200000 rows"]),
        (
            lambda path: shared_strings_bomb_xlsx(path, 20_000_000),
            "strings.xlsx",
            ["xl/sharedStrings.xml 解压后", "over 256 MB"],
        ),
        (lambda path: shared_strings_bomb_xlsx(path, 8_000_000), "ratio.xlsx", ["xl/sharedStrings.xml", "a zip bomb"]),
        (long_field_csv, "long.csv", ["第2行有超过 128 KB 的单元格", "a cell over 128 KB in row 2"]),
        (million_rows_csv, "million.csv", ["超过200000行", "more than 200000 rows"]),
    ],
)
def test_a_register_bomb_is_refused_in_one_line_small_and_stores_nothing(tmp_path, imported, build, name, words):
    bomb = build(tmp_path / name)
    result = govaudit_bounded(
        "media", "import", str(bomb), "--quarter", "2022Q3", "--db", f"sqlite:///{imported}", cwd=tmp_path
    )
    result.refused(name, *words)
    assert result.peak_rss_mb < 400, result.peak_rss_mb
    assert _accounts(imported) == 8


def test_a_register_over_the_reader_memory_cap_is_one_line(tmp_path, imported):
    """Whatever the checks before reading miss, the reader process's cap (as for attachments) ends:
    a 60 MB csv row of 20 million two-character cells is 1.3 GB of Python strings."""
    path = tmp_path / "wide.csv"
    path.write_text(",".join(MEDIA_HEADER) + "\n" + "12," * 20_000_000 + "\n", encoding="utf-8")
    result = govaudit_bounded(
        "media", "import", str(path), "--quarter", "2022Q3", "--db", f"sqlite:///{imported}", cwd=tmp_path
    )
    result.refused("wide.csv", "768 MB", "not imported")
    assert _accounts(imported) == 8


def test_an_ordinary_register_with_an_empty_styled_far_cell_imports(tmp_path):
    """The trap: formatting down to XFD1048576 (no value there) makes the sheet's dimension huge but
    is not a reason to refuse; the rows below the last value are not walked into memory."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.append(["政务新媒体账号登记表（2022年第三季度）"])
    sheet.append(MEDIA_HEADER)
    for number in range(30):
        sheet.append([f"账号{number}", *MEDIA_ROW[1:]])
    sheet["XFD1048576"].font = Font(bold=True)
    book.save(tmp_path / "styled.xlsx")
    db = tmp_path / "db.sqlite"
    result = govaudit_bounded(
        "media", "import", str(tmp_path / "styled.xlsx"), "--quarter", "2022Q3", "--db", f"sqlite:///{db}", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "已导入政务新媒体登记表 30行" in result.stdout
    assert _accounts(db) == 30 and result.peak_rss_mb < 400


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("notzip.xlsx", b"PK\x03\x04 not really a zip", ["notzip.xlsx 不是有效的 xlsx 文件", "not a valid xlsx file"]),
    ],
)
def test_a_broken_register_file_is_one_line(tmp_path, imported, name, content, words):
    (tmp_path / name).write_bytes(content)
    result = govaudit_bounded(
        "media", "import", str(tmp_path / name), "--quarter", "2022Q3", "--db", f"sqlite:///{imported}", cwd=tmp_path
    )
    result.refused(*words)
    assert _accounts(imported) == 8
