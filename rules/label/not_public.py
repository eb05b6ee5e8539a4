from rules.base import Problem, Severity, Subject, rule

NOT_FOR_PORTAL = ("此件依申请公开", "此件不公开")


@rule(
    id="label.not_public",
    title="不应公开的公文上网",
    severity=Severity.VETO,
    subject=Subject.PAGE,
    summary='标注"此件依申请公开"或"此件不公开"的公文出现在网站上',
    clause="公文公开属性源头认定制度；国办秘函〔2019〕19号 单项否决·安全、泄密事故等严重问题",
)
def check(site, config):
    """Checks that no page on the portal is labelled 此件依申请公开 or 此件不公开.

    Why: only 此件公开发布 and 此件删减后公开 documents may be published; a document marked
    for release on request or not for release must not be on the portal at all.

    Fires: a document ending with （此件依申请公开） or （此件不公开）.

    Quiet: a document saying 对依申请公开的政府信息，行政机关应当… in its prose; a 公开方式：
    依申请公开 metadata field is the 公开方式, not the document's label.
    """
    for page in site.audited_pages():
        found = [label for label in dict.fromkeys(page.labels) if label in NOT_FOR_PORTAL]
        if found and page.fetched_ok:
            yield Problem(
                page.url,
                f"标注为「{'、'.join(found)}」的公文发布在网站上",
                f"{page.title or page.url}：{'、'.join(found)}",
                site.column_of(page.url),
            )
