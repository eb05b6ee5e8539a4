from pydantic import Field, field_validator

from crawler.vocabulary.columns import PageRole
from rules.base import Problem, RuleOptions, Severity, Subject, rule

RULE_ID = "entity.sector_missing"
_MISSING = "缺少以下领域的子栏目或信息："


class Options(RuleOptions):
    column: str = Field("ggqsy", description="公共企事业单位信息公开专栏所在栏目")
    sectors: dict[str, tuple[str, ...]] = Field(
        {
            "教育": ("教育", "学校"),
            "卫生健康": ("卫生健康", "医疗卫生", "卫生", "医疗", "医院"),
            "供水": ("供水", "自来水", "水务"),
            "供电": ("供电", "电力"),
            "供气": ("供气", "燃气", "天然气"),
            "环境保护": ("环境保护", "环保", "生态环境"),
            "公共交通": ("公共交通", "公交", "客运"),
        },
        description="领域 → 其子栏目或条目使用的词（国办发〔2020〕50号 的领域）；"
        "只给出领域名称的列表时，每个名称就是它唯一的词",
    )

    @field_validator("sectors", mode="before")
    @classmethod
    def _names_are_their_own_words(cls, value):
        if isinstance(value, list):
            return {name: [name] for name in value}
        if isinstance(value, dict):
            return {name: words or [name] for name, words in value.items()}
        return value


@rule(
    id=RULE_ID,
    title="公共企事业单位信息公开领域缺失",
    severity=Severity.DEDUCT,
    subject=Subject.SITE,
    summary="公共企事业单位信息公开专栏缺少教育、卫生健康、供水、供电、供气、环境保护、公共交通等领域（可配置）",
    clause="《公共企事业单位信息公开规定制定办法》（国办发〔2020〕50号）",
    local_basis=True,
    needs_whole_list=True,
    options=Options,
)
def check(site, config):
    """Checks that the 公共企事业单位信息公开 专栏 (column `column`, ggqsy) has a sub-column or an
    entry for every sector of `sectors`: 教育, 卫生健康, 供水, 供电, 供气, 环境保护, 公共交通. A
    sector is present when one of its words stands in a sub-column's link text or title, or in
    the title of an item the column lists. `sectors` is a list of names, or a mapping of each
    name to its words (default: 供气 ← 供气/燃气/天然气, 公共交通 ← 公共交通/公交/客运 …).

    Why: the county must publish the information of the public enterprises and institutions of
    each sector the national rules cover; a missing sector is a gap in the 专栏.

    Fires: the 专栏 has sub-columns 教育, 卫生健康 and 供水 only: one finding on the 专栏 page
    naming 供电, 供气, 环境保护 and 公共交通.

    Quiet: a sub-column 燃气 covers 供气; a 专栏 without sub-columns that lists 县供电公司停电计划公告
    covers 供电; a 专栏 on another host or not found at all (that is column.missing); a 专栏 whose
    list was read short of what it declares (the rows not read may name the sectors).
    """
    options = config.options(Options)
    key = options.column
    spec = next((spec for spec in site.audited_columns() if spec.key == key), None)
    entry = site.column_index(key) if spec is not None else None
    if entry is None or not entry.on_site:
        return
    names = _sub_column_names(site, key) + [item.title for item in site.column_items(key)]
    missing = [
        sector
        for sector, aliases in options.sectors.items()
        if not any(alias in name for alias in aliases for name in names)
    ]
    if missing and not site.list_gaps(key):  # rows not read may be the missing sectors' (未能完整检查)
        subs = "、".join(dict.fromkeys(_sub_column_names(site, key))) or "无子栏目"
        yield Problem(
            entry.url,
            f"「{spec.name}」{_MISSING}{'、'.join(missing)}，请按领域设置子栏目并发布信息",
            f"现有子栏目：{subs}",
            key,
            facts={"sectors": tuple(missing)},
        )


def _sub_column_names(site, key: str) -> list[str]:
    """Titles and link texts of the column's sub-column pages."""
    names: list[str] = []
    for url, role in site.members.get(key, ()):
        if role != PageRole.SUB:
            continue
        page = site.pages.get(url)
        if page is not None and page.title:
            names.append(page.title)
        names.extend(link.text for link in site.links_to(url) if link.text)
    return names
