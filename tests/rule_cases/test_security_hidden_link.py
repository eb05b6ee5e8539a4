"""security.hidden_link through the real crawl: hidden off-site links and spam links fire; a hidden
mobile menu of the site's own pages, a collapsed 友情链接 box of government sites and news about
打击赌博 do not."""

import pytest
from portal_kit import audit_pages, page

HOME = page(
    "测试县人民政府",
    """
<style>.seo-box{display:none} .menu-mobile{display:none}</style>
<div class="nav"><a href="/xxgk/">政务公开</a><a href="/news/">新闻</a></div>
<ul class="menu-mobile"><li><a href="/xxgk/">政务公开</a></li><li><a href="/news/">新闻</a></li></ul>
<div class="friends" style="display:none"><a href="http://www.yn.gov.cn/">云南省人民政府</a>
  <a href="http://www.gov.cn/">中国政府网</a></div>
<div style="position:absolute;left:-9999px;top:-9999px"><a href="http://bet.example.invalid/">百家乐</a></div>
<p><a href="http://ad.example.invalid/p" style="color:#ffffff;background-color:#ffffff">优惠</a></p>
<marquee height="0"><a href="http://seo.example.invalid/">今日推荐</a></marquee>
<span style="font-size:0"><a href="http://www.mps.gov.cn/">公安部</a></span>
<p><a href="http://casino.example.invalid/">澳门娱乐城开户送彩金</a></p>
<script>document.write('<a href="http://spam.example.invalid/x">在线视频</a>');</script>
<ul><li><a href="/news/1.html">县公安局开展打击赌博专项行动</a><span>2022-10-12</span></li></ul>
""",
)
NEWS = page(
    "县公安局开展打击赌博专项行动",
    """<h1>县公安局开展打击赌博专项行动</h1><p>发布日期：2022-10-12</p>
<p>详见<a href="http://www.news.example.invalid/a.html">严厉打击跨境赌博</a>。</p>
<style>#links .seo-box, .seo-box { display : none }</style><div class="seo-box"><a href="http://hidden.example.invalid/">百家乐在线</a></div>
<div class="tabs"><span>政府网站</span><span>新闻媒体</span></div>
<div class="tab-panel"><a href="http://www.yn.gov.cn/">云南省人民政府</a></div>
<div class="tab-panel" style="display:none"><a href="http://www.yunnan.example.invalid/">云南网</a>
  <a href="http://www.wsnews.example.invalid/">文山新闻网</a></div>
<div class="ewm" style="display:none"><a href="https://weibo.example.invalid/xianfabu">县政府微博</a></div>
<p><a href="/index.html">返回首页</a></p>""",
)
PORTAL = {
    "/": HOME,
    "/news/1.html": NEWS,
    "/xxgk/": page("政务公开", "<p>政务公开</p>"),
    "/news/": page("新闻", '<ul><li><a href="/news/1.html">打击赌博</a><span>2022-10-12</span></li></ul>'),
}


@pytest.fixture(scope="module")
def hidden_audit(tmp_path_factory):
    result = audit_pages(tmp_path_factory.mktemp("hidden"), PORTAL)
    assert result.returncode == 0, result.stderr
    return result


def _targets(audit):
    return {f["evidence"].rsplit("→ ", 1)[1]: f for f in audit.of("security.hidden_link")}


def test_fires_on_each_way_of_hiding_an_off_site_link(hidden_audit):
    found = _targets(hidden_audit)
    assert "移出页面" in found["http://bet.example.invalid/"]["evidence"]
    assert "同色" in found["http://ad.example.invalid/p"]["evidence"]
    assert "尺寸为0" in found["http://seo.example.invalid/"]["evidence"]
    assert "脚本写入" in found["http://spam.example.invalid/x"]["evidence"]
    # Hidden by a class rule of a <style> block, on a page that is not the home page.
    assert "display:none" in found["http://hidden.example.invalid/"]["evidence"]
    assert found["http://hidden.example.invalid/"]["url"].endswith("/news/1.html")


def test_a_visible_spam_link_on_the_home_page_fires(hidden_audit):
    found = _targets(hidden_audit)
    assert "娱乐城" in found["http://casino.example.invalid/"]["message"]


def test_quiet_for_own_menus_government_boxes_and_news_about_gambling(hidden_audit):
    found = _targets(hidden_audit)
    assert not [url for url in found if "gov.cn" in url or url.startswith(hidden_audit.base_url)]
    assert "http://www.news.example.invalid/a.html" not in found
    # Tab panels and pop-ups hide by display:none until clicked: ordinary design, not spam.
    assert not {
        "http://www.yunnan.example.invalid/",
        "http://www.wsnews.example.invalid/",
        "https://weibo.example.invalid/xianfabu",
    } & set(found)
    assert len(found) == 6


def test_each_hidden_target_is_reported_once(hidden_audit):
    # The home page is also reached as /index.html; its hidden links are still one finding each.
    targets = [f["evidence"].rsplit("→ ", 1)[1] for f in hidden_audit.of("security.hidden_link")]
    assert len(targets) == len(set(targets))
