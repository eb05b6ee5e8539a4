from rules.base import Problem, Severity, Subject, rule

# Tags whose targets the crawler checks: links, images, scripts, stylesheets, frames, embeds.
CHECKED_TAGS = frozenset({"a", "img", "script", "link", "iframe", "embed"})


@rule(
    id="link.broken",
    title="不可用链接",
    severity=Severity.DEDUCT,
    subject=Subject.PAGE,
    summary="页面上的链接、图片、脚本、附件（站内和站外）返回 4xx/5xx、超时、拒绝连接或域名解析失败；每个目标一条，列出引用它的页面并标明是否在首页",
    clause="国办秘函〔2019〕19号 扣分指标·首页不可用链接、其他页面不可用链接",
)
def check(site, config):
    """Checks that every href/src on a crawled page (pages, images, scripts, attachments; on-site
    and off-site) answers: no HTTP 4xx/5xx, no timeout within --timeout, no refused connection,
    no DNS failure. One finding per target, listing every page that links to it.

    Why: 不可用链接 are deducted per link, and those on the home page weigh more (首页不可用
    链接 is its own indicator); the public meets a dead end where the portal promised content.

    Fires: a 规范性文件 page links 附件.pdf that answers 404; an off-site link to a host that
    does not resolve; an image whose server answers 500 — each target once, naming its pages
    and whether the home page is among them.

    Quiet: a link that redirects to a working page; a server that refuses HEAD but answers GET;
    a slow answer within the timeout; javascript:, mailto:, tel: and #anchors (not links); the
    home page itself failing (that is site.unreachable).
    """
    in_scope = {page.url for page in site.audited_pages()}
    candidates = [url for url, page in site.pages.items() if not page.fetched_ok]
    candidates += [url for url, check in site.checks.items() if not check.ok]
    home_urls = {page.url for page in site.home_chain()}
    for target in sorted(set(candidates)):
        if target in home_urls:
            continue
        referrers = sorted(
            {
                link.from_url
                for link in site.links_to(target)
                if link.tag in CHECKED_TAGS and link.from_url in in_scope and link.from_url != target
            }
        )
        if not referrers:
            continue
        failure = site.target_failure(target)
        on_home = bool(home_urls & set(referrers))
        where = "首页" if on_home else "页面"
        listed = "；".join(referrers[:10]) + (f" 等{len(referrers)}个页面" if len(referrers) > 10 else "")
        columns = {site.column_of(url) for url in referrers}
        yield Problem(
            target,
            f"{where}存在不可用链接（{failure}）",
            f"引用页面{'（含首页）' if on_home else ''}：{listed}",
            columns.pop() if len(columns) == 1 else None,
        )
