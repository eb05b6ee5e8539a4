"""The 网民留言 export of the quarter (我为政府网站找错, 曝光台, 领导信箱 messages and their answers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rules.people import without_people
from rules.registers.kind import (
    FieldSpec,
    RegisterKind,
    Summary,
    UnitLine,
    a_date,
    by_unit,
    required_date,
    required_text,
    text,
)


@dataclass(frozen=True)
class PublicMessage:
    message_id: str
    received: date
    unit: str
    forwarded: date | None
    answered: date | None
    title: str

    @property
    def url(self) -> str:
        return KIND.url_of(self)


def _place(message: PublicMessage) -> tuple[str, ...]:
    return (message.message_id,)


def _summarise(messages: tuple[PublicMessage, ...], as_of: date) -> Summary:
    open_total = sum(1 for m in messages if m.answered is None)
    summary = f"本季度收到网民留言{len(messages)}条，已答复{len(messages) - open_total}条，未答复{open_total}条。"
    lines = tuple(
        UnitLine(
            unit,
            (
                str(len(items)),
                str(sum(1 for m in items if m.answered is not None)),
                str(sum(1 for m in items if m.answered is None)),
            ),
        )
        for unit, items in by_unit(messages).items()
    )
    return Summary(summary, ("承办单位", "留言数", "已答复", "未答复"), lines)


KIND = RegisterKind(
    name="messages",
    title="网民留言（“我为政府网站找错”等）",
    file_title="网民留言表",
    help="网民留言（我为政府网站找错、曝光台）/ 网民留言 messages.",
    row=PublicMessage,
    fields=(
        FieldSpec(
            "message_id",
            ("留言编号", "编号", "问题编号", "工单编号", "信件编号", "留言ID", "问题ID", "序列号"),
            required_text,
        ),
        FieldSpec(
            "received",
            (
                "留言时间",
                "收到时间",
                "提交时间",
                "受理时间",
                "留言日期",
                "提交日期",
                "反映时间",
                "来信时间",
                "报送时间",
            ),
            required_date,
        ),
        FieldSpec(
            "unit",
            (
                "承办单位",
                "转办单位",
                "办理单位",
                "责任单位",
                "处理单位",
                "答复单位",
                "办理部门",
                "回复单位",
                "被反映单位",
            ),
            required_text,
        ),
        FieldSpec("forwarded", ("转办时间", "转办日期", "交办时间"), a_date, required=False),
        FieldSpec(
            "answered",
            ("答复时间", "回复时间", "答复日期", "回复日期", "办结时间", "处理时间", "办结日期", "反馈时间"),
            a_date,
            required=False,
        ),
        # A title often names who wrote in (市民张三（138…）反映…): kept as "网民反映…", as the 通报 prints it.
        FieldSpec(
            "title",
            ("留言标题", "标题", "问题描述", "内容摘要", "留言主题", "问题标题", "主题", "问题类型"),
            lambda value: without_people(text(value)),
            required=False,
        ),
    ),
    place=_place,
    summarise=_summarise,
    order=3,
    evidence_as_detail=True,
    dated_by="received",
    # Without the answer date every message looks unanswered.
    rule_fields={"messages.overdue": ("answered",)},
)
