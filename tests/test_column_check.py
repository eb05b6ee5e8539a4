"""A one-column check (--column) concludes only from pages it read: on a portal whose 解读 live in
the 政策解读 column, it agrees with the full audit on every finding of the column — a document that
only its 解读 links to is interpretation.unlinked, not interpretation.missing — and its report says,
per rule, 合格 / 不合格 / 未检查 (checked in the real browser). Without a 政策解读 column it says
未检查 for the 解读 rules, and the next quarter does not count their earlier findings as 已整改."""

from __future__ import annotations

import pytest
from parsel import Selector
from portal_kit import audit_folder, doc_page, govaudit, list_page, page, write_portal
from test_bulletin import _chromium, _headless

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _document(name: str, title: str, number: str, related: str = "", *, label: str = "（此件公开发布）") -> str:
    """A 规范性文件 with every element and a PDF files/{name}.pdf (g5's is missing: a broken link)."""
    files = f'<p>附件：<a href="/xxgk/gfxwj/files/{name}.pdf">{title}.pdf</a></p>'
    return doc_page(
        title,
        doc_number=number,
        published="2022-09-01",
        label_line=label,
        body=files + related,
        metadata_extra="<tr><th>成文日期：</th><td>2022-08-28</td></tr><tr><th>有效性：</th><td>现行有效</td></tr>",
    )


def _reading(title: str, body: str = "") -> str:
    return page(
        title,
        f'<h1>{title}</h1><div class="info">发布时间：2022-09-02</div>'
        f'<div class="content"><p>一、出台背景。二、主要内容。三、适用范围。</p>{body}</div>',
    )


def portal(interpretation_anchor: str) -> dict[str, str]:
    """g1 ⇄ j1; g2 has no 解读; j3 links g3, g3 not back (the issue's case: a 解读 outside the
    column); g4 links j4, j4 not back (a finding on j4, outside the column); g5 has no label and a
    broken attachment; g6 links its 解读 — outside every column — by the bare text 图解, and it
    links back. The home page's newest item is 44 days old (site.stale in a full audit)."""
    return {
        "/index.html": page(
            "首页",
            '<div class="nav"><a href="/xxgk/">政府信息公开</a></div>'
            '<ul class="news"><li><a href="/news/1.html">县政府召开常务会议</a><span>2022-09-01</span></li></ul>',
        ),
        "/news/1.html": page(
            "县政府召开常务会议", "<h1>县政府召开常务会议</h1><p>发布时间：2022-09-01</p><p>会议内容。</p>"
        ),
        "/xxgk/": page(
            "政府信息公开",
            '<ul class="side"><li><a href="/xxgk/gfxwj/">规范性文件</a></li>'
            f'<li><a href="/xxgk/zcjd/">{interpretation_anchor}</a></li></ul>',
        ),
        "/xxgk/gfxwj/": list_page(
            "规范性文件",
            [
                ("测试县甲办法", "/xxgk/gfxwj/g1.html", "2022-09-01"),
                ("测试县乙办法", "/xxgk/gfxwj/g2.html", "2022-09-01"),
                ("测试县丙办法", "/xxgk/gfxwj/g3.html", "2022-09-01"),
                ("测试县丁办法", "/xxgk/gfxwj/g4.html", "2022-09-01"),
                ("测试县戊办法", "/xxgk/gfxwj/g5.html", "2022-09-01"),
                ("测试县己办法", "/xxgk/gfxwj/g6.html", "2022-09-01"),
            ],
        ),
        "/xxgk/gfxwj/g1.html": _document(
            "g1",
            "测试县甲办法",
            "测政规〔2022〕1号",
            '<p>相关解读：<a href="/xxgk/zcjd/j1.html">《测试县甲办法》政策解读</a></p>',
        ),
        "/xxgk/gfxwj/g2.html": _document("g2", "测试县乙办法", "测政规〔2022〕2号"),
        "/xxgk/gfxwj/g3.html": _document("g3", "测试县丙办法", "测政规〔2022〕3号"),
        "/xxgk/gfxwj/g4.html": _document(
            "g4",
            "测试县丁办法",
            "测政规〔2022〕4号",
            '<p>相关解读：<a href="/xxgk/zcjd/j4.html">《测试县丁办法》政策解读</a></p>',
        ),
        "/xxgk/gfxwj/g5.html": _document(
            "g5",
            "测试县戊办法",
            "测政规〔2022〕5号",
            label="",
            related='<p>相关解读：<a href="/xxgk/zcjd/j5.html">《测试县戊办法》政策解读</a></p>',
        ),
        "/xxgk/gfxwj/g6.html": _document(
            "g6", "测试县己办法", "测政规〔2022〕6号", '<p>相关链接：<a href="/bm/tj6.html">图解</a></p>'
        ),
        "/bm/tj6.html": _reading(
            "《测试县己办法》图文解读", '<p>原文链接：<a href="/xxgk/gfxwj/g6.html">测试县己办法</a></p>'
        ),
        "/xxgk/zcjd/": list_page(
            "政策解读",
            [
                ("《测试县甲办法》政策解读", "/xxgk/zcjd/j1.html", "2022-09-02"),
                ("《测试县丙办法》政策解读", "/xxgk/zcjd/j3.html", "2022-09-02"),
                ("《测试县丁办法》政策解读", "/xxgk/zcjd/j4.html", "2022-09-02"),
                ("《测试县戊办法》政策解读", "/xxgk/zcjd/j5.html", "2022-09-02"),
            ],
        ),
        "/xxgk/zcjd/j1.html": _reading(
            "《测试县甲办法》政策解读", '<p>原文链接：<a href="/xxgk/gfxwj/g1.html">测试县甲办法</a></p>'
        ),
        "/xxgk/zcjd/j3.html": _reading(
            "《测试县丙办法》政策解读", '<p>原文链接：<a href="/xxgk/gfxwj/g3.html">测试县丙办法</a></p>'
        ),
        "/xxgk/zcjd/j4.html": _reading("《测试县丁办法》政策解读"),
        "/xxgk/zcjd/j5.html": _reading(
            "《测试县戊办法》政策解读", '<p>原文链接：<a href="/xxgk/gfxwj/g5.html">测试县戊办法</a></p>'
        ),
    }


