from collections import defaultdict

from crawler.vocabulary.columns import Evidence
from rules.base import Problem, Severity, Subject, rule
from rules.registers import audited_register, register_url


@rule(
    id="hotline.overdue",
    title="12345热线工单超期办理",
    severity=Severity.DEDUCT,
    subject=Subject.REGISTER,
    summary="12345 工单超过办理时限办结或仍未办结（每个承办单位一条，写明按期办结率）",
    clause="国办发〔2020〕53号《关于进一步优化地方政务服务便民热线的指导意见》：按时办结",
    local_basis=True,
    needs=Evidence.SITE,
)
def check(site, config):
    """Checks, per handling unit, that every 12345 ticket of the quarter was closed by its
    deadline: a ticket closed after its deadline, or still open when the deadline has passed on
    the as-of date, is overdue. One finding per unit, with its on-time rate and the ticket ids.

    Why: the county task list asks for 约谈 of units whose hotline work is poor; the on-time rate
    is what the quarterly bulletin reports per unit.

    Fires: 县住房和城乡建设局 has 4 tickets, one closed on 2022-09-12 with deadline 2022-09-09,
    one open with deadline 2022-10-01 as of 2022-10-15.

    Quiet: a unit whose tickets were all closed by their deadline (closed on the deadline day
    counts as on time); an open ticket whose deadline is after the as-of date; a ticket without a
    deadline; no ticket register imported; a single-column check.
    """
    by_unit = defaultdict(list)
    for ticket in audited_register(site, "hotline"):
        by_unit[ticket.unit].append(ticket)
    for unit, tickets in sorted(by_unit.items()):
        late = [t for t in tickets if t.overdue_on(site.as_of)]
        if not late:
            continue
        on_time = len(tickets) - len(late)
        rate = on_time / len(tickets) * 100
        open_late = sum(1 for t in late if t.closed is None)
        yield Problem(
            register_url("hotline", unit),
            f"{unit}本季度办理12345工单{len(tickets)}件，超期{len(late)}件（其中{open_late}件至今未办结），"
            f"按期办结率{rate:.1f}%",
            "超期工单：" + "、".join(t.ticket_id for t in late[:20]) + ("等" if len(late) > 20 else ""),
        )
