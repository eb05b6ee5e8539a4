from datetime import timedelta

from pydantic import Field

from crawler.vocabulary.columns import Evidence
from rules.base import Problem, RuleOptions, Severity, Subject, rule
from rules.people import without_people
from rules.registers import audited_register


class Options(RuleOptions):
    answer_days: int = Field(
        30,
        ge=1,
        description="留言须在收到后这么多天内答复（暂定：年度考核指标对超过1个月办结的留言扣分）",
    )


@rule(
    id="messages.overdue",
    title="网民留言超期未答复",
    severity=Severity.DEDUCT,
    subject=Subject.REGISTER,
    summary="网民留言（我为政府网站找错等）超过 30 天未答复或答复超时",
    clause="《政府网站与政务新媒体监管工作年度考核指标》：“我为政府网站找错”留言未办结、超过1个月办结扣分",
    needs=Evidence.SITE,
    options=Options,
)
def check(site, config):
    """Checks that every 网民留言 (我为政府网站找错, 曝光台) of the quarter was answered within
    `answer_days` (30) days of receipt: unanswered past the limit on the as-of date, or answered
    later than the limit, is overdue.

    Why: the national annual assessment deducts points for messages not settled, or settled after
    more than a month; the county task list asks that they are handled on time.

    Fires: a message received 2022-08-01, unanswered on 2022-10-15; a message received 2022-07-05
    and answered 2022-08-20 (46 days).

    Quiet: received 2022-09-25 and still open on 2022-10-15 (20 days: within the limit); answered on
    the 30th day; no message register imported; a single-column check.
    """
    days = config.options(Options).answer_days
    for message in audited_register(site, "messages"):
        limit = message.received + timedelta(days=days)
        if message.answered is None and site.as_of > limit:
            yield Problem(
                message.url,
                f"{message.unit}收到的网民留言{message.message_id}（{message.received.isoformat()}）已"
                f"{(site.as_of - message.received).days}天未答复（要求{days}天内）",
                without_people(message.title) or f"留言编号 {message.message_id}",
            )
        elif message.answered is not None and message.answered > limit:
            yield Problem(
                message.url,
                f"{message.unit}收到的网民留言{message.message_id}（{message.received.isoformat()}）于"
                f"{message.answered.isoformat()}答复，用时{(message.answered - message.received).days}天"
                f"（要求{days}天内）",
                without_people(message.title) or f"留言编号 {message.message_id}",
            )
