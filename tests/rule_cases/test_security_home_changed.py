"""security.home_changed: the home page against the previous quarter's stored copy."""

import json

import pytest
from portal_kit import govaudit, page, write_portal

from audit.cli.demo.server import serve_portal

FRAME = "".join(f'<li><a href="/col{i}/">栏目{i}</a></li>' for i in range(14))


def _home(news: str, extra: str = "") -> str:
    return page(
        "测试县人民政府",
        f'<ul class="nav">{FRAME}</ul><ul class="news">{news}</ul>{extra}'
        '<div class="foot">主办：测试县人民政府办公室 地址：测试县城关镇 备案号：滇ICP备00000000号</div>',
    )


@pytest.fixture(scope="module")
def three_quarters(tmp_path_factory):
    work = tmp_path_factory.mktemp("home")
    root = write_portal(
        work / "site",
        {
            "/": _home('<li><a href="/n/1.html">七月新闻</a><span>2022-07-10</span></li>'),
            "/n/1.html": page("七月新闻", "<p>发布日期：2022-07-10</p>"),
        },
    )
    db_url = f"sqlite:///{work / 'db.sqlite'}"
    results = {}
    with serve_portal(root) as portal:
        for as_of, home in (
            ("2022-07-15", None),
            # Q3: new news, a new link to another government site: an ordinary quarter.
            (
                "2022-10-15",
                _home(
                    '<li><a href="/n/2.html">十月新闻</a><span>2022-10-10</span></li>',
                    '<a href="http://www.yn.gov.cn/">云南省人民政府</a>',
                ),
            ),
            # Q4: defaced, and a link to a host never linked before.
            (
                "2023-01-15",
                page(
                    "测试县人民政府",
                    '<h1>Hacked by TeamX</h1><p>Your security is zero.</p><a href="http://promo.example.invalid/">点击进入</a>',
                ),
            ),
        ):
            if home is not None:
                (root / "index.html").write_text(home, encoding="utf-8")
            out = work / as_of
            done = govaudit("audit", portal.base_url, "--as-of", as_of, "--out", str(out), "--db", db_url, "--quiet")
            assert done.returncode == 0, done.stderr
            findings = json.loads((out / "findings.json").read_text("utf-8"))
            results[as_of] = [f for f in findings if f["rule"] == "security.home_changed"]
    return results


def test_first_audit_has_nothing_to_compare_with(three_quarters):
    assert three_quarters["2022-07-15"] == []


def test_news_churn_and_a_new_government_link_are_quiet(three_quarters):
    assert three_quarters["2022-10-15"] == []


def test_a_defaced_home_page_with_a_new_foreign_host_fires_twice(three_quarters):
    found = three_quarters["2023-01-15"]
    assert len(found) == 2 and all(f["severity"] == "提示" for f in found)
    assert any("promo.example.invalid" in f["evidence"] for f in found)
    assert any("大幅变化" in f["message"] for f in found)
