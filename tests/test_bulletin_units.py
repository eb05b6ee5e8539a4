"""The right unit and deadline per problem, on the real path: a portal served on 127.0.0.1, crawled
by the CLI with a --config, findings.json and the bulletin read back."""

import json
import sqlite3
from datetime import date

import pytest
from portal_kit import audit_pages, doc_page, page
from rule_cases.portals_privacy import ID_A, ID_B, ID_C, people_table

from crawler.vocabulary.quarters import add_working_days

CONFIG = """
units:
  doc_prefixes: {测司: 县司法局}
bulletin:
  deadline_working_days: {单项否决: 3, 扣分: 10, 提示: 15}
  site_name: 测试县人民政府门户网站
  doc_number: 测政办通〔2022〕7号
  issuer: 测试县人民政府办公室
"""


def _doc_without_publisher(title: str, number: str) -> str:
    return page(
        title,
        f'<table class="meta"><tr><th>文号：</th><td>{number}</td></tr>'
        f"<tr><th>发布日期：</th><td>2022-09-01</td></tr></table><h1>{title}</h1><p>正文。</p>",
    )


def _people_info(source: str) -> str:
    rows = [("1", "张某", ID_A, "甲村"), ("2", "李某", ID_B, "乙村"), ("3", "王某", ID_C, "丙村")]
    return (
        f'<div class="info"><span>发布时间：2022-09-30 10:00</span> <span>来源：{source}</span> '
        f"<span>字号：大 中 小</span></div><p>现予公示。</p>{people_table(rows, ('序号', '户主', '身份证号码', '村'))}"
    )


PORTAL = {
    "/index.html": page(
        "首页",
        '<a href="/xxgk/gfxwj/">规范性文件</a><a href="/xxgk/ggqsy/">公共企事业单位信息公开</a>'
        '<a href="/gsgg/">公示公告</a>'
        '<ul><li><a href="/d/1.html">新闻</a><span>2022-10-10</span></li></ul>',
    ),
    "/d/1.html": page("新闻", "<p>内容</p>"),
    "/xxgk/gfxwj/": page(
        "规范性文件",
        '<ul class="list">'
        '<li><a href="/xxgk/gfxwj/1001.html">关于印发甲办法的通知</a><span>2022-09-01</span></li>'
        '<li><a href="/xxgk/gfxwj/1002.html">关于印发乙办法的通知</a><span>2022-09-01</span></li>'
        '<li><a href="/xxgk/gfxwj/1003.html">关于印发丙办法的通知</a><span>2022-09-01</span></li>'
        '<li><a href="/xxgk/gfxwj/1004.html">测试县农业农村局关于印发丁办法的通知</a><span>2022-09-01</span></li>'
        '<li><a href="/xxgk/gfxwj/1005.html">测试县人民政府关于印发戊办法的通知</a><span>2022-09-01</span></li>'
        '<li><a href="/xxgk/gfxwj/1006.html">测试县教育体育局 测试县财政局关于印发己办法的通知</a>'
        "<span>2022-09-01</span></li>"
        "</ul>",
    ),
    # 发布机构 on the page; 文号 prefix mapped in the config; neither (→ the configured default).
    "/xxgk/gfxwj/1001.html": doc_page("关于印发甲办法的通知", doc_number="测政办规〔2022〕1号"),
    "/xxgk/gfxwj/1002.html": _doc_without_publisher("关于印发乙办法的通知", "测司规〔2022〕2号"),
    "/xxgk/gfxwj/1003.html": _doc_without_publisher("关于印发丙办法的通知", "测发改规〔2022〕3号"),
    # No 发布机构: the 发文机关 heading the title; the county government itself; joint issuers.
    "/xxgk/gfxwj/1004.html": _doc_without_publisher("测试县农业农村局关于印发丁办法的通知", "测农规〔2022〕4号"),
    "/xxgk/gfxwj/1005.html": _doc_without_publisher("测试县人民政府关于印发戊办法的通知", "测政规〔2022〕5号"),
    "/xxgk/gfxwj/1006.html": _doc_without_publisher(
        "测试县教育体育局 测试县财政局关于印发己办法的通知", "测教规〔2022〕6号"
    ),
    "/xxgk/ggqsy/": page("公共企事业单位信息公开", '<ul class="tree"><li><a href="/xxgk/ggqsy/jy/">教育</a></li></ul>'),
    "/xxgk/ggqsy/jy/": page(
        "教育",
        '<ul class="list"><li><a href="/xxgk/ggqsy/jy/1.html">测试县第一中学招生简章</a>'
        "<span>2022-09-01</span></li></ul>",
    ),
    "/xxgk/ggqsy/jy/1.html": page("测试县第一中学招生简章", "<p>简章。</p>"),
    # 公示 pages outside the task list's columns: the unit the page's 来源 names publishes them; a
    # newspaper named as 来源 publishes nothing for the county (the portal's office answers).
    "/gsgg/": page(
        "公示公告",
        '<ul class="list"><li><a href="/gsgg/1.html">测试县2022年9月低保新增对象公示</a>'
        '<span>2022-09-30</span></li><li><a href="/gsgg/2.html">测试县危房改造对象公示</a>'
        "<span>2022-09-29</span></li></ul>",
    ),
    "/gsgg/1.html": page("测试县2022年9月低保新增对象公示", _people_info("测试县民政局")),
    "/gsgg/2.html": page("测试县危房改造对象公示", _people_info("云南日报")),
}


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    work = tmp_path_factory.mktemp("units")
    config = work / "config.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    result = audit_pages(work, PORTAL, "--config", str(config))
    assert result.returncode == 0, result.stderr
    return result


