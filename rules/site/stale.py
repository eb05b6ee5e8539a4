from datetime import timedelta

from rules.base import Evidence, Problem, Severity, Subject, rule


@rule(
    id="site.stale",
    title="首页不更新",
    severity=Severity.VETO,
    subject=Subject.SITE,
    summary="首页链接的最新带日期信息早于基准日前 14 天（只在全站检查中检查）",
    clause="国办秘函〔2019〕19号 单项否决·首页不更新（监测2周首页无信息更新）",
    needs=Evidence.SITE,
)
def check(site, config):
    """Checks that the newest dated item linked from the home page is at most `site.stale_days`
    (14) days older than the as-of date.

    Why: a home page without new information for two weeks fails the inspection (单项否决).
    The item dates are those the home page shows beside its links, else the publish date of
    the linked page.

    Fires: as of 2022-10-15, the newest dated link on the home page is from 2022-09-20.

    Quiet: the newest is from 2022-10-10, even if the first news box shows only older items;
    items dated after the as-of date are ignored (they did not exist then); a home page with
    no date anywhere is not judged. It judges the portal, not a column: a one-column check
    (--column) reports it as 未检查.
    """
    if site.home_failure() is not None:
        return
    home = site.home_chain()[-1]
    candidates = list(site.dated_links.get(home.url, ())) + list(site.main_items.get(home.url, ()))
    linked = [target for target, is_click in site.edges.targets(home.url) if is_click]
    newest = site.newest(candidates)
    newest_date = newest[1] if newest else None
    evidence_title = newest[0].title if newest else ""
    for target in linked:
        page = site.pages.get(target)
        published = page.publish_date if page is not None else None
        if published and published <= site.as_of and (newest_date is None or published > newest_date):
            newest_date, evidence_title = published, page.title or target
    limit = site.as_of - timedelta(days=config.site.stale_days)
    # No date anywhere on or behind the home page: nothing to judge by, so no verdict.
    if newest_date is not None and newest_date < limit:
        days = (site.as_of - newest_date).days
        yield Problem(
            site.site_url,
            f"首页最新信息发布于{newest_date.isoformat()}，已{days}天未更新（要求{config.site.stale_days}天内）",
            f"{newest_date.isoformat()} {evidence_title}",
        )
