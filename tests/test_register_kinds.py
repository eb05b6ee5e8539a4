"""A register kind is one module: a kind that exists only in this test (a 政府信箱-like `trial`),
added to rules.registers.KINDS and nowhere else, is imported by `govaudit trial import`, kept by the store,
read into the snapshot and given its section in the bulletin — no product file names it."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from portal_kit import audit_pages, page

from audit.cli import main
from audit.store import Store
from audit.store.registers import load_registers
from rules.registers import KINDS, RegisterKind, Registers, Summary, UnitLine, kind_named
from rules.registers.kind import FieldSpec, a_date, by_unit, required_date, required_text


@dataclass(frozen=True)
class Letter:
    letter_id: str
    received: date
    unit: str
    answered: date | None


def _place(letter):
    return (letter.letter_id,)


def _summarise(letters, as_of):
    waiting = sum(1 for letter in letters if letter.answered is None)
    return Summary(
        f"本季度收到政府信箱来信{len(letters)}封，未答复{waiting}封。",
        ("承办单位", "来信", "未答复"),
        tuple(
            UnitLine(unit, (str(len(items)), str(sum(1 for i in items if i.answered is None))))
            for unit, items in by_unit(letters).items()
        ),
    )


TRIAL = RegisterKind(
    name="trial",
    title="政府信箱（测试）",
    file_title="政府信箱来信表",
    help="政府信箱来信 / letters (test kind).",
    row=Letter,
    fields=(
        FieldSpec("letter_id", ("信件编号", "编号"), required_text),
        FieldSpec("received", ("来信时间", "来信日期"), required_date),
        FieldSpec("unit", ("承办单位", "办理单位"), required_text),
        FieldSpec("answered", ("答复时间", "回复时间"), a_date, required=False),
    ),
    place=_place,
    summarise=_summarise,
    order=9,
)

PORTAL = {
    "/": page("测试县人民政府", '<ul><li><a href="/n/1.html">县政府召开常务会议</a><span>2022-10-12</span></li></ul>'),
    "/n/1.html": page("县政府召开常务会议", "<p>发布日期：2022-10-12</p><p>会议研究了有关事项。</p>"),
}


@pytest.fixture
def trial_kind(monkeypatch):
    KINDS.append(TRIAL)
    # The file is read in a reader process, handed the kind itself: its row class must import there.
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(filter(None, [str(Path(__file__).parent), os.environ.get("PYTHONPATH")]))
    )
    yield TRIAL
    KINDS.remove(TRIAL)


def test_the_kinds_are_found_in_bulletin_order():
    names = [kind.name for kind in KINDS]
    assert [name for name in names if name in ("media", "hotline", "messages")] == ["media", "hotline", "messages"]
    assert [kind.order for kind in KINDS] == sorted(kind.order for kind in KINDS)
    assert len(set(names)) == len(names)
    for kind in KINDS:
        # Every field of the row is read from a column, in the row's order.
        assert [spec.name for spec in kind.fields] == [field.name for field in dataclasses.fields(kind.row)]


def test_a_kind_added_to_the_list_flows_to_import_store_snapshot_and_bulletin(trial_kind, tmp_path):
    audited = audit_pages(tmp_path / "run", PORTAL)
    assert audited.returncode == 0, audited.stderr
    sheet = tmp_path / "信箱.csv"
    sheet.write_text(
        "信件编号,来信时间,承办单位,答复时间\nXX001,2022-08-01,县民政局,\nXX002,2022-08-02,县民政局,2022-08-05\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    # The CLI lists the kind and imports its file.
    assert "trial" in runner.invoke(main, ["--help"]).output
    done = runner.invoke(main, ["trial", "import", str(sheet), "--quarter", "2022Q3", "--db", audited.db_url])
    assert done.exit_code == 0, done.output
    assert "已导入政府信箱来信表 2行" in done.output
    # The store keeps it and the snapshot reads it back as the kind's rows.
    registers = load_registers(Store(audited.db_url), "2022Q3")
    assert registers.of("trial") == (
        Letter("XX001", date(2022, 8, 1), "县民政局", None),
        Letter("XX002", date(2022, 8, 2), "县民政局", date(2022, 8, 5)),
    )
    assert registers.unit_of("register://trial/XX001") == "县民政局"
    assert "register://trial/XX002" in registers.checked_urls()
    # The bulletin has its section, after the three kinds', with its figures.
    done = runner.invoke(main, ["report", "1", "--out", str(tmp_path / "again"), "--db", audited.db_url])
    assert done.exit_code == 0, done.output
    html = (tmp_path / "again" / "technical.html").read_text("utf-8")
    assert html.index("网民留言") < html.index("政府信箱（测试）")
    start = html.index("政府信箱（测试）")
    section = html[start : html.index("<h2>", start)]
    assert "本季度收到政府信箱来信2封，未答复1封。" in section and "县民政局" in section
    # A bad file is one line naming the kind's own column.
    bad = tmp_path / "bad.csv"
    bad.write_text("信件编号,来信时间\nXX1,2022-08-01\n", encoding="utf-8")
    done = runner.invoke(main, ["trial", "import", str(bad), "--quarter", "2022Q3", "--db", audited.db_url])
    assert done.exit_code == 2 and "承办单位" in done.output


def test_without_the_kind_in_the_list_nothing_knows_it(tmp_path):
    assert kind_named("trial") is None
    done = CliRunner().invoke(main, ["trial", "import", "x.csv"])
    assert done.exit_code == 2 and "No such command" in done.output
    assert Registers({"media": ()}).unit_of("register://trial/XX001") is None
