from crawler.vocabulary.columns import Evidence
from rules.base import Problem, Severity, Subject, rule
from rules.registers import audited_register


@rule(
    id="media.no_interaction",
    title="政务新媒体未提供有效互动功能",
    severity=Severity.VETO,
    subject=Subject.REGISTER,
    summary="在运营的政务新媒体账号没有留言、评论等互动渠道",
    clause="国办秘函〔2019〕19号 政务新媒体单项否决：未提供有效互动功能",
    needs=Evidence.SITE,
)
def check(site, config):
    """Checks that every operating 政务新媒体 account offers a way to interact (留言、评论、私信
    with replies), as the account register records it.

    Why: an account without any interaction fails the national indicators (单项否决).

    Fires: 「马关发布」(微信公众号) operating, 互动渠道 = 否.

    Quiet: 互动渠道 = 是; the register leaves the column blank for the account (unknown is not a
    finding); a closed account; no register imported; a single-column check.
    """
    for account in audited_register(site, "media"):
        if account.operating_on(site.as_of) and account.interaction is False:
            yield Problem(
                account.url,
                f"{account.platform}「{account.name}」未提供留言、评论等有效互动功能",
                f"{account.platform} · {account.name} · 互动渠道：否",
            )
