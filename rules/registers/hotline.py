"""The 12345 政务服务便民热线 ticket export of the quarter (the tickets the county's units handled)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rules.registers.kind import (
    FieldSpec,
    RegisterKind,
    Summary,
    UnitLine,
    a_date,
    by_unit,
    date_or_term,
    rate,
    required_date,
    required_text,
    satisfaction,
    settled,
)


@dataclass(frozen=True)
class HotlineTicket:
    ticket_id: str
    received: date
    unit: str
    deadline: date | None
    closed: date | None
    satisfied: bool | None
    settled: bool | None = None  # the export's status column (已办结 / 办理中), when it has one

    def overdue_on(self, day: date) -> bool:
        """Closed after its deadline, or still open when its deadline has passed. A ticket the
        export calls 已办结 without a closing date cannot be judged late."""
        if self.deadline is None or (self.closed is None and self.settled):
            return False
        return (self.closed or day) > self.deadline


def _place(ticket: HotlineTicket) -> tuple[str, ...]:
    """The hotline is judged per handling unit (its share of overdue tickets), not per ticket."""
    return (ticket.unit,)


def _summarise(tickets: tuple[HotlineTicket, ...], as_of: date) -> Summary:
    late_total = sum(1 for t in tickets if t.overdue_on(as_of))
    text = (
        f"本季度12345热线工单{len(tickets)}件，按期办结率{rate(len(tickets) - late_total, len(tickets))}，"
        f"超期{late_total}件。"
    )
    lines = []
    for unit, items in by_unit(tickets).items():
        late = sum(1 for t in items if t.overdue_on(as_of))
        rated = [t for t in items if t.satisfied is not None]
        lines.append(
            UnitLine(
                unit,
                (
                    str(len(items)),
                    str(late),
                    rate(len(items) - late, len(items)),
                    rate(sum(1 for t in rated if t.satisfied), len(rated)),
                ),
            )
        )
    return Summary(text, ("承办单位", "工单数", "超期", "按期办结率", "满意率"), tuple(lines))


KIND = RegisterKind(
    name="hotline",
    title="12345政务服务便民热线",
    file_title="12345热线工单表",
    help="12345热线工单 / 12345 hotline tickets.",
    row=HotlineTicket,
    fields=(
        FieldSpec(
            "ticket_id", ("工单编号", "工单号", "编号", "受理编号", "工单流水号", "流水号", "事项编号"), required_text
        ),
        FieldSpec(
            "received",
            (
                *("受理时间", "受理日期", "来电时间", "来电日期", "交办时间", "派单时间", "派发时间"),
                *("登记时间", "创建时间", "工单创建时间", "诉求时间", "反映时间", "下单时间", "转办时间"),
            ),
            required_date,
        ),
        FieldSpec(
            "unit",
            (
                *("承办单位", "办理单位", "责任单位", "承办部门", "处理单位", "主办单位", "办理部门"),
                *("责任部门", "承办单位名称", "处置单位", "接收单位", "派往单位"),
            ),
            required_text,
        ),
        FieldSpec(
            "deadline",
            (
                *("办理时限", "截止日期", "办结时限", "应办结日期", "办理期限", "限办时间", "限办日期"),
                *("承诺办结时间", "要求办结时间", "要求办结日期", "办结期限", "处理时限", "到期时间", "截止时间"),
            ),
            date_or_term,
            required=False,
            counted_from="received",
        ),
        FieldSpec(
            "closed",
            (
                "办结时间",
                "办结日期",
                "完成时间",
                "办结",
                "实际办结时间",
                "反馈时间",
                "回复时间",
                "答复时间",
                "处理完成时间",
            ),
            a_date,
            required=False,
        ),
        FieldSpec(
            "satisfied",
            ("满意度", "是否满意", "回访结果", "回访满意度", "满意度评价", "回访情况", "评价结果", "群众评价"),
            satisfaction,
            required=False,
        ),
        FieldSpec(
            "settled", ("办理状态", "工单状态", "是否办结", "办结状态", "处理状态", "状态"), settled, required=False
        ),
    ),
    place=_place,
    summarise=_summarise,
    order=2,
    dated_by="received",
    # Without a deadline nothing is late; without the closing date (or a status) every ticket looks open.
    rule_fields={"hotline.overdue": ("deadline", "closed")},
)
