from crawler.columns import Evidence
from rules.base import Problem, Severity, rule
from rules.security.hosts import host_of, is_expected_host

RULE_ID = "security.hidden_link"

# Words of the gambling and porn SEO links injected into hijacked government pages: unmistakable
# as spam (ordinary news about 打击赌博 does not use them).
SPAM_WORDS = ("百家乐", "娱乐城", "真人娱乐", "真人视讯", "博彩", "菠菜", "时时彩", "六合彩", "北京赛车", "pk10",
              "老虎机", "棋牌游戏", "葡京", "威尼斯人", "太阳城", "皇冠体育", "澳门赌场", "网上赌场", "开户送", "彩金",
              "色情", "成人视频", "av在线", "偷拍", "约炮", "裸聊", "伟哥", "代孕", "办证", "刻章", "私服")


def spam_word(text: str) -> str | None:
    folded = (text or "").lower()
    return next((word for word in SPAM_WORDS if word in folded), None)


@rule(id=RULE_ID, title="疑似暗链", severity=Severity.DEDUCT,
      clause="国办发〔2017〕47号《政府网站发展指引》安全防护：防范网页篡改、植入暗链；国办秘函〔2019〕19号 严重问题",
      needs=Evidence.AUDITED)
def check(site, config):
    """Checks that no page carries 暗链: links to other, non-government hosts that readers cannot
    see (display:none, visibility:hidden, moved off-screen, zero size, font-size 0, text the
    colour of its background, a zero-height <marquee>, a hiding class in a <style> block, or
    written by a script), and no link whose text is gambling or porn spam.

    Why: injected hidden links are how hijacked government sites sell search ranking to gambling
    and porn sites; the national monitors list 暗链 as a security problem to be removed at once.

    Fires: <div style="position:absolute;left:-9999px"><a href="http://bet.example.com/">百家乐</a></div>;
    a script writing <a href="http://x.example.net/">…</a>; a visible link 「澳门娱乐城开户送彩金」.

    Quiet: a hidden mobile menu linking the site's own pages; a collapsed 友情链接 box of other
    government sites (.gov.cn); a hidden share link to a host in `allowed_hosts`; news text about
    打击赌博 linking to a 公安 site.
    """
    allowed = tuple(str(h).lower() for h in config.rule_option(RULE_ID, "allowed_hosts", []) or [])
    reported: set[tuple[str, str]] = set()
    for page_url, links in sorted(site.hidden_links.items()):
        for link in links:
            host = host_of(link.url)
            word = spam_word(link.text) or spam_word(link.url)
            if ((host and is_expected_host(host, site, allowed)) and word is None) or (page_url, link.url) in reported:
                continue
            reported.add((page_url, link.url))
            reason = f"含有“{word}”等垃圾信息词的隐藏链接" if word else "读者看不到的外部链接"
            yield Problem(page_url, f"页面有{reason}（{link.how}），疑似被植入暗链，指向 {host or link.url}，请核实并清除",
                          f"{link.how}：{link.text[:80]} → {link.url[:200]}")
    # Spam shown openly on the home page is tampering too, hidden or not.
    for page in site.home_chain():
        for link in site.links_from(page.url):
            word = spam_word(link.text)
            if (word is None or link.on_site or (page.url, link.to_url) in reported
                    or is_expected_host(host_of(link.to_url), site, allowed)):
                continue
            reported.add((page.url, link.to_url))
            yield Problem(page.url, f"首页有含“{word}”等垃圾信息词的外部链接，疑似被篡改或植入链接，请核实并清除",
                          f"{link.text[:80]} → {link.to_url[:200]}")
