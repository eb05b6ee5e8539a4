from rules.base import Problem, Severity, Subject, rule
from rules.privacy import ID_HEADER, PUBLISHED_COUNT, described, id_numbers, published, url_id_numbers

CLAUSE = (
    "《中华人民共和国政府信息公开条例》第十五条（涉及个人隐私的政府信息不得公开）；"
    "《2018年政务公开工作要点》：涉及个人隐私的政府信息公开时要去标识化处理"
)


@rule(
    id="privacy.id_number",
    title="公开了未隐藏的居民身份证号码",
    severity=Severity.DEDUCT,
    subject=Subject.PAGE,
    summary="页面（正文、网页标题、网页标签、图片说明、链接网址）或附件（xlsx/xls/csv/docx/pdf/txt）中"
    "有未隐藏的身份证号（校验码、地区码、出生日期均有效）",
    clause=CLAUSE,
)
def check(site, config):
    """Checks that no page or attachment publishes a resident ID number (公民身份号码) in full.

    Why: 公示 lists (低保、救助、补贴、危房改造名单) that carry full ID numbers are the most common
    privacy leak on county portals; the 2018 要点 requires such information to be de-identified before
    it is published, and provincial bulletins report it (云浮, 永安 — see research standards §1.7).

    Fires: once per page or attachment (.xlsx .xls .csv .docx .pdf .txt, as the crawler stored its
    text) that publishes an 18-character number with a valid GB 11643 check character (ISO 7064
    MOD 11-2, X allowed), a real province code (11–65, 71, 81, 82) and a birth date from 1900 up to
    the audit date — also written with full-width digits, grouped 6-8-4 by spaces, or split by
    characters no one sees (zero-width space or joiner, word joiner, soft hyphen, BOM, bidirectional
    controls). A page publishes its visible text, its title (the <title> the browser's tab shows and
    the article's own), its <meta> tags, its link texts and images' alt text, and the URLs it links
    to: a path segment or query value that is exactly such a number (?sfz=…, /files/<number>.pdf).
    The evidence describes the fault and never repeats it (the finding goes into a 通报 that may be
    published): how many numbers, and where — the place (正文, 附件内容, 网页标题, 网页标签, 链接文字或图片说明,
    链接网址) and, in a table, its rows ("页面含未去标识化的身份证号码4个（见于正文表格第2–5行）"); no
    number, even masked, and nothing that stood beside it (names, villages, household facts).

    Quiet: masked numbers (532625********2010, 5326251985****2010); 18-digit numbers that fail the check
    (order and bank account numbers); a 统一社会信用代码 or 索引号 (11532625MB0000000X/2022-00001);
    18 digits inside a longer run of digits or letters; in a URL, a number that is only part of its
    segment or value (/t20220815_13812345678.html, ?id=2022532625198503122010, 532625198503122010_1.html).
    """
    for page in site.audited_pages():
        shown = published(site, page)
        found = [(place, text, match) for place, text in shown.texts for match in id_numbers(text, site.as_of)]
        in_urls = [(url, masked) for url in shown.urls for masked in url_id_numbers(url, site.as_of)]
        if not found and not in_urls:
            continue
        where = "页面" if page.is_html else "附件"
        count = len(set([match.masked for _, _, match in found] + [number for _, number in in_urls]))
        by_place: dict[str, tuple[str, list]] = {}
        for place, text, match in found:
            by_place.setdefault(place, (text, []))[1].append(match)
        places = [(place, text, matches) for place, (text, matches) in by_place.items()]
        places += [("链接网址", "", [])] * bool(in_urls)
        yield Problem(
            page.url,
            f"{where}公开了{count}个完整的居民身份证号码，属未去标识化的个人信息；"
            f"请立即撤下或替换为隐藏中间8位的版本（如 532625********1234）后重新发布，并排查同类信息",
            f"{where}含未去标识化的身份证号码{count}个（{described(places, ID_HEADER)}）",
            site.column_of(page.url),
            {PUBLISHED_COUNT: (str(count),)},
        )
