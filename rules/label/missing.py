from rules.base import Problem, Severity, rule
from rules.documents import describe, is_document


@rule(id="label.missing", title="公文未标注公开属性", severity=Severity.DEDUCT,
      summary="公文（有文号的详情页，或规范性文件库中的文件）没有标注四种公开属性之一",
      clause="公文公开属性源头认定制度；马关县2022年政务公开工作任务清单")
def check(site, config):
    """Checks that every 公文 on the portal carries one of the four disclosure labels
    (此件公开发布 / 此件删减后公开 / 此件依申请公开 / 此件不公开).

    Why: each 公文 gets its disclosure attribute when it is drafted; a published 公文 without
    the label cannot be shown to have been cleared for publication.

    Fires: a 规范性文件 page, or any page with a 文号 (马政办发〔2022〕45号, 马农发[2022]18号 in
    its title), whose text ends without a label.

    Quiet: a news item without a 文号; a 公文 ending with （此件公开发布）; a page whose only
    disclosure words are 公开方式：主动公开 is still unlabelled — that field is not a label.
    """
    for page in site.audited_pages():
        if not page.labels and is_document(site, page):
            yield Problem(page.url, "公文未标注公开属性（此件公开发布／此件删减后公开等）", describe(page),
                          site.column_of(page.url))
