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
    rate,
    required_date,
    required_text,
    yes_no,
)


@dataclass(frozen=True)
class HotlineTicket:
    ticket_id: str
    received: date
    unit: str
    deadline: date | None
    closed: date | None
    satisfied: bool | None

    def overdue_on(self, day: date) -> bool:
        """Closed after its deadline, or still open when its deadline has passed."""
        return self.deadline is not None and (self.closed or day) > self.deadline


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
        FieldSpec("ticket_id", ("工单编号", "工单号", "编号"), required_text),
        FieldSpec("received", ("受理时间", "受理日期", "来电时间", "交办时间", "派单时间"), required_date),
        FieldSpec("unit", ("承办单位", "办理单位", "责任单位", "承办部门"), required_text),
        FieldSpec("deadline", ("办理时限", "截止日期", "办结时限", "应办结日期", "办理期限"), a_date, required=False),
        FieldSpec("closed", ("办结时间", "办结日期", "完成时间", "办结"), a_date, required=False),
        FieldSpec("satisfied", ("满意度", "是否满意", "回访结果", "回访满意度"), yes_no, required=False),
    ),
    place=_place,
    summarise=_summarise,
    order=2,
)
