"""One problem list per run, one truth: four quarters (2022Q2–2023Q1) of the sample portal with the
office's registers imported, run through `run-quarterly` over HTTP into one SQLite file. Every total
— by state, by class, by unit — is read back out of the written files (section 一's text, the
charts, 附件1's title and rows, 三、整改情况, findings.json, findings.xlsx, findings.csv) and the
terminal (`govaudit history`, `diff`), and must agree.

Between 2022Q2 and 2022Q3 the units take three problem pages off their lists: one now answers 404,
one 410 (both 已撤下, counted among the fixed) and one 500 (not a removal: 未检查, 未能复查)."""

from __future__ import annotations

import csv
import json
import re
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook
from parsel import Selector
from portal_kit import govaudit

sys.path.insert(0, str(Path(__file__).resolve().parent / "rule_cases"))

from registers_kit import HOTLINE_CSV, MEDIA_CSV, MESSAGES_CSV  # noqa: E402
from test_history import FIXED_PAGE, add_label  # noqa: E402

from audit.cli.demo.server import SAMPLE_PORTAL, serve_portal  # noqa: E402

QUARTERS = ("2022Q2", "2022Q3", "2022Q4", "2023Q1")
GONE_404 = "/xxgk/gfxwj/202201/t20220118_1038.html"  # label.missing; file deleted, off its list
GONE_410 = "/xxgk/gsgg/202209/t20220930_1101.html"  # privacy.id_number and privacy.phone; answers 410
FAILING_500 = "/zwdt/zwyw/202209/t20220922_1006.html"  # text.wrong_expression; answers 500
SEVERITIES = ("单项否决", "扣分", "提示")
STATES = ("新增", "未整改", "已整改", "已撤下", "未检查")


def _off_the_lists(root: Path, path: str) -> None:
    """The unit removes every list entry of the page (its column's list, the home page's) and the
    links to it (a 解读's 原文链接)."""
    name = path.rsplit("/", 1)[1]
    for page in root.rglob("*.html"):
        text = page.read_text("utf-8")
        kept = "\n".join(
            line for line in text.split("\n") if not (name in line and line.lstrip().startswith(("<li", "<div")))
        )
        if kept != text:
            page.write_text(kept, encoding="utf-8")


def _import_registers(db_url: str, quarter: str, media: Path) -> None:
    for kind, path in (("media", media), ("hotline", HOTLINE_CSV), ("messages", MESSAGES_CSV)):
        done = govaudit(kind, "import", str(path), "--quarter", quarter, "--db", db_url)
        assert done.returncode == 0, done.stderr


def _run_quarter(root: Path, out: Path, db_url: str, quarter: str) -> None:
    with serve_portal(root) as portal:
        done = govaudit(
            "run-quarterly", portal.base_url, "--quarter", quarter, "--out", str(out), "--db", db_url, "--quiet"
        )
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def quarters(tmp_path_factory):
    work = tmp_path_factory.mktemp("problems")
    root = work / "portal"
    shutil.copytree(SAMPLE_PORTAL, root)
    db_url = f"sqlite:///{work / 'audit.sqlite'}"
    out = work / "quarterly"

    _import_registers(db_url, "2022Q2", MEDIA_CSV)
    _run_quarter(root, out, db_url, "2022Q2")

    (root / GONE_404.lstrip("/")).unlink()
    (root / "_headers.json").write_text(
        json.dumps({GONE_410: {"status": 410}, FAILING_500: {"status": 500}}), encoding="utf-8"
    )
    for path in (GONE_404, GONE_410, FAILING_500):
        _off_the_lists(root, path)
    _import_registers(db_url, "2022Q3", MEDIA_CSV)
    _run_quarter(root, out, db_url, "2022Q3")

    # 2022Q4: 马关司法 has been filed (a register problem fixed).
    filed = work / "media-q4.csv"
    filed.write_text(
        MEDIA_CSV.read_text("utf-8").replace("马关司法,微博,县司法局,否", "马关司法,微博,县司法局,是"), encoding="utf-8"
    )
    _import_registers(db_url, "2022Q4", filed)
    _run_quarter(root, out, db_url, "2022Q4")

    add_label(root)
    _import_registers(db_url, "2023Q1", filed)
    _run_quarter(root, out, db_url, "2023Q1")
    history = govaudit("history", "--db", db_url)
    assert history.returncode == 0, history.stderr
    return db_url, out, history.stdout


