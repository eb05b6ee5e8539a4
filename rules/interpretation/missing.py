from rules.base import Evidence, Problem, Severity, Subject, rule
from rules.documents import describe
from rules.policy import (
    InterpretationOptions,
    is_article,
    is_interpretation,
    max_related,
    normative_documents,
    policy_document,
    related_links,
    title_words,
)


class Options(InterpretationOptions):
    """What a 解读 is and when related links are a shared box (shared with interpretation.unlinked)."""


@rule(
    id="interpretation.missing",
    title="规范性文件未关联政策解读",
    severity=Severity.DEDUCT,
    subject=Subject.PAGE,
    summary="规范性文件没有链接到任何解读页面",
    clause="《关于全面推进政务公开工作的意见》实施细则（国办发〔2016〕80号）政策解读与文件同步发布；国办秘函〔2019〕19号 解读回应",
    needs=Evidence.INTERPRETATIONS,
    options=Options,
)
def check(site, config):
    """Checks that every document of the 规章和行政规范性文件库 is related to a 解读: its page
    links to a 解读 page, or a 解读 page links to it. A 解读 page is an article whose title
    contains 解读 (option `title_words`); a link to a page the crawl did not fetch counts when
    its text contains 解读. A page linking more than `max_related` (3) 解读 pages shows a shared
    box such as 「最新解读」, which relates nothing.

    Why: 政策解读 must be published with the policy and linked to it, so that a reader of the
    document finds the explanation; a document without any 解读 is a 普查 deduction.

    Fires: 马政办规〔2022〕2号 in the 规范性文件库 links to no 解读, and no 解读 links to it;
    its only 解读 links are a box of the five newest 解读 repeated on every document page.

    Quiet: the document links 《…管理办法》政策解读 and the 解读 links back; only one side
    links (that is interpretation.unlinked); the link points to a 解读 the crawl did not fetch
    and reads 「相关解读：《…》政策解读」; a 解读 listed in the 规范性文件库 is not a document. A
    one-column check (--column) judges it only when it found and read the site's 政策解读 column
    (a 解读 there may link the document); else it reports the rule as 未检查.
    """
    words = title_words(site)
    limit = max_related(site)

    def interpretation_link(target: str, text: str) -> bool:
        page = site.pages.get(target)
        if page is None or not page.fetched_ok:
            return any(word in text for word in words)
        # The document itself calls the link 解读 (【政策解读】 to a page titled 图解：…), unless it
        # points at another 公文 whose title happens to hold the word.
        return is_interpretation(site, page, words) or (
            any(word in text for word in words) and is_article(site, page) and not policy_document(site, target, words)
        )

    for page in normative_documents(site):
        if related_links(site, page.url, interpretation_link, limit):
            continue
        linked_from = any(
            is_interpretation(site, source, words)
            and page.url
            in related_links(site, source.url, lambda target, _text: policy_document(site, target, words), limit)
            for link in site.links_to(page.url)
            if (source := site.pages.get(link.from_url)) is not None
        )
        if not linked_from:
            yield Problem(
                page.url,
                "规范性文件未关联政策解读：文件页面没有链接解读，也没有解读页面链接本文件，请发布解读并与文件双向关联",
                describe(page),
                site.column_of(page.url),
            )
