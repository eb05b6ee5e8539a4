from pydantic import Field

from rules.base import Problem, RuleOptions, Severity, Subject, rule
from rules.policy import is_article


class Options(RuleOptions):
    required: tuple[str, ...] = Field(
        ("SiteName", "SiteIDCode", "ColumnName", "ArticleTitle", "PubDate"),
        description="每个文章页必须有的网页标签（名称不区分大小写）",
    )


@rule(
    id="page.meta_missing",
    title="文章页网页标签缺失",
    severity=Severity.HINT,
    subject=Subject.PAGE,
    summary="文章页缺少网页标签 SiteName、SiteIDCode、ColumnName、ArticleTitle、PubDate",
    clause="《政府网站发展指引》（国办发〔2017〕47号）附件 政府网站网页标签规范",
    options=Options,
)
def check(site, config):
    """Checks that every article page carries the 网页标签 `<meta name>` tags of `required`:
    SiteName, SiteIDCode, ColumnName, ArticleTitle and PubDate, each with content. Names match
    case-insensitively. An article page is a fetched HTML detail page with a date (not a list,
    a column page, an empty-column notice or the home page).

    Why: the national government-website monitor and search engines read these tags to index
    the page under its site, column, title and date.

    Fires: a news page with SiteName, ColumnName and ArticleTitle but no PubDate and no
    SiteIDCode (one finding naming both).

    Quiet: a column list page without ArticleTitle; an undated text page such as 政府信息公开指南;
    `<meta name="sitename">` in lower case.
    """
    required = config.options(Options).required
    home = site.home
    for page in site.audited_pages():
        if (home is not None and page.url == home.url) or page.publish_date is None or not is_article(site, page):
            continue
        present = {name.lower() for name, content in site.meta_tags_of(page.url).items() if content.strip()}
        missing = [name for name in required if name.lower() not in present]
        if missing:
            yield Problem(
                page.url,
                f"文章页缺少网页标签：{'、'.join(missing)}，请在页面<head>中按规范补充",
                f"{page.title or page.url}：缺少 " + "、".join(f'<meta name="{name}">' for name in missing),
                site.column_of(page.url),
            )
