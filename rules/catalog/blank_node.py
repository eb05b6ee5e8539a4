import re

from crawler.columns import PageRole
from rules.base import Problem, Severity, rule

RULE_ID = "catalog.blank_node"
DEFAULT_NOTE_MARKERS = ("备注", "说明", "注", "备注说明")
DEFAULT_NOTE_PHRASES = ("不涉及", "未产生", "未发生", "未设立", "无此项职能", "无此项业务", "无该项职能", "无该项业务")


@rule(id=RULE_ID, title="基本目录空白节点", severity=Severity.DEDUCT,
      clause="国办秘函〔2019〕19号 单项否决·空白栏目；政府信息公开基本目录编制要求（无信息的目录节点应备注说明原因）")
def check(site, config):
    """Checks that each node of the 政府信息公开基本目录 tree (a sub-column page the crawler
    followed from the column `column`, jbml) lists at least one item, or carries a note that
    explains why it has none: a line beginning 备注：/ 说明：/ 注： (`note_markers`) or a phrase
    such as 本单位不涉及 / 未产生 / 未设立 (`note_phrases`). A node that is itself an article (a
    dated page such as 机构概况) is content, not a blank node.

    Why: the 普查 counts an empty catalogue node as a 空白栏目 unless the node tells the public
    why it holds nothing.

    Fires: the node 规划计划 shows only 暂无信息; a node page shows an empty list and no notice,
    and links to no node that lists items.

    Quiet: 财政资金 lists three items; 重大建设项目 shows 暂无信息 and 备注：本县本年度无新开工重大建设项目;
    the 基本目录 index page itself lists nothing (it is the tree, not a node).
    """
    key = str(config.rule_option(RULE_ID, "column", "jbml"))
    if key not in {spec.key for spec in site.audited_columns()}:
        return
    markers = tuple(config.rule_option(RULE_ID, "note_markers", DEFAULT_NOTE_MARKERS))
    phrases = tuple(config.rule_option(RULE_ID, "note_phrases", DEFAULT_NOTE_PHRASES))
    note_line = re.compile(r"^\s*[【\[（(]?(?:" + "|".join(map(re.escape, markers)) + r")[】\]）)]?\s*[：:]")
    nodes = [url for url, role in site.members.get(key, ()) if role == PageRole.SUB]
    filled = {url for url in nodes if site.main_items.get(url)}
    for url in dict.fromkeys(nodes):
        page = site.pages.get(url)
        if page is None or not page.fetched_ok or not page.is_html or url in filled:
            continue
        if not page.empty_notice and (page.publish_date is not None or _links_filled_node(site, url, filled)):
            continue
        lines = site.text_of(url).splitlines()
        if any(note_line.match(line) or any(phrase in line for phrase in phrases) for line in lines):
            continue
        shown = "页面显示「暂无信息」" if page.empty_notice else "页面没有信息条目"
        yield Problem(url, f"基本目录节点「{page.title or url}」无任何信息且未备注说明原因，请发布信息或注明无信息的原因",
                      f"{page.title or url}：{shown}，无备注说明", key)


def _links_filled_node(site, url: str, filled: set[str]) -> bool:
    """A page without a list of its own that links nodes with items is a branch of the tree."""
    return any(link.to_url in filled for link in site.links_from(url) if link.to_url != url)
