from rules.base import Problem, Severity, Subject, rule


@rule(
    id="column.empty",
    title="空白栏目",
    severity=Severity.DEDUCT,
    subject=Subject.SITE,
    summary='栏目（含其全部子栏目）没有任何信息条目，包括"暂无信息"',
    clause="国办秘函〔2019〕19号 单项否决·栏目不更新（空白栏目累计5个及以上否决）",
    needs_whole_list=True,
)
def check(site, config):
    """Checks that a required column that was found lists at least one item, counting all of
    its sub-columns (the 基本目录 category tree, the 公共企事业单位 sectors) and list pages.

    Why: a column that exists but holds nothing (暂无信息 / 暂无数据) is a 空白栏目; five of
    them fail the site.

    Fires: the 公共企事业单位信息公开 page and each of its sector sub-columns show 暂无信息.

    Quiet: the 基本目录 index shows only its category tree and one node says 暂无信息, while
    another node lists items; a column on another host (not crawled) is not judged; a list that
    declares 30 records whose further pages did not answer (a coverage gap: 未能完整检查).
    """
    for spec in site.audited_columns():
        entry = site.column_index(spec.key)
        if entry is None or not entry.on_site:
            continue
        if site.column_items(spec.key) or site.list_gaps(spec.key):
            continue
        pages = site.column_list_pages(spec.key) or [entry.url]
        notices = [url for url in pages if site.pages.get(url) and site.pages[url].empty_notice]
        shown = "；".join(notices[:5]) + ("等" if len(notices) > 5 else "")
        which = "均" if len(notices) == len(pages) else f"其中{len(notices)}个"
        evidence = f"{len(pages)}个栏目页面均无信息条目" + (f"，{which}显示「暂无信息」：{shown}" if notices else "")
        yield Problem(
            entry.url, f"「{spec.name}」栏目无任何信息（空白栏目）", site.with_column_path(spec.key, evidence), spec.key
        )
