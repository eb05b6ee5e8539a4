from rules.base import Problem, Severity, Subject, rule
from rules.privacy import PHONE_HEADER, PUBLISHED_COUNT, described, mobiles_beside_people, published

CLAUSE = (
    "《中华人民共和国政府信息公开条例》第十五条（涉及个人隐私的政府信息不得公开）；"
    "《2018年政务公开工作要点》：涉及个人隐私的政府信息公开时要去标识化处理"
)
# Two people with their own mobiles make a list; one mobile beside a name is a contact line.
MIN_PEOPLE = 2


@rule(
    id="privacy.phone",
    title="名单中公开了未隐藏的个人手机号码",
    severity=Severity.DEDUCT,
    subject=Subject.PAGE,
    summary="人员名单（公示表格、附件）中有未隐藏的个人手机号；办公固话不算",
    clause=CLAUSE,
)
def check(site, config):
    """Checks that lists of people (公示 tables, 名单, spreadsheet attachments) do not publish
    personal mobile numbers in full.

    Why: a 公示 of 低保、补贴、救助 recipients with their mobiles exposes each person to fraud calls;
    the 2018 要点 requires de-identification and bulletins count "多个个人手机号码" in a 文件 as a
    privacy leak (永安 2022Q4, research standards §1.7), masked as 138****1234.

    Fires: once per page or attachment in whose text at least two different unmasked mobile numbers
    (1[3-9] and 9 more digits; full-width digits, 3-4-4 grouping and characters no one sees inside
    count; the page's title, <meta> tags, link texts and images' alt text are read too, each on its
    own) each sit beside a person's name — a 2–3 character word led by a common surname (张三, 张 三, 欧阳修) among the 8 table cells or
    lines before the mobile, counted from the previous phone number on the page, so that in a table
    of people it is the name on the mobile's row. The evidence says how many and where (place and table
    rows), never the numbers, even masked, nor the names beside them.

    Quiet: one mobile on a page (联系人：张三 13812345678 of a notice, the 联系电话 of a 办事指南 or a
    news article); mobiles with no name beside them (咨询电话：13812345678, 监督电话); office
    landlines (0876-1234567); masked mobiles (138****1234); 11 digits inside a longer number; numbers
    in URLs (/t20220815_13812345678.html is an article id: no name stands beside a URL); a
    table of work contacts whose rows name posts (八寨村 / 张三 / 村委会主任 / 13812345678).
    """
    for page in site.audited_pages():
        # Each place is read on its own: a name in the text is not beside a mobile in a link's text.
        found = [(place, text, mobiles_beside_people(text)) for place, text in published(site, page).texts]
        found = [(place, text, matches) for place, text, matches in found if matches]
        count = len({match.masked for _, _, matches in found for match in matches})
        if count < MIN_PEOPLE:
            continue
        where = "页面" if page.is_html else "附件"
        yield Problem(
            page.url,
            f"{where}的人员名单中公开了{count}个完整的个人手机号码，属未去标识化的个人信息；"
            f"请撤下或将号码隐藏为 138****1234 的形式后重新发布",
            f"{where}含未去标识化的个人手机号码{count}个（{described(found, PHONE_HEADER)}）",
            site.column_of(page.url),
            {PUBLISHED_COUNT: (str(count),)},
        )
