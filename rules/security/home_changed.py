from pydantic import Field

from crawler.vocabulary.columns import Evidence
from rules.base import Problem, RuleOptions, Severity, Subject, rule
from rules.security.hosts import host_of, is_expected_host


class Options(RuleOptions):
    allowed_hosts: tuple[str, ...] = Field(
        (),
        description="除政府网站外，首页可以新增链接而无需人工核实的主机（含其子域名）",
    )
    min_retained: float = Field(
        0.3,
        ge=0,
        le=1,
        description="上季度首页的文字行保留不到这一比例即需人工核实",
    )


@rule(
    id="security.home_changed",
    title="首页较上季度有待核实的变化",
    severity=Severity.HINT,
    subject=Subject.SITE,
    summary="与上季度检查保存的首页相比，新增指向站外非政府网站的链接，或原有文字保留不到 30%，请人工核实是否被篡改",
    clause="国办发〔2017〕47号《政府网站发展指引》安全防护：防范网页篡改",
    needs=Evidence.SITE,
    options=Options,
)
def check(site, config):
    """Checks the home page against the copy the previous quarter's audit stored: hosts it now
    links to that it did not link before (other than government sites and `allowed_hosts`), and a
    change so large that less than `min_retained` (30%) of the previous page's text lines remain.
    Both are listed for a person to confirm (提示): a redesign explains them, a defacement too.

    Why: a tampered home page is the worst thing a government site can show; news churn changes
    only the news lines, while navigation, column names and the footer stay.

    Fires: the home page now links www.bet-example.com, which the last quarter's did not; the home
    page now reads only "网站维护中" / a hacker's message where 120 lines stood before.

    Quiet: the first audit of the site (nothing to compare with); new news items under an unchanged
    frame; a new link to www.gov.cn or another .gov.cn site; a home page that does not answer now
    (that is site.unreachable).
    """
    before = site.previous_home
    chain = site.home_chain()
    if before is None or not chain or not chain[-1].fetched_ok:
        return
    home = chain[-1]
    options = config.options(Options)
    allowed = tuple(host.lower() for host in options.allowed_hosts)
    hosts = {host_of(link.to_url) for page in chain for link in site.links_from(page.url) if not link.on_site}
    new_hosts = sorted(h for h in hosts - before.outbound_hosts if h and not is_expected_host(h, site, allowed))
    if new_hosts:
        yield Problem(
            home.url,
            f"首页新增指向{len(new_hosts)}个外部网站的链接（上次检查{before.as_of.isoformat()}时没有），"
            "请人工核实是否为正常调整",
            "新增外部网站：" + "、".join(new_hosts[:20]),
        )
    minimum = options.min_retained
    previous = {line for line in before.lines if len(line) >= 2}
    if len(previous) < 10:
        return
    now = {line.strip() for line in site.text_of(home.url).splitlines() if line.strip()}
    kept = len(previous & now) / len(previous)
    if kept < minimum:
        yield Problem(
            home.url,
            f"首页文字与上次检查（{before.as_of.isoformat()}）相比大幅变化，仅{kept:.0%}保留，请人工核实是否被篡改",
            f"上次{len(previous)}行文字，本次保留{len(previous & now)}行",
        )