# -- what each written file says ------------------------------------------------------------------


def _json_totals(folder: Path) -> dict:
    findings = json.loads((folder / "findings.json").read_text("utf-8"))
    return {
        "total": len(findings),
        "states": Counter(f["state"] for f in findings),
        "severities": Counter(f["severity"] for f in findings),
        "units": Counter(unit for f in findings for unit in f["units"]),
    }


def _table_totals(header: list[str], rows: list[list]) -> dict:
    unit, state, severity = header.index("责任单位"), header.index("整改状态"), header.index("性质")
    return {
        "total": len(rows),
        "states": Counter(row[state] for row in rows),
        "severities": Counter(row[severity] for row in rows),
        "units": Counter(name for row in rows for name in row[unit].split("、")),
    }


def _csv_totals(folder: Path) -> dict:
    with (folder / "findings.csv").open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return _table_totals(header, rows)


def _xlsx(folder: Path):
    workbook = load_workbook(folder / "findings.xlsx", read_only=True)
    sheets = {
        sheet.title: [
            [("" if cell is None else str(cell)) for cell in row] for row in sheet.iter_rows(values_only=True)
        ]
        for sheet in workbook.worksheets
    }
    workbook.close()
    return sheets


def _xlsx_totals(folder: Path) -> dict:
    header, *rows = _xlsx(folder)["问题清单"]
    return _table_totals(header, rows)


def _counts(text: str, names) -> Counter:
    # 其中已撤下N个 is a part of 已整改, not a figure of its own.
    return Counter({name: int(n) for name in names for n in re.findall(rf"(?<!其中){name}(\d+)个", text)})


def _text(html: str) -> str:
    return "".join(Selector(html).xpath("//body//text()").getall())


def _follow_up_html(folder: Path) -> str:
    """整改情况, in whichever of the two files holds it."""
    for name in ("bulletin.html", "technical.html"):
        html = (folder / name).read_text("utf-8")
        if "（一）已整改" in html:
            start = html.index("（一）已整改")
            return html[html.rindex("<h2", 0, start) : html.index("<h2", start)]
    raise AssertionError("no 整改情况")


def _bulletin(folder: Path) -> dict:
    body = Selector((folder / "bulletin.html").read_text("utf-8"))
    text = "".join(body.xpath("//body//text()").getall())
    overall = text[text.index("总体情况") :]
    [website] = re.findall(r"共发现网站问题(\d+)个", overall)
    # With register problems, section 一 ends with the whole list's count.
    everything = re.findall(r"以上共计问题(\d+)个（([^）]*)）", overall)
    # The body's 附件: one table per unit, its problems.
    by_unit = Counter()
    for heading in body.xpath("//section[contains(@class,'annex')]//h4"):
        unit = re.sub(r"^[一二三四五六七八九十百]+、", "", "".join(heading.xpath(".//text()").getall())).rsplit(
            "（", 1
        )[0]
        by_unit[unit] = len(heading.xpath("following-sibling::table[1]/tbody/tr"))
    technical = Selector((folder / "technical.html").read_text("utf-8"))
    charts = {}
    for chart in technical.xpath("//figure[not(@class='trend')]/svg"):
        labels = chart.xpath("./text[@text-anchor='end']/title/text()").getall()
        values = [int(v) for v in chart.xpath("./text[not(@text-anchor)]/text()").getall()]
        charts[chart.xpath("./title/text()").get()] = dict(zip(labels, values))
    [table] = [t for t in technical.xpath("//table[contains(@class,'findings')]")]
    heading = "".join(table.xpath("preceding::h2[1]//text()").getall())
    [annex_total] = re.findall(r"问题清单（含证据，(\d+)个）", heading)
    cells = [[" ".join(td.xpath(".//text()").getall()) for td in tr.xpath("./td")] for tr in table.xpath("./tbody/tr")]
    follow_up = (
        _text(_follow_up_html(folder))
        if "（一）已整改" in text + _text((folder / "technical.html").read_text("utf-8"))
        else ""
    )
    return {
        "website": int(website),
        "all": (int(everything[0][0]), _counts(everything[0][1], SEVERITIES)) if everything else None,
        "website_severities": _counts(overall[overall.index("共发现网站问题") :].split("）", 1)[0], SEVERITIES),
        "annex_units": by_unit,
        "charts": charts,
        "annex_total": int(annex_total),
        "annex_rows": cells,
        "follow_up": re.findall(
            r"已整改(\d+)个(?:（其中页面已撤下(\d+)个）)?，仍未整改(\d+)个，本次未能复查(\d+)个", follow_up
        ),
    }


