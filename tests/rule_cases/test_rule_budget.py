"""The rules phase on a time budget (issue 27 item 14): a rule that spends more than
crawl.rule_seconds of CPU time on one page is stopped there, the page is recorded as 未能完整检查 for
that rule (named in the bulletin's coverage), and the rule and the audit go on with the other pages.
A tiny configured budget makes the rule overrun deterministically on a page of 400k characters
whose cut into words costs far more than it."""

from memory import build_site, url
from portal_kit import audit_pages, page
from test_text_wrong_expression import _near_miss_line

RULE = "text.wrong_expression"
HUGE = _near_miss_line(400_000, 11, punctuated=False)


def _site(config: dict | None = None):
    return build_site(
        {
            "config": config or {},
            "pages": {
                "/": {"title": "首页", "text": "首页"},
                "/news/1.html": {"title": "长文", "date": "2022-10-10", "text": HUGE + "\n要再接再励"},
                "/news/2.html": {"title": "短文", "date": "2022-10-10", "text": "我们要再接再励，做好工作"},
            },
        }
    )


def test_a_rule_over_its_budget_on_one_page_is_stopped_there_and_goes_on():
    from audit.judging.judge import Overrun, judge

    # Everything a rule loads on its first page (jieba's dictionary) loaded under the default budget,
    # which the huge page stays well inside.
    findings, overruns = judge(_site(), _site().config)
    assert overruns == [] and {f.url for f in findings if f.rule == RULE} == {url("/news/1.html"), url("/news/2.html")}

    site = _site({"crawl": {"rule_seconds": 0.02}})
    findings, overruns = judge(site, site.config)
    assert Overrun(RULE, url("/news/1.html")) in overruns
    assert not [over for over in overruns if over.url != url("/news/1.html")]
    # The rule went on: the short page after the huge one is judged, and the huge page's hit (its
    # last line, never reached) is not reported from a part of the page.
    assert {f.url for f in findings if f.rule == RULE} == {url("/news/2.html")}


def test_the_default_budget_is_generous_and_configurable():
    from audit.config import load_settings

    assert load_settings().crawl.rule_seconds == 30


def test_the_bulletin_names_the_page_and_the_audit_finishes(tmp_path):
    config = tmp_path / "govaudit.yaml"
    config.write_text("crawl:\n  rule_seconds: 0.05\n", encoding="utf-8")
    pages = {
        "/index.html": page(
            "首页",
            '<ul><li><a href="/news/1.html">长文</a><span>2022-10-10</span></li>'
            '<li><a href="/news/2.html">短文</a><span>2022-10-10</span></li></ul>',
        ),
        "/news/1.html": page("长文", f"<h1>长文</h1><p>发布日期：2022-10-10</p><p>{HUGE}</p>"),
        "/news/2.html": page("短文", "<h1>短文</h1><p>发布日期：2022-10-10</p><p>工作动态。</p>"),
    }
    audit = audit_pages(tmp_path, pages, "--config", str(config))
    assert audit.returncode == 0, audit.stderr
    assert "Traceback" not in audit.stderr
    bulletin = (audit.out_dir / "technical.html").read_text("utf-8")  # the coverage: the office's file
    assert "超过每页0.05秒的检查时间限额" in bulletin and f"（{RULE}）：{audit.base_url}news/1.html" in bulletin
    assert f"{audit.base_url}news/2.html" not in bulletin.split("检查时间限额")[1].split("。")[0]
