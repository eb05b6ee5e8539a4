import re

from pydantic import Field

from crawler.vocabulary.columns import PageRole
from rules.base import Problem, RuleOptions, Severity, Subject, rule

# Explanations offices write in their own words: the unit has no such duty (本单位无行政处罚职能),
# or the information is published elsewhere (统一在…平台集中发布，请点击前往查看). "暂无信息" alone
# is the CMS's empty notice, not an explanation.
_EXPLANATION = re.compile(
    r"无[^，。；;,\s]{0,12}(?:职能|职责|权限)|(?:统一|集中)(?:在|于|到)[^。；;]{1,40}(?:发布|公开)"
    r"|(?:请|可)?(?:点击|前往|链接至)[^。；;]{0,20}(?:查看|查阅)"
)
# Child nodes named in the evidence of a blank branch; the rest are counted.
_NAMED_CHILDREN = 5


class Options(RuleOptions):
    column: str = Field("jbml", description="基本目录所在栏目，其子栏目页面即目录节点")
    note_markers: tuple[str, ...] = Field(
        ("备注", "说明", "注", "备注说明"),
        description="以这些词加冒号开头的一行（备注：…）说明节点为何没有信息",
    )
    note_phrases: tuple[str, ...] = Field(
        ("不涉及", "未产生", "未发生", "未设立", "无此项职能", "无此项业务", "无该项职能", "无该项业务"),
        description="出现在节点任何位置即说明其为何没有信息的短语",
    )


@rule(
    id="catalog.blank_node",
    title="基本目录空白节点",
    severity=Severity.DEDUCT,
    subject=Subject.SITE,
    summary="基本目录中没有信息又没有备注说明的节点（整枝都空时只报最上层节点一次）",
    clause="国办秘函〔2019〕19号 单项否决·空白栏目；政府信息公开基本目录编制要求（无信息的目录节点应备注说明原因）",
    needs_whole_list=True,
    options=Options,
)
def check(site, config):
    """Checks that each node of the 政府信息公开基本目录 tree (a sub-column page the crawler
    followed from the column `column`, jbml) lists at least one item, or carries a note that
    explains why it has none: a line beginning 备注：/ 说明：/ 注： (`note_markers`) or a phrase
    such as 本单位不涉及 / 未产生 / 未设立 (`note_phrases`). A node that is itself an article (a
    dated page such as 机构概况) is content, not a blank node. A branch whose whole subtree is
    blank is reported once, as the branch, not again for each of its nodes.

    Why: the 普查 counts an empty catalogue node as a 空白栏目 unless the node tells the public
    why it holds nothing; counting one empty branch three times would overstate the gap.

    Fires: the node 规划计划 shows only 暂无信息; a node page shows an empty list and no notice,
    and links to no node that lists items; the branch 财政信息 whose two child nodes are both
    empty (one finding, on the branch).

    Quiet: 财政资金 lists three items; 重大建设项目 shows 暂无信息 and 备注：本县本年度无新开工重大建设项目;
    the 基本目录 index page itself lists nothing (it is the tree, not a node); a branch with one
    node that lists items (only its empty node is reported); a node whose list declares records
    that did not come back (a coverage gap: 未能完整检查).
    """
    options = config.options(Options)
    key = options.column
    if key not in {spec.key for spec in site.audited_columns()}:
        return
    phrases = options.note_phrases
    note_line = re.compile(
        r"^\s*[【\[（(]?(?:" + "|".join(map(re.escape, options.note_markers)) + r")[】\]）)]?\s*[：:]"
    )
    tree = _Tree(
        site,
        key,
        lambda lines: any(
            note_line.match(line) or any(p in line for p in phrases) or _EXPLANATION.search(line) for line in lines
        ),
    )
    for url in tree.nodes:
        if not tree.blank(url) or any(tree.blank(parent) for parent in tree.parents(url)):
            continue
        page = site.pages[url]
        name = page.title or url
        shown = "页面显示「暂无信息」" if page.empty_notice else "页面没有信息条目"
        below = tree.blank_below(url)
        if not below:
            yield Problem(
                url,
                f"基本目录节点「{name}」无任何信息且未备注说明原因，请发布信息或注明无信息的原因",
                f"{name}：{shown}，无备注说明",
                key,
            )
            continue
        names = [site.pages[child].title or child for child in below[:_NAMED_CHILDREN]]
        more = f"等{len(below)}个" if len(below) > _NAMED_CHILDREN else ""
        yield Problem(
            url,
            f"基本目录节点「{name}」及其下{len(below)}个子节点均无任何信息且未备注说明原因，"
            "请发布信息或注明无信息的原因",
            f"{name}：{shown}；子节点{'、'.join(names)}{more}也无信息；均无备注说明",
            key,
        )


class _Tree:
    """The 基本目录 nodes (sub-column pages of the column) and which node led the crawler to which."""

    def __init__(self, site, key: str, explained):
        self.site = site
        self.key = key
        self.nodes = list(dict.fromkeys(url for url, role in site.members.get(key, ()) if role == PageRole.SUB))
        node_set = set(self.nodes)
        self._parents = {
            url: sorted(via for via in site.member_via.get((key, url), ()) if via in node_set and via != url)
            for url in self.nodes
        }
        self._children: dict[str, list[str]] = {url: [] for url in self.nodes}
        for url, parents in self._parents.items():
            for parent in parents:
                self._children[parent].append(url)
        filled = {url for url in self.nodes if site.main_items.get(url)}
        self._empty = {url for url in self.nodes if self._empty_node(url, filled, explained)}
        self._blank: dict[str, bool] = {}

    def _empty_node(self, url: str, filled: set[str], explained) -> bool:
        """A fetched node page that lists nothing, is no article, links no filled node, explains nothing."""
        page = self.site.pages.get(url)
        if (
            page is None
            or not page.fetched_ok
            or not page.is_html
            or url in filled
            or self.site.read_short(self.key, url)
        ):
            return False
        # A page without a list of its own that links nodes with items is a branch of the tree.
        if not page.empty_notice and (
            page.publish_date is not None
            or any(link.to_url in filled for link in self.site.links_from(url) if link.to_url != url)
        ):
            return False
        return not explained(self.site.text_of(url).splitlines())

    def parents(self, url: str) -> list[str]:
        return self._parents.get(url, [])

    def blank(self, url: str) -> bool:
        """The node and every node below it are empty (a cycle back up the tree counts as blank)."""
        if url not in self._blank:
            self._blank[url] = True
            self._blank[url] = url in self._empty and all(self.blank(child) for child in self._children[url])
        return self._blank[url]

    def blank_below(self, url: str) -> list[str]:
        """The nodes under a blank node, in crawl order, each once."""
        seen: dict[str, None] = {}
        stack = list(reversed(self._children.get(url, [])))
        while stack:
            child = stack.pop()
            if child in seen or child == url:
                continue
            seen[child] = None
            stack.extend(reversed(self._children[child]))
        return list(seen)