def _history_totals(stdout: str) -> dict[str, tuple[int, Counter, Counter]]:
    """Per quarter: the problems, then by class and by state, as `govaudit history` prints them."""
    lines = stdout.splitlines()
    found = {}
    for line, counts in zip(lines, lines[1:]):
        fields = line.split()
        if len(fields) > 5 and fields[1] in QUARTERS and fields[4] == "完成":
            by_class, by_state = counts.strip().split("；")
            found[fields[1]] = (
                int(fields[5]),
                Counter({m[0]: int(m[1]) for m in re.findall(r"(\D+?)(\d+)", by_class.replace(" ", ""))}),
                Counter({m[0]: int(m[1]) for m in re.findall(r"(\D+?)(\d+)", by_state.replace(" ", ""))}),
            )
    return found


def _nonzero(counter: Counter) -> Counter:
    return Counter({key: value for key, value in counter.items() if value})


# -- the tests ------------------------------------------------------------------------------------


@pytest.mark.parametrize("quarter", QUARTERS)
def test_every_output_counts_the_same_problems(quarters, quarter):
    db_url, out, history = quarters
    folder = out / quarter
    expected = _json_totals(folder)
    assert expected["total"] > 0
    # Register problems are in the one list: counted and listed with the website's.
    findings = json.loads((folder / "findings.json").read_text("utf-8"))
    assert any(f["url"].startswith("register://") for f in findings)
    assert all(f["deadline"] for f in findings)
    for other in (_csv_totals(folder), _xlsx_totals(folder)):
        assert other == expected

    bulletin = _bulletin(folder)
    website = [f for f in findings if not f["url"].startswith("register://")]
    assert bulletin["website"] == len(website)
    assert _nonzero(bulletin["website_severities"]) == _nonzero(Counter(f["severity"] for f in website))
    if len(website) < len(findings):
        assert bulletin["all"][0] == expected["total"] == len(findings)
        assert _nonzero(bulletin["all"][1]) == _nonzero(expected["severities"])
    else:
        assert bulletin["all"] is None
    # The body's 附件: each unit's table holds its problems, register units' too.
    assert bulletin["annex_units"] == expected["units"]
    # The technical file's 问题清单: its title and rows — class (性质), state (整改状态), units.
    assert bulletin["annex_total"] == len(bulletin["annex_rows"]) == expected["total"]
    annex_severities = Counter(row[5] for row in bulletin["annex_rows"])
    annex_states = Counter(row[7].split()[0] for row in bulletin["annex_rows"])
    annex_units = Counter(unit for row in bulletin["annex_rows"] for unit in row[1].split("、"))
    assert annex_severities == expected["severities"]
    assert annex_states == expected["states"]
    assert annex_units == expected["units"]
    # The charts: the bars by column (and register) add up to the problems; the units' bars are
    # each unit's count.
    assert sum(bulletin["charts"]["各栏目问题数"].values()) == expected["total"]
    units_chart = bulletin["charts"]["各责任单位问题数"]
    assert units_chart and all(expected["units"][unit] == count for unit, count in units_chart.items())
    assert set(units_chart) == {unit for unit, _ in expected["units"].most_common(15)} or len(expected["units"]) > 15

    # Every unit, a register's too, has its sheet with its problems.
    sheets = _xlsx(folder)
    for unit, count in expected["units"].items():
        [title] = [name for name in sheets if name == unit[:28]]
        assert len(sheets[title]) - 1 == count

    total, by_class, by_state = _history_totals(history)[quarter]
    assert total == expected["total"]
    assert _nonzero(by_class) == _nonzero(expected["severities"])
    assert by_state["新增"] == expected["states"]["新增"] and by_state["未整改"] == expected["states"]["未整改"]
    if quarter != QUARTERS[0]:
        # The change since the previous quarter: the same figures in 整改情况 and the history.
        [(fixed, taken_down, still_open, unchecked)] = bulletin["follow_up"]
        assert int(fixed) == by_state["已整改"] + by_state["已撤下"]
        assert int(taken_down or 0) == by_state["已撤下"]
        assert int(still_open) == by_state["未整改"] and int(unchecked) == by_state["未检查"]


