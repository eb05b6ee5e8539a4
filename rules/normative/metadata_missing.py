import re
from datetime import date

from pydantic import Field

from crawler.vocabulary.dates import FULL_DATE_RE, make_date
from rules.base import Problem, RuleOptions, Severity, Subject, rule
from rules.documents import DOC_NUMBER, describe
from rules.policy import normative_documents

_SPACES = re.compile(r"\s+")


class Options(RuleOptions):
    validity_values: tuple[str, ...] = Field(
        ("现行有效", "有效", "已修改", "已修订", "已废止", "废止", "已失效", "失效", "部分失效", "尚未生效"),
        description="算作已写明的有效性取值（须以其中之一开头）",
    )


@rule(
    id="normative.metadata_missing",
    title="规范性文件要素不全",
    severity=Severity.DEDUCT,
    subject=Subject.PAGE,
    summary="规范性文件缺少文号、成文/发布日期或有效性",
    clause="《国务院办公厅关于加强行政规范性文件制定和监督管理工作的通知》（国办发〔2018〕37号）；行政规范性文件库建设要求（文号、成文日期、发布日期、有效性）",
    options=Options,
)
def check(site, config):
    """Checks that every document of the 规章和行政规范性文件库 shows its 文号, a date (成文日期
    or 发布日期) and its 有效性. A 文号 must contain its year and number (`无`, `暂无`, `—` or an
    empty cell are missing); a 发布日期 counts only when the page shows it (a date the crawler took
    from the URL does not); 有效性 must begin with one of `validity_values` (现行有效, 有效,
    已修改, 已修订, 已废止, 废止, 已失效, 失效, 部分失效, 尚未生效).

    Why: the 文件库 must let the public tell which rules are in force; a document without 文号,
    date or 有效性 cannot be cited or relied on.

    Fires: a document whose metadata table reads 文号：无 and has no 有效性 row (one finding
    listing both).

    Quiet: 有效性：已废止 is a valid state; the 文号 stands only in the title
    (…的通知（马政规〔2022〕3号）); 成文日期 is missing but 发布日期 2022-03-20 is shown.
    """
    accepted = config.options(Options).validity_values
    for page in normative_documents(site):
        missing = []
        number = (page.doc_number or "").strip()
        if not any(ch.isdigit() for ch in number) and not _number_in_title(page.title):
            missing.append("文号")
        if page.written_date is None and page.publish_date not in _shown_dates(site.text_of(page.url)):
            missing.append("成文日期或发布日期")
        validity = _SPACES.sub("", page.validity or "")
        if not validity.startswith(accepted):
            missing.append("有效性")
        if missing:
            shown = f"文号：{number or '（空）'}；有效性：{page.validity or '（空）'}"
            yield Problem(
                page.url,
                f"规范性文件未标注{'、'.join(missing)}，请在文件信息中补充",
                f"{describe(page)}；{shown}",
                site.column_of(page.url),
            )


def _number_in_title(title: str | None) -> bool:
    return bool(DOC_NUMBER.search(title or ""))


def _shown_dates(text: str) -> set[date]:
    return {value for match in FULL_DATE_RE.finditer(text) if (value := make_date(*match.groups()))}
