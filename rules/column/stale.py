from datetime import timedelta

from rules.base import Problem, Severity, Subject, rule


@rule(
    id="column.stale",
    title="栏目不更新",
    severity=Severity.DEDUCT,
    subject=Subject.SITE,
    summary="栏目最新条目早于期限：利企惠民、规范性文件 183 天；基本目录、公共企事业、行政许可 365 天",
    clause="国办秘函〔2019〕19号 单项否决·栏目不更新",
    local_basis=True,
    needs_whole_list=True,
)
def check(site, config):
    """Checks that the newest item of each required column is no older than the column's
    `stale_days` before as-of: 183 days for 利企惠民政策 and 规范性文件, 365 for 基本目录,
    公共企事业单位 and 行政许可事项清单.

    Why: policy columns must be kept current; columns not updated in time count towards the
    veto line and are named in the 季度通报.

    Fires: as of 2022-10-15 the newest 规范性文件 is dated 2022-03-20 (209 days).

    Quiet: the first row is a pinned (置顶) item from 2021 but the newest row is 2022-09-20;
    the newest date is found on page 2 or in a sub-column; items are undated and their pages
    state no date (no verdict rather than a guess); the items read are old but a page of the list
    did not answer (a coverage gap: 未能完整检查 — the newest may be on the page not read).
    """
    for spec, entry, item, newest_date in site.dated_columns():
        days = (site.as_of - newest_date).days
        if newest_date < site.as_of - timedelta(days=spec.stale_days) and not site.list_gaps(spec.key):
            yield Problem(
                entry.url,
                f"「{spec.name}」栏目最新信息发布于{newest_date.isoformat()}，已{days}天未更新（要求{spec.stale_days}天内）",
                site.with_column_path(spec.key, f"{newest_date.isoformat()} {item.title}"),
                spec.key,
            )