def test_register_problems_are_in_every_list(quarters):
    _, out, _ = quarters
    folder = out / "2022Q3"
    findings = json.loads((folder / "findings.json").read_text("utf-8"))
    vetoes = [f for f in findings if f["rule"].startswith("media.") and f["severity"] == "单项否决"]
    assert vetoes and all(f["deadline"] for f in vetoes)
    bulletin = _bulletin(folder)
    assert "八寨镇人民政府" in bulletin["annex_units"] and "八寨镇人民政府" in _xlsx(folder)
    annex_places = {row[2] for row in bulletin["annex_rows"]}
    assert "政务新媒体" in annex_places and "政务新媒体" in bulletin["charts"]["各栏目问题数"]


def test_pages_taken_down_are_a_result_and_a_failing_page_is_unchecked(quarters):
    db_url, out, history = quarters
    done = govaudit("diff", "1", "2", "--db", db_url)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()

    def states_of(path: str) -> set[str]:
        # The page's own problems (a link to it that now fails is a new link.broken, elsewhere).
        return {line.split("]")[0].lstrip(" [") for line in lines if f" {path} " in line and "link.broken" not in line}

    # 404 and 410, and off its column's list: 已撤下.
    assert states_of(GONE_404) == {"已撤下"}
    assert states_of(GONE_410) == {"已撤下"}
    assert sum(1 for line in lines if "[已撤下]" in line and GONE_410 in line) == 2
    # A 500 (a server fault, not a removal) is never 已撤下 nor 已整改: 未检查.
    assert states_of(FAILING_500) == {"未检查"}
    assert "已撤下 3" in lines[0] and "未检查" in lines[0]
    # The bulletin: counted among the fixed, named in 整改情况.
    follow_up = _follow_up_html(out / "2022Q3")
    assert "其中页面已撤下3个" in follow_up
    unchecked = follow_up[follow_up.index("（三）未能复查") :]
    assert FAILING_500 in unchecked and GONE_404 not in unchecked and GONE_410 not in unchecked
    fixed = follow_up[follow_up.index("（一）已整改") : follow_up.index("（二）仍未整改")]
    assert f"{GONE_404}</span>，页面已撤下" in fixed and f"{GONE_410}</span>，页面已撤下" in fixed
    # A register problem fixed (马关司法 filed in 2022Q4) is 已整改 in 三 of 2022Q4.
    q4 = _follow_up_html(out / "2022Q4")
    q4_fixed = q4[q4.index("（一）已整改") : q4.index("（二）仍未整改")]
    assert "马关司法" in q4_fixed
    # 2023Q1: the label added is 已整改 (fetched again and judged), not 已撤下.
    last = govaudit("diff", "3", "4", "--db", db_url)
    assert any("[已整改]" in line and FIXED_PAGE in line for line in last.stdout.splitlines())
    assert not any("[已撤下]" in line for line in last.stdout.splitlines())
