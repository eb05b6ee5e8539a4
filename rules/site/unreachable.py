from rules.base import Problem, Severity, rule


@rule(id="site.unreachable", title="站点无法访问", severity=Severity.VETO,
      clause="国办秘函〔2019〕19号 单项否决·站点无法访问")
def check(site, config):
    """Checks that the home page answers: no connection error, no timeout, HTTP status below 400.

    Why: a portal that cannot be opened fails the whole inspection (单项否决), and nothing
    else on it can be checked.

    Fires: the home page refuses the connection, times out after --timeout seconds, or answers
    HTTP 404 / 500 / 503.

    Quiet: the home page answers 200, also after an HTTP or <meta refresh> redirect to another
    address of the same site.
    """
    if site.home is None:
        yield Problem(site.site_url, "首页无法访问（未得到任何响应）", "未得到任何响应")
        return
    for page in site.home_chain():
        if not page.fetched_ok:
            yield Problem(site.site_url, f"首页无法访问（{page.failure}）", f"{page.url} → {page.failure}")
            return
