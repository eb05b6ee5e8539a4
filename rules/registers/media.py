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


# Each platform under one name, whatever the register calls it this quarter (头条号 one quarter,
# 今日头条 the next): an account's place, and so its history, is the same across quarters.
PLATFORMS: dict[str, tuple[str, ...]] = {
    "微信公众号": ("微信", "公众号", "微信公众平台", "微信服务号", "微信订阅号", "微信号", "政务微信", "wechat"),
    "新浪微博": ("微博", "政务微博", "新浪政务微博", "新浪", "weibo"),
    "今日头条": ("头条号", "头条", "今日头条号", "头条政务号", "toutiao"),
    "抖音": ("抖音号", "抖音短视频", "抖音政务号", "douyin"),
    "快手": ("快手号", "快手短视频"),
    "微信视频号": ("视频号", "微信视频"),
    "百家号": ("百度百家号", "百度"),
    "企鹅号": ("腾讯企鹅号", "腾讯号"),
    "网易号": ("网易", "网易新闻"),
    "大鱼号": ("UC大鱼号", "阿里大鱼号"),
    "人民号": ("人民日报人民号",),
    "学习强国": ("学习强国号", "学习强国强国号"),
    "移动客户端": ("APP", "客户端", "移动应用", "手机客户端", "移动客户端APP"),
    "小程序": ("微信小程序", "支付宝小程序"),
    "哔哩哔哩": ("B站", "bilibili", "b站"),
    "澎湃号": ("澎湃", "澎湃政务"),
}
_PLATFORM_NAMES = {alias.lower(): name for name, aliases in PLATFORMS.items() for alias in (name, *aliases)}


def platform(value: object) -> str:
    """The platform's one name (微博 → 新浪微博, 头条号 → 今日头条); a platform not listed is kept."""
    found = required_text(value)
    return _PLATFORM_NAMES.get(found.replace(" ", "").lower(), found)


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
        UnitLine(unit, (str(len(items)), str(sum(1 for a in items if a.filed)), _posts(items)))
        for unit, items in by_unit(operating).items()
    )
    return Summary(text, ("运营单位", "在运营账号", "已备案", "本期发布条数"), lines)


def _posts(accounts: list[MediaAccount]) -> str:
    """The unit's posts in the period; "未登记" when the register gives no count for any of them."""
    counted = [a.posts for a in accounts if a.posts is not None]
    return str(sum(counted)) if counted else "未登记"


KIND = RegisterKind(
    name="media",
    title="政务新媒体",
    file_title="政务新媒体登记表",
    help="政务新媒体账号登记表 / the 政务新媒体 account register.",
    row=MediaAccount,
    fields=(
        FieldSpec(
            "name", ("账号名称", "账号名", "名称", "账号", "新媒体名称", "政务新媒体名称", "应用名称"), required_text
        ),
        FieldSpec(
            "platform",
            (
                "平台",
                "平台类型",
                "账号类型",
                "类型",
                "所属平台",
                "平台名称",
                "新媒体类型",
                "开设平台",
                "发布平台",
                "渠道",
            ),
            platform,
        ),
        FieldSpec(
            "unit",
            (
                *("运营单位", "主办单位", "开办单位", "责任单位", "单位", "开办主体", "主管单位", "运维单位"),
                *("单位名称", "所属单位", "主体单位", "开设单位", "管理单位", "认证主体"),
            ),
            required_text,
        ),
        FieldSpec(
            "filed", ("备案", "备案状态", "是否备案", "备案情况", "是否已备案", "报备情况", "是否报备"), required_yes_no
        ),
        FieldSpec(
            "opened", ("开设日期", "开通日期", "开设时间", "开通时间", "注册时间", "创建时间"), a_date, required=False
        ),
        FieldSpec(
            "closed", ("关停日期", "关闭日期", "注销日期", "关停时间", "注销时间", "关闭时间"), a_date, required=False
        ),
        FieldSpec(
            "last_post",
            (
                *("最近发布日期", "最近更新日期", "最后更新日期", "最近发布时间", "最后发布时间", "最近更新"),
                *("最近更新时间", "最后更新时间", "最新发布时间", "最新更新时间", "最后发布日期", "最新发布日期"),
            ),
            a_date,
        ),
        FieldSpec(
            "posts",
            (
                *("本期发布条数", "本期发文数", "发布条数", "发文量", "本期更新条数", "本季度发布条数"),
                *("本季度发文数", "季度发布量", "本季度发布量", "本季度更新条数", "发布数量", "更新条数", "发文数"),
            ),
            count,
            required=False,
        ),
        FieldSpec(
            "interaction",
            (
                *("互动渠道", "互动功能", "是否有互动", "留言功能", "留言评论功能", "是否开通互动功能"),
                *("是否具备互动功能", "互动功能是否开通", "是否开通留言功能", "是否开通评论功能", "有无互动功能"),
            ),
            yes_no,
            required=False,
        ),
    ),
    place=_place,
    summarise=_summarise,
    order=1,
    # The register is made at the check, after the quarter: its latest post date is in the check's days.
    dated_by="last_post",
    dated_how="reported",
    rule_fields={"media.no_interaction": ("interaction",)},
)
