from rules.base import Problem, Severity, Subject, rule
from rules.documents import describe, is_document

# The wording many counties used before the four labels were fixed: a label, but not a valid one.
OLD_WORDING = "此件主动公开"


@rule(
    id="label.missing",
    title="公文未标注公开属性",
    severity=Severity.DEDUCT,
    subject=Subject.PAGE,
    summary="公文（有文号的详情页，或规范性文件库中的文件）没有标注四种公开属性之一",
    clause="国办发〔2016〕80号《〈关于全面推进政务公开工作的意见〉实施细则》：公文公开属性源头认定制度",
    local_basis=True,
)
def check(site, config):
    """Checks that every 公文 on the portal carries one of the four disclosure labels
    (此件公开发布 / 此件删减后公开 / 此件依申请公开 / 此件不公开).

    Why: each 公文 gets its disclosure attribute when it is drafted; a published 公文 without
    the label cannot be shown to have been cleared for publication.

    Fires: a 规范性文件 page, or any page with a 文号 (马政办发〔2022〕45号, 马农发[2022]18号 in
    its title), whose text ends without a label.

    Quiet: a news item without a 文号; a 公文 ending with （此件公开发布）; a page whose only
    disclosure words are 公开方式：主动公开 is still unlabelled — that field is not a label. A 公文
    marked with the older wording （此件主动公开） is reported as labelled non-standardly, not as
    unlabelled: the unit did mark it.
    """
    for page in site.audited_pages():
        if not page.labels and is_document(site, page):
            if OLD_WORDING in site.text_of(page.url):
                message = f"公文的公开属性标注不规范：“{OLD_WORDING}”不是规定的四种标注之一，应改为“此件公开发布”"
            else:
                message = "公文未标注公开属性（此件公开发布／此件删减后公开等）"
            yield Problem(page.url, message, describe(page), site.column_of(page.url))