def _by_path(result, rule):
    return {f["url"][len(result.base_url) - 1 :]: f for f in result.of(rule)}


def test_a_normative_document_goes_to_its_issuer_alone(audited):
    labels = _by_path(audited, "label.missing")
    # 发布机构 测试县人民政府办公室 is the configured 县政府办公室: one unit, one name in the bulletin.
    assert labels["/xxgk/gfxwj/1001.html"]["units"] == ["县政府办公室"]
    assert labels["/xxgk/gfxwj/1002.html"]["units"] == ["县司法局"]  # 文号 prefix 测司
    assert labels["/xxgk/gfxwj/1003.html"]["units"] == ["县政府办公室"]  # the configured default
    assert labels["/xxgk/gfxwj/1004.html"]["units"] == ["测试县农业农村局"]  # 发文机关 in the title
    assert labels["/xxgk/gfxwj/1005.html"]["units"] == ["县政府办公室"]  # the county government's own
    assert labels["/xxgk/gfxwj/1006.html"]["units"] == ["县政府办公室"]  # joint issuers: no single one


def test_a_page_goes_to_the_unit_its_source_names(audited):
    leaks = _by_path(audited, "privacy.id_number")
    assert leaks["/gsgg/1.html"]["units"] == ["测试县民政局"]
    assert leaks["/gsgg/2.html"]["units"] == ["县政府办公室"]  # 来源：云南日报 names no unit of the county


def test_one_unit_is_named_once_in_the_bulletin(audited):
    html = (audited.out_dir / "bulletin.html").read_text("utf-8")
    problems = html[html.index("二、存在的主要问题") : html.index('<section class="annex">')]
    assert "测试县人民政府办公室" not in problems.replace('<p class="signature">测试县人民政府办公室', "")
    assert "测试县农业农村局" in problems


def test_missing_sectors_name_their_own_units(audited):
    """The units come from the sectors the rule states as facts (stored beside the finding), not
    from its message; without them the titles' 教育 would make 县教育体育局 answer."""
    [finding] = audited.of("entity.sector_missing")
    with sqlite3.connect(audited.db_url.removeprefix("sqlite:///")) as conn:
        [(facts,)] = conn.execute("select facts from finding where rule = 'entity.sector_missing'").fetchall()
    assert set(json.loads(facts)["sectors"]) == {"卫生健康", "供水", "供电", "供气", "环境保护", "公共交通"}
    # 教育 exists: its unit does not answer for the sectors that are missing.
    assert "县教育体育局" not in finding["units"]
    assert {"县住房和城乡建设局", "县发展和改革局", "县生态环境分局", "县交通运输局"} <= set(finding["units"])


def test_deadline_per_severity_with_the_holiday_calendar(audited):
    # Counted from the issue date (today), whatever the as-of date: ten working days for 扣分.
    by_severity = {f["severity"]: f["deadline"] for f in audited.findings}
    assert by_severity["扣分"] == add_working_days(date.today(), 10).isoformat()
    assert by_severity.get("提示") in (None, add_working_days(date.today(), 15).isoformat())
    # The National Day week is no working time: 1 working day after 30 September 2022 is 8 October (调休).
    assert add_working_days(date(2022, 9, 30), 1) == date(2022, 10, 8)
    html = (audited.out_dir / "bulletin.html").read_text("utf-8")
    # The 通报 counts its deadlines from the day it is issued (today), not from the as-of date.
    due = add_working_days(date.today(), 10)
    assert f"扣分问题于10个工作日内（{due.year}年{due.month}月{due.day}日前）" in html


def test_findings_carry_evidence_fields(audited):
    for finding in audited.findings:
        assert {"fetched_at", "title", "deadline", "state", "first_seen", "units"} <= set(finding)
    label = _by_path(audited, "label.missing")["/xxgk/gfxwj/1002.html"]
    assert label["title"] == "关于印发乙办法的通知" and label["fetched_at"].startswith(str(date.today().year))


def test_configured_name_number_and_sign_off(audited):
    html = (audited.out_dir / "bulletin.html").read_text("utf-8")
    assert "测试县人民政府门户网站网站" not in html and "对测试县人民政府门户网站" in html
    assert '<p class="docno">测政办通〔2022〕7号</p>' in html
    today = date.today()
    assert f'<p class="signature">测试县人民政府办公室<br>{today.year}年{today.month}月{today.day}日</p>' in html
