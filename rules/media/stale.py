from datetime import timedelta

from pydantic import Field

from crawler.vocabulary.columns import Evidence
from rules.base import Problem, RuleOptions, Severity, Subject, rule
from rules.registers import audited_register


class Options(RuleOptions):
    stale_days: int = Field(
        14,
        ge=1,
        description="在运营的账号在基准日前这么多天内须有发布"
        "（已核实：国办秘函〔2019〕19号 新媒体单项否决「2周内无更新」）",
    )


@rule(
    id="media.stale",
    title="政务新媒体两周内无更新",
    severity=Severity.VETO,
    subject=Subject.REGISTER,
    summary="政务新媒体账号（导入的登记表）检查基准日前 14 天内没有发布",
    clause="国办秘函〔2019〕19号 政务新媒体单项否决：监测时间点前2周内无更新",
    needs=Evidence.SITE,
    options=Options,
)
def check(site, config):
    """Checks that every 政务新媒体 account operating on the as-of date posted within the last
    `stale_days` (14) days, from the account register the office imported for the quarter.

    Why: the national indicators fail an account that did not post in the two weeks before the
    check (单项否决); the county task list asks for 约谈 when accounts are badly run.

    Fires: 「马关发布」(微信公众号) operating, last post 2022-09-20, as of 2022-10-15 (25 days);
    an operating account whose register row gives no last post date at all.

    Quiet: last post 2022-10-08 (7 days); an account closed (关停) before the as-of date; an account
    opened after the as-of date; no register imported this quarter (the bulletin says 本季度未导入);
    a single-column check.
    """
    days = config.options(Options).stale_days
    limit = site.as_of - timedelta(days=days)
    for account in audited_register(site, "media"):
        if not account.operating_on(site.as_of):
            continue
        if account.last_post is None:
            yield Problem(
                account.url,
                f"{account.platform}「{account.name}」登记表中没有最近发布日期，无法证明{days}天内有更新",
                f"{account.platform} · {account.name} · 最近发布：未登记",
            )
        elif account.last_post < limit:
            gap = (site.as_of - account.last_post).days
            yield Problem(
                account.url,
                f"{account.platform}「{account.name}」最近一次发布在{account.last_post.isoformat()}，"
                f"已{gap}天未更新（要求{days}天内）",
                f"{account.platform} · {account.name} · 最近发布：{account.last_post.isoformat()}",
            )
