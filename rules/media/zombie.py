from datetime import timedelta

from pydantic import Field

from crawler.vocabulary.columns import Evidence
from rules.base import Problem, RuleOptions, Severity, Subject, rule
from rules.registers import audited_register


class Options(RuleOptions):
    zombie_days: int = Field(
        90,
        ge=1,
        description="在运营的账号这么多天没有发布即为僵尸账号（暂定：国办发〔2018〕123号 提出僵尸账号，未定天数）",
    )


@rule(
    id="media.zombie",
    title="“僵尸”政务新媒体，建议关停或整合",
    severity=Severity.HINT,
    subject=Subject.REGISTER,
    summary='超过 90 天未发布的"僵尸"账号，建议关停或整合',
    clause="国办发〔2018〕123号《关于推进政务新媒体健康有序发展的意见》：清理“僵尸”“睡眠”账号",
    needs=Evidence.SITE,
    options=Options,
)
def check(site, config):
    """Checks that no operating 政务新媒体 account has gone without a post for `zombie_days` (90)
    days: such an account is a "僵尸" account and the office should have it closed or merged.

    Why: the county task list asks that 僵尸 accounts be closed; an account nobody runs still speaks
    for the government. It is advice (提示) beside media.stale, which already fails the account.

    Fires: 「某某乡发布」(抖音) operating, last post 2022-05-01, as of 2022-10-15 (167 days).

    Quiet: last post 2022-09-20 (25 days: that is media.stale only); an account already closed;
    an account opened on 2022-09-01 that has not posted yet (younger than the limit); no register
    imported; a single-column check.
    """
    days = config.options(Options).zombie_days
    limit = site.as_of - timedelta(days=days)
    for account in audited_register(site, "media"):
        if not account.operating_on(site.as_of):
            continue
        since = account.last_post or account.opened
        if since is not None and since < limit:
            yield Problem(
                account.url,
                f"{account.platform}「{account.name}」自{since.isoformat()}起已{(site.as_of - since).days}天"
                f"未发布信息（超过{days}天），属于“僵尸”账号，建议关停或整合",
                f"{account.platform} · {account.name} · 最近发布：{account.last_post or '未发布'}",
            )
