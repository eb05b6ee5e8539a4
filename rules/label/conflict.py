from rules.base import Problem, Severity, Subject, rule
from rules.documents import describe, is_document


@rule(
    id="label.conflict",
    title="公开属性标注矛盾",
    severity=Severity.DEDUCT,
    subject=Subject.PAGE,
    summary="同一公文标注了两种以上不同的公开属性",
    clause="公文公开属性源头认定制度（每件公文只认定一种公开属性）",
)
def check(site, config):
    """Checks that a 公文 does not carry two or more different disclosure labels.

    Why: a 公文 has exactly one disclosure attribute; two different labels mean the published
    version was not checked against the drafting record.

    Fires: the body ends with （此件公开发布） while the metadata says 公开属性：此件删减后公开.

    Quiet: the same label written twice (in the metadata and at the end of the body).
    """
    for page in site.audited_pages():
        distinct = list(dict.fromkeys(page.labels))
        if len(distinct) >= 2 and is_document(site, page):
            yield Problem(
                page.url,
                f"同一公文标注了{len(distinct)}种不同的公开属性",
                f"{describe(page)}：{'、'.join(distinct)}",
                site.column_of(page.url),
            )
