from rules.base import Evidence, Problem, Severity, Subject, rule
from rules.documents import describe
from rules.policy import (
    InterpretationOptions,
    is_interpretation,
    max_related,
    policy_document,
    related_links,
    title_words,
)


class Options(InterpretationOptions):
    """What a 解读 is and when related links are a shared box (shared with interpretation.missing)."""


@rule(
    id="interpretation.unlinked",
    title="政策解读与文件未双向关联",
    severity=Severity.DEDUCT,
    subject=Subject.PAGE,
    summary="解读与文件未双向关联（问题记在缺少链接的一方）",
    clause="《关于全面推进政务公开工作的意见》实施细则（国办发〔2016〕80号）；国办秘函〔2019〕19号 解读回应·政策文件与解读相互关联",
    needs=Evidence.INTERPRETATIONS,
    options=Options,
)
def check(site, config):
    """Checks that a 解读 page and the policy document it interprets link to each other. A
    document is a 公文 in any column (a 文号, or an item of the 规范性文件库); a 解读 page is an
    article whose title contains 解读 (option `title_words`). They are paired when either links
    to the other; the finding sits on the side that lacks the link. A page with more than
    `max_related` (3) such links shows a shared box, which pairs nothing.

    Why: the 普查 requires 政策文件与解读材料相互关联 — a reader of either must reach the other.

    Fires: 《马关县县级政府投资项目管理办法》政策解读 is linked from the document 马政办规〔2021〕12号
    but has no 原文链接 back (finding on the 解读 page); a 解读 links 测农发〔2022〕18号 in
    部门信息公开 but that document links to no 解读 (finding on the document).

    Quiet: both pages link each other; a news item (no 文号) links a 解读; the 政策解读 column
    page lists every 解读; a 解读 the crawl did not fetch is not judged. A one-column check reads
    the site's 解读 through the 政策解读 column(s) and reports only pages of its column; without a
    政策解读 column it reports this rule as 未检查.
    """
    words = title_words(site)
    limit = max_related(site)
    audited = {page.url for page in site.audited_pages()}
    interpretations = {page.url for page in site.pages.values() if is_interpretation(site, page, words)}

    def documents_of(url: str) -> set[str]:
        return set(related_links(site, url, lambda target, _text: policy_document(site, target, words), limit))

    def interpretations_of(url: str) -> set[str]:
        return set(related_links(site, url, lambda target, _text: target in interpretations, limit))

    links_back: dict[str, set[str]] = {}
    lacking: dict[str, list[str]] = {}
    for reading in sorted(interpretations):
        documents = documents_of(reading)
        candidates = documents | {
            link.from_url for link in site.links_to(reading) if policy_document(site, link.from_url, words)
        }
        for document in sorted(candidates):
            if document not in links_back:
                links_back[document] = interpretations_of(document)
            if document in documents and reading not in links_back[document]:
                lacking.setdefault(document, []).append(reading)
            elif document not in documents and reading in links_back[document]:
                lacking.setdefault(reading, []).append(document)
    for url, partners in sorted(lacking.items()):
        if url not in audited:
            continue
        if url in interpretations:
            names = "、".join(f"「{describe(site.pages[p])}」" for p in partners)
            message = (
                f"政策解读页面未链接其解读的文件{names}（文件页面已链接本解读），请在解读中增加原文链接，实现双向关联"
            )
            evidence = "；".join(f"{describe(site.pages[p])} {p} 链接了本解读" for p in partners)
        else:
            names = "、".join(f"「{site.pages[p].title}」" for p in partners)
            message = (
                f"文件页面未链接其政策解读{names}（解读页面已链接本文件），请在文件页面增加相关解读链接，实现双向关联"
            )
            evidence = "；".join(f"{site.pages[p].title} {p} 链接了本文件" for p in partners)
        yield Problem(url, message, evidence, site.column_of(url))
