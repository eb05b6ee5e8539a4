from rules.base import Problem, Severity, Subject, rule


@rule(
    id="site.unreachable",
    title="站点无法访问",
    severity=Severity.VETO,
    subject=Subject.SITE,
    summary="首页连接失败、超时或 HTTP ≥ 400",
    clause="国办秘函〔2019〕19号 单项否决·站点无法访问",
)
def check(site, config):
    """Checks that the home page answers: no connection error, no timeout, HTTP status below 400.

    Why: a portal that cannot be opened fails the whole inspection (单项否决), and nothing
    else on it can be checked.

    Fires: the home page refuses the connection, times out after --timeout seconds, or answers
    HTTP 404 / 500 / 503.

    Also fires when the home page answers 200 with only an error text (页面不存在, 网站维护中,
    500 Internal Server Error …: at most 400 characters of text).

    Quiet: the home page answers 200, also after an HTTP or <meta refresh> redirect to another
    address of the same site; a full home page whose news mentions 网站维护 is not an error page.
    """
    failure = site.home_failure()
    if failure is not None:
        reason, evidence = failure
        yield Problem(site.site_url, f"首页无法访问（{reason}）", evidence)
