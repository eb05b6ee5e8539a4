from pydantic import Field

from crawler.vocabulary.columns import Evidence
from rules.base import Problem, RuleOptions, Severity, Subject, rule
from rules.security.hosts import host_of, is_expected_host

# Words of the gambling and porn SEO links injected into hijacked government pages: unmistakable
# as spam (ordinary news about 打击赌博 does not use them).
SPAM_WORDS = (
    "百家乐",
    "娱乐城",
    "真人娱乐",
    "真人视讯",
    "博彩",
    "菠菜",
    "时时彩",
    "六合彩",
    "北京赛车",
    "pk10",
    "老虎机",
    "棋牌游戏",
    "葡京",
    "威尼斯人",
    "太阳城",
    "皇冠体育",
    "澳门赌场",
    "网上赌场",
    "开户送",
    "彩金",
    "色情",
    "成人视频",
    "av在线",
    "偷拍",
    "约炮",
    "裸聊",
    "伟哥",
    "代孕",
    "办证",
    "刻章",
    "私服",
)


# Ways of hiding that tabs, pop-ups and collapsed menus use every day: a link hidden only so is a
# 暗链 only when it is spam. The other ways (off-screen, zero size, font-size 0, background colour,
# a zero-height marquee, a script writing it) serve no design and count for any unexpected host.
SWITCHABLE = frozenset({"display:none", "visibility:hidden", "opacity:0", "hidden属性"})


def spam_word(text: str) -> str | None:
    folded = (text or "").lower()
    return next((word for word in SPAM_WORDS if word in folded), None)


class Options(RuleOptions):
    allowed_hosts: tuple[str, ...] = Field(
        (),
        description="除本站和政府网站外，隐藏链接可以指向的主机（含其子域名）",
    )


@rule(
    id="security.hidden_link",
    title="疑似暗链",
    severity=Severity.DEDUCT,
    subject=Subject.PAGE,
    summary="疑似暗链：以移出页面、尺寸或字号为 0、与背景同色、零高滚动框、脚本写入等方式隐藏的站外非政府网站链接；"
    "或含博彩、色情等垃圾信息词的链接（无论怎样隐藏，首页上显示的也算）。选项卡、弹出层等以 display:none "
    "收起的正常链接、本站和 .gov.cn 等政府网站的链接不算（可用 `allowed_hosts` 增补）；同一目标只报一次",
    clause="国办发〔2017〕47号《政府网站发展指引》安全防护：防范网页篡改、植入暗链；国办秘函〔2019〕19号 严重问题",
    needs=Evidence.AUDITED,
    options=Options,
)
def check(site, config):
    """Checks that no page carries 暗链: links to other, non-government hosts hidden in ways that
    serve no design (moved off-screen, zero size, font-size 0, text the colour of its background,
    a zero-height <marquee>, written by a script), and no link whose text is gambling or porn spam,
    however it is hidden (display:none, visibility:hidden, a hiding class in a <style> block) or
    shown (on the home page). Each hidden target is reported once, on the first page carrying it.

    Why: injected hidden links are how hijacked government sites sell search ranking to gambling
    and porn sites; the national monitors list 暗链 as a security problem to be removed at once.

    Fires: <div style="position:absolute;left:-9999px"><a href="http://bet.example.com/">百家乐</a></div>;
    a script writing <a href="http://x.example.net/">…</a>; a visible link 「澳门娱乐城开户送彩金」.

    Quiet: a hidden mobile menu linking the site's own pages; a collapsed 友情链接 box of other
    government sites (.gov.cn); a 友情链接 tab panel (display:none until clicked) of news sites; a
    微博 QR pop-up; a host in `allowed_hosts`; news text about 打击赌博 linking to a 公安 site.
    """
    allowed = tuple(host.lower() for host in config.options(Options).allowed_hosts)
    reported: set[str] = set()
    for page_url, links in sorted(site.hidden_links.items()):
        for link in links:
            host = host_of(link.url)
            word = spam_word(link.text) or spam_word(link.url)
            if word is None and (link.how in SWITCHABLE or (host and is_expected_host(host, site, allowed))):
                continue
            if link.url in reported:
                continue
            reported.add(link.url)
            reason = f"含有“{word}”等垃圾信息词的隐藏链接" if word else "读者看不到的外部链接"
            yield Problem(
                page_url,
                f"页面有{reason}（{link.how}），疑似被植入暗链，指向 {host or link.url}，请核实并清除",
                f"{link.how}：{link.text[:80]} → {link.url[:200]}",
            )
    # Spam shown openly on the home page is tampering too, hidden or not.
    for page in site.home_chain():
        for link in site.links_from(page.url):
            word = spam_word(link.text)
            if (
                word is None
                or link.on_site
                or link.to_url in reported
                or is_expected_host(host_of(link.to_url), site, allowed)
            ):
                continue
            reported.add(link.to_url)
            yield Problem(
                page.url,
                f"首页有含“{word}”等垃圾信息词的外部链接，疑似被篡改或植入链接，请核实并清除",
                f"{link.text[:80]} → {link.to_url[:200]}",
            )
