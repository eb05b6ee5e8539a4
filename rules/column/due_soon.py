from datetime import timedelta

from pydantic import Field

from rules.base import Problem, RuleOptions, Severity, Subject, rule


class Options(RuleOptions):
    warn_days: int = Field(14, ge=0, description="栏目超过更新期限（stale_days）前这么多天提示")


@rule(
    id="column.due_soon",
    title="栏目即将超期未更新",
    severity=Severity.HINT,
    subject=Subject.SITE,
    summary="栏目将在 14 天内超过更新期限",
    clause="国办秘函〔2019〕19号 单项否决·栏目不更新（预警）",
    local_basis=True,
    options=Options,
)
def check(site, config):
    """Checks that no required column is about to become stale: a column whose newest item is
    still within its `stale_days` but will pass them within `warn_days` (14) days of as-of gets
    an early warning. The column is stale (column.stale) from the day after newest + stale_days.

    Why: a column.stale finding counts towards the veto line; a warning two weeks ahead leaves
    the responsible unit time to publish.

    Fires: as of 2022-10-15 the newest 利企惠民 item is dated 2022-04-20 (178 days; stale from
    2022-10-21, in 6 days).

    Quiet: the newest item is 2022-09-20 (stale in 2023); the column is already stale (that is
    column.stale, not a warning); items are undated; the column was not found.
    """
    warn_days = config.options(Options).warn_days
    for spec, entry, item, newest_date in site.dated_columns():
        stale_from = newest_date + timedelta(days=spec.stale_days + 1)
        days_left = (stale_from - site.as_of).days
        if 1 <= days_left <= warn_days:
            yield Problem(
                entry.url,
                f"「{spec.name}」栏目最新信息发布于{newest_date.isoformat()}，如不更新将于{stale_from.isoformat()}起超过{spec.stale_days}天未更新（还剩{days_left}天），请及时发布信息",
                site.with_column_path(spec.key, f"{newest_date.isoformat()} {item.title}"),
                spec.key,
            )
