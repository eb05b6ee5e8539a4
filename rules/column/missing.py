from rules.base import Problem, Severity, Subject, rule


@rule(
    id="column.missing",
    title="必设栏目缺失",
    severity=Severity.DEDUCT,
    subject=Subject.SITE,
    summary="必设栏目从首页 3 次点击内不可达（链接文字须整体等于栏目名或其常见写法）",
    clause="国办发〔2017〕47号《政府网站发展指引》栏目设置",
    local_basis=True,
)
def check(site, config):
    """Checks that each required column is reachable from the home page within
    `crawl.max_clicks` (3) clicks, through a link whose whole text names it.

    Why: the county task list requires the 利企惠民政策专区, 政府信息公开基本目录,
    规章和行政规范性文件库, 公共企事业单位信息公开 and 行政许可事项清单 columns on the portal,
    and a column hidden deeper than three clicks is not one the public can find.

    Each message names the click path from the home page in link texts (首页 › 政务服务 › 办事指南 ›
    其他服务 › 行政许可事项清单), so that the unit finds what the public has to click.

    Fires: the only link 行政许可事项清单 sits on a page 3 clicks deep (the column is at 4);
    the link 规范性文件 leads to a page that answers 404; no link names the column at all.

    Quiet: the 基本目录 link is on the 政府信息公开 page (column at 2 clicks); a news title
    containing 行政许可事项清单（2023年版） is not the column, and neither counts for or against;
    the page cap stopped the crawl before every page within reach of home was read, or home links
    a 政府信息公开 platform on another host (the column may be linked from one of them: 未能完整检查,
    not 缺失; adding the platform's host to crawl.site_hosts checks it).
    """
    if site.home_failure() is not None:
        return
    limit = config.crawl.max_clicks
    near_home_unread = bool(site.unread_near_home(limit))
    for spec in site.audited_columns():
        if site.column_index(spec.key) is not None:
            continue
        entries = site.column_entries(spec.key)
        near = [e for e in entries if e.clicks is not None and e.clicks <= limit]
        if not near and (near_home_unread or site.offsite_platforms_near_home(limit)):
            continue
        if near:
            failures = "；".join(f"{e.url}（{_failure(site, e.url)}）" for e in near)
            path = site.entry_path(spec.key, near[0])
            message = f"「{spec.name}」栏目链接无法打开" + (f"（点击路径：{path}）" if path else "")
            evidence = f"链接「{near[0].anchor_text}」→ {failures}"
        elif entries:
            nearest = entries[0]
            path = site.entry_path(spec.key, nearest) if nearest.clicks is not None else None
            where = f"位于第{nearest.clicks}层" if nearest.clicks is not None else "不在首页可达的页面上"
            message = f"「{spec.name}」栏目{where}" + (f"（{path}）" if path else "") + f"，超过{limit}次点击可达的要求"
            evidence = f"链接「{nearest.anchor_text}」→ {nearest.url}"
        else:
            message = f"未找到「{spec.name}」栏目"
            evidence = f"{limit}次点击内没有文字为「{'／'.join(spec.anchors)}」的链接"
        yield Problem(site.site_url, message, evidence, spec.key)


def _failure(site, url):
    page = site.pages.get(url)
    return page.failure if page is not None else "未获取"
