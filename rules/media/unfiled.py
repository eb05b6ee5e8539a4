from crawler.vocabulary.columns import Evidence
from rules.base import Problem, Severity, Subject, rule
from rules.registers import audited_register


@rule(
    id="media.unfiled",
    title="政务新媒体备案与开设情况不符",
    severity=Severity.DEDUCT,
    subject=Subject.REGISTER,
    summary="在运营但未备案，或已关停仍在备案",
    clause="国办发〔2018〕123号：政务新媒体开设、变更、关停、注销须报备",
    needs=Evidence.SITE,
)
def check(site, config):
    """Checks that the 备案 status in the account register matches the account's state: an
    operating account must be 备案; a closed account must no longer be 备案 (注销备案).

    Why: accounts opened without 备案 escape supervision; closed accounts still listed as 备案
    make the county's register (and the national 政务新媒体 报送系统) wrong.

    Fires: 「马关司法」(微博) operating, 备案 = 否; 「马关旅游」(头条号) closed 2022-08-01, 备案 = 是.

    Quiet: operating and 备案; closed and 备案 cancelled; an account whose closing date lies after
    the as-of date (still operating, 备案 as it should be); no register imported; a column check.
    """
    for account in audited_register(site, "media"):
        operating = account.operating_on(site.as_of)
        if operating and not account.filed:
            yield Problem(
                account.url,
                f"{account.platform}「{account.name}」正在运营但未备案",
                f"{account.platform} · {account.name} · 备案：否 · 运营中",
            )
        elif not operating and account.closed is not None and account.closed <= site.as_of and account.filed:
            yield Problem(
                account.url,
                f"{account.platform}「{account.name}」已于{account.closed.isoformat()}关停，但仍在备案中，应注销备案",
                f"{account.platform} · {account.name} · 备案：是 · 关停：{account.closed.isoformat()}",
            )
