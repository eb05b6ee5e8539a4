from rules.base import Problem, Severity, Subject, rule


@rule(
    id="site.certificate",
    title="HTTPS证书无效",
    severity=Severity.DEDUCT,
    subject=Subject.SITE,
    summary="HTTPS 网站的证书浏览器不认可：自签名、过期、与域名不符（检查照常进行）",
    clause="国办发〔2017〕47号《政府网站发展指引》安全防护（支持HTTPS，使用可信证书）",
)
def check(site, config):
    """Checks that an HTTPS portal's certificate verifies the way a visitor's browser checks it:
    issued by a trusted authority, not expired, and for the portal's host name.

    Why: a browser shows 不安全 / blocks the page for a bad certificate, so the public cannot
    open the portal safely even though it answers; the audit itself still goes on.

    Fires: a self-signed certificate; an expired one; one issued for another host name.

    Quiet: a certificate from a trusted authority for the right host; a portal served over plain
    HTTP (nothing to verify); a home page that cannot be reached at all (that is site.unreachable).
    """
    if site.certificate_problem is not None:
        yield Problem(site.site_url, f"网站HTTPS证书无效：{site.certificate_problem}", site.certificate_problem)