def _site(work, interpretation_anchor: str):
    root = write_portal(work / "site", portal(interpretation_anchor))
    (root / "xxgk/gfxwj/files").mkdir(parents=True, exist_ok=True)
    for name in ("g1", "g2", "g3", "g4", "g6"):
        (root / f"xxgk/gfxwj/files/{name}.pdf").write_bytes(PDF)
    return root


def _found(result) -> set[tuple[str, str, str | None]]:
    return {(f["rule"], f["url"][len(result.base_url) - 1 :], f["column"]) for f in result.findings}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    work = tmp_path_factory.mktemp("column-check")
    root = _site(work, "政策解读")
    full = audit_folder(root, work / "full")
    column = audit_folder(root, work / "column", "--column", "gfxwj")
    assert full.returncode == 0 and column.returncode == 0, full.stderr + column.stderr
    return full, column


def _rendered(report, tmp_path) -> Selector:
    """The column report as Chromium renders it."""
    dumped = _headless(_chromium(), tmp_path / "profile", "--dump-dom", report.as_uri())
    assert dumped.returncode == 0, dumped.stderr
    return Selector(text=dumped.stdout)


def _verdicts(dom: Selector) -> dict[str, tuple[str, str]]:
    """The report's 检查结果 table: rule id → (verdict, note)."""
    return {
        row.attrib["data-rule"]: (row.css("td.verdict::text").get(), row.css("td.note::text").get() or "")
        for row in dom.css("table.verdicts tbody tr")
    }


def test_the_column_check_agrees_with_the_full_audit_on_the_column(runs):
    full, column = runs
    in_column = {finding for finding in _found(full) if finding[2] == "gfxwj"}
    assert _found(column) == in_column
    assert {
        ("interpretation.missing", "/xxgk/gfxwj/g2.html", "gfxwj"),
        ("interpretation.unlinked", "/xxgk/gfxwj/g3.html", "gfxwj"),
        ("label.missing", "/xxgk/gfxwj/g5.html", "gfxwj"),
        ("link.broken", "/xxgk/gfxwj/files/g5.pdf", "gfxwj"),
    } <= in_column
    # The 解读 that links g3 was read, and so was g6's, outside every column: neither document is
    # told it has no 解读.
    assert not {("interpretation.missing", f"/xxgk/gfxwj/{name}.html", "gfxwj") for name in ("g3", "g6")} & _found(
        column
    )
    # Outside the column: j4 lacks its link back, the home page is stale — the full audit's alone.
    outside = _found(full) - in_column
    assert {("interpretation.unlinked", "/xxgk/zcjd/j4.html", None), ("site.stale", "/", None)} <= outside


