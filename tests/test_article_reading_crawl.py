"""Saved detail pages (a generic template's and a TRS WCM one, GBK) served on 127.0.0.1 and
crawled by the real CLI: the article titles and the unlabelled dates under them reach the
database, and a column whose list shows no dates is judged by those dates."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from portal_kit import audit_folder, list_page, page, write_portal
from stored_views import readable

PAGES = Path(__file__).parent / "fixtures" / "pages"
GENERIC = "/zt/lqhm/content_8861.html"
TRS = "/xxgk/zfwj/202209/t20220928_3411.html"
OLD = "/zt/lqhm/content_7702.html"
OLDER = "/zt/lqhm/content_7650.html"


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    work = tmp_path_factory.mktemp("article-reading")
    root = write_portal(
        work / "site",
        {
            "/index.html": page(
                "首页",
                '<div class="nav"><a href="/zt/lqhm/">利企惠民政策专区</a><a href="/xxgk/zfwj/">政府文件</a></div>',
            ),
            # The list shows no dates: the column's newest date comes from its articles.
            "/zt/lqhm/": list_page(
                "利企惠民政策专区",
                [
                    ("关于做好2022-2023年度秋冬季森林防火工作的通知", GENERIC, None),
                    ("测试县惠企政策汇编", OLD, None),
                    ("测试县稳岗返还政策问答", OLDER, None),
                ],
            ),
            OLD: page("测试县惠企政策汇编", "<h1>测试县惠企政策汇编</h1><p>发布时间：2021-12-01</p><p>汇编。</p>"),
            OLDER: page(
                "测试县稳岗返还政策问答", "<h1>测试县稳岗返还政策问答</h1><p>发布时间：2021-11-20</p><p>问答。</p>"
            ),
            "/xxgk/zfwj/": list_page(
                "政府文件", [("青岚县人民政府关于印发青岚县城区养犬管理规定的通知", TRS, "2022-09-29")]
            ),
        },
    )
    for path, name in ((GENERIC, "generic_detail_footer_heading.html"), (TRS, "trs_detail_sidebar_heading_gbk.html")):
        target = root / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PAGES / name, target)
    result = audit_folder(root, work)
    assert result.returncode == 0, result.stderr
    db = readable(sqlite3.connect(result.db_url.removeprefix("sqlite:///")))
    stored = {
        url[len(result.base_url) - 1 :]: (title, published, source)
        for url, title, published, source in db.execute(
            "SELECT url, title, publish_date, publish_date_source FROM page_read"
        )
    }
    return result, stored


def test_article_titles_and_unlabelled_dates_are_stored(crawl):
    _, stored = crawl
    assert stored[GENERIC] == ("关于做好2022-2023年度秋冬季森林防火工作的通知", "2022-09-30", "body")
    assert stored[TRS] == ("青岚县人民政府关于印发青岚县城区养犬管理规定的通知", "2022-09-29", "body")


def test_a_column_is_judged_by_the_date_under_its_newest_articles_title(crawl):
    result, _ = crawl
    # Without the date under the title the newest readable item is 2021-12-01: a false 栏目不更新.
    assert not [f for f in result.of("column.stale") + result.of("column.empty") if "利企惠民" in f["message"]]
