from rules.base import Problem, Severity, Subject, rule


@rule(
    id="site.robots_forbidden",
    title="网站禁止检查工具访问",
    severity=Severity.HINT,
    subject=Subject.SITE,
    summary="robots.txt 禁止检查工具访问整个网站（首页）；检查照常读取全站（国家监测同样不受 robots.txt 限制），不算无法访问",
    clause="国办秘函〔2019〕19号 政府网站监测（监测不受 robots.txt 限制）；《政府网站发展指引》（国办发〔2017〕47号）便于公众检索获取信息",
)
def check(site, config):
    """Checks that the portal's robots.txt does not forbid the whole site (its home page) to the auditor.

    Why: a robots.txt that shuts out every crawler also shuts out search engines, so the public cannot
    find the portal's information by searching; the office must still audit the site, so govaudit reads
    it regardless (as the national monitor does) and only reports the refusal — the site stays audited
    and is not treated as unreachable.

    Fires: robots.txt says `User-agent: *` / `Disallow: /`, or names govaudit with `Disallow: /`.

    Quiet: no robots.txt (404); robots.txt that forbids only some folders (`Disallow: /private/` — those
    are obeyed); `crawl.obey_robots: false` in the configuration (robots.txt is not consulted).
    """
    if site.robots_forbidden:
        yield Problem(
            site.site_url,
            "网站的 robots.txt 禁止检查工具访问整个网站（也会使搜索引擎无法收录）；本次检查仍按要求读取了全站",
            "robots.txt：Disallow: /",
        )