def test_the_column_report_gives_every_rule_a_verdict(runs, tmp_path):
    _, column = runs
    dom = _rendered(column.out_dir / "bulletin.html", tmp_path)
    assert "".join(dom.css("p.support ::text").getall()) == (
        f"为判断文件有无政策解读及是否与解读双向关联，另读取了「政策解读」栏目（{column.base_url}xxgk/zcjd/，信息4条）。"
    )
    verdicts = _verdicts(dom)
    assert {rule: verdict for rule, (verdict, _) in verdicts.items()} == {
        # 基本目录 and 公共企事业单位 rules do not look at the 规范性文件库: 不适用, neither pass nor fail.
        "catalog.blank_node": "不适用",
        "column.due_soon": "合格",
        "column.empty": "合格",
        "column.missing": "合格",
        "column.stale": "合格",
        "entity.sector_missing": "不适用",
        "interpretation.missing": "不合格",
        "interpretation.unlinked": "不合格",
        "label.conflict": "合格",
        "label.missing": "不合格",
        "label.not_public": "合格",
        "link.broken": "不合格",
        "normative.metadata_missing": "合格",
        "normative.no_download": "合格",
        "page.meta_missing": "不合格",
        "privacy.id_number": "合格",
        "privacy.phone": "合格",
        "text.wrong_expression": "合格",
        "security.hidden_link": "合格",
        "security.home_changed": "未检查",
        "site.certificate": "合格",
        "site.robots_forbidden": "合格",
        "site.stale": "未检查",
        "site.unreachable": "合格",
    }
    assert verdicts["site.stale"][1] == verdicts["security.home_changed"][1] == "全站检查项，单栏目检查不检查"


def _bulletin_verdicts(dom: Selector) -> dict[str, dict[str, str]]:
    """The full bulletin's verdict tables: scope (a column's name, or 全站) → rule id → verdict."""
    tables: dict[str, dict[str, str]] = {}
    for table in dom.css("table"):
        scopes = table.css("th.scope::text").getall()
        for row in table.css("tbody tr"):
            rule = row.attrib.get("data-rule")
            for scope, verdict in zip(scopes, row.css("td.nowrap::text").getall()):
                tables.setdefault(scope, {})[rule] = verdict
    return tables


def test_the_full_bulletin_judges_the_column_as_the_column_check_does(runs, tmp_path):
    full, column = runs
    report = _verdicts(_rendered(column.out_dir / "bulletin.html", tmp_path / "column"))
    bulletin = _bulletin_verdicts(_rendered(full.out_dir / "technical.html", tmp_path / "full"))
    on_column = bulletin["规章和行政规范性文件库"]
    assert on_column == {rule: verdict for rule, (verdict, _) in report.items() if rule in on_column}
    assert on_column["interpretation.unlinked"] == "不合格"
    # What the column check leaves 未检查 the full audit judges, on the site as a whole.
    assert bulletin["全站"]["site.stale"] == "不合格" and bulletin["全站"]["security.home_changed"] == "合格"


def test_without_a_policy_reading_column_the_reading_rules_are_unchecked(tmp_path):
    # The 解读 are listed under a name that is no 政策解读 column: the full audit still reads them
    # (it crawls the whole site), the column check cannot and says so instead of 没有解读.
    root = _site(tmp_path, "热点回应")
    full = audit_folder(root, tmp_path / "full")
    column = audit_folder(root, tmp_path / "column", "--column", "gfxwj")
    assert ("interpretation.unlinked", "/xxgk/gfxwj/g3.html", "gfxwj") in _found(full)
    assert not {rule for rule, _, _ in _found(column)} & {"interpretation.missing", "interpretation.unlinked"}
    assert {
        finding for finding in _found(full) if finding[2] == "gfxwj" and not finding[0].startswith("interpretation.")
    } == _found(column)
    dom = _rendered(column.out_dir / "bulletin.html", tmp_path)
    assert "未找到该栏目，相关检查项未检查" in "".join(dom.css("p.support ::text").getall())
    verdicts = _verdicts(dom)
    for rule in ("interpretation.missing", "interpretation.unlinked"):
        assert verdicts[rule] == ("未检查", "未找到网站的政策解读栏目，无法确认文件有无解读")
    assert verdicts["label.missing"][0] == "不合格"


def test_a_rule_left_unchecked_does_not_count_as_fixed(tmp_path):
    # 2022Q2: the column check reads the 政策解读 column and finds g2 without 解读. 2022Q3: the
    # column is no longer linked as 政策解读, so the check cannot judge 解读 — g2's finding is 未检查.
    q2 = audit_folder(_site(tmp_path / "q2", "政策解读"), tmp_path, "--column", "gfxwj", as_of="2022-07-15")
    q3 = audit_folder(_site(tmp_path / "q3", "热点回应"), tmp_path, "--column", "gfxwj", as_of="2022-10-15")
    assert q2.returncode == 0 and q3.returncode == 0, q2.stderr + q3.stderr
    done = govaudit("diff", "1", "2", "--db", q3.db_url)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(
        line.strip().startswith("[未检查]") and "（interpretation.missing）" in line and "/xxgk/gfxwj/g2.html" in line
        for line in lines
    )
    assert not any(line.strip().startswith("[已整改]") and "（interpretation." in line for line in lines)
    assert any(line.strip().startswith("[未整改]") and "（label.missing）" in line for line in lines)
