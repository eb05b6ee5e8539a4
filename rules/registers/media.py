"""The 政务新媒体 account register (the office's 备案 list of its 微信公众号, 微博, 抖音 … accounts)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from rules.registers.kind import (
    FieldSpec,
    RegisterKind,
    Summary,
    UnitLine,
    a_date,
    by_unit,
    count,
    required_text,
    required_yes_no,
    yes_no,
)


@dataclass(frozen=True)
class MediaAccount:
    name: str
    platform: str
    unit: str
    filed: bool  # 已备案 in the 政务新媒体 备案 register
    opened: date | None
    closed: date | None  # 已关停 on this date (None: operating)
    last_post: date | None
    posts: int | None  # posts in the period
    interaction: bool | None  # 有互动（留言、评论、私信回复）渠道

    @property
    def url(self) -> str:
        return KIND.url_of(self)

    def operating_on(self, day: date) -> bool:
        return (self.opened is None or self.opened <= day) and (self.closed is None or self.closed > day)


def _place(account: MediaAccount) -> tuple[str, ...]:
    return account.platform, account.name


def _summarise(accounts: tuple[MediaAccount, ...], as_of: date) -> Summary:
    operating = [a for a in accounts if a.operating_on(as_of)]
    platforms = Counter(account.platform for account in operating)
    text = (
        f"登记政务新媒体账号{len(accounts)}个，检查基准日在运营{len(operating)}个"
        + ("（" + "、".join(f"{name}{n}个" for name, n in sorted(platforms.items())) + "）" if platforms else "")
        + "。"
    )
    lines = tuple(
        UnitLine(unit, (str(len(items)), str(sum(1 for a in items if a.filed)), str(sum(a.posts or 0 for a in items))))
        for unit, items in by_unit(operating).items()
    )
    return Summary(text, ("运营单位", "在运营账号", "已备案", "本期发布条数"), lines)


KIND = RegisterKind(
    name="media",
    title="政务新媒体",
    file_title="政务新媒体登记表",
    help="政务新媒体账号登记表 / the 政务新媒体 account register.",
    row=MediaAccount,
    fields=(
        FieldSpec("name", ("账号名称", "账号名", "名称", "账号"), required_text),
        FieldSpec("platform", ("平台", "平台类型", "账号类型", "类型"), required_text),
        FieldSpec("unit", ("运营单位", "主办单位", "开办单位", "责任单位", "单位"), required_text),
        FieldSpec("filed", ("备案", "备案状态", "是否备案"), required_yes_no),
        FieldSpec("opened", ("开设日期", "开通日期", "开设时间", "开通时间"), a_date, required=False),
        FieldSpec("closed", ("关停日期", "关闭日期", "注销日期", "关停时间"), a_date, required=False),
        FieldSpec(
            "last_post",
            ("最近发布日期", "最近更新日期", "最后更新日期", "最近发布时间", "最后发布时间", "最近更新"),
            a_date,
        ),
        FieldSpec("posts", ("本期发布条数", "本期发文数", "发布条数", "发文量", "本期更新条数"), count, required=False),
        FieldSpec(
            "interaction", ("互动渠道", "互动功能", "是否有互动", "留言功能", "留言评论功能"), yes_no, required=False
        ),
    ),
    place=_place,
    summarise=_summarise,
    order=1,
)
