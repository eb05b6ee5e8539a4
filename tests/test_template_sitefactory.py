"""The 动易 SiteFactory-shaped county portal (tests/sites/templates/sitefactory.py), audited by the
real CLI: .aspx pages, table lists with 2022-9-20 dates, a goPage(pageIndex) pager to
Index.aspx?page=N holding the newest 规范性文件 on page 2, a 来源 line (no ContentSource tag)
naming 县民政局 for the ID leak, side boxes beside a blank and a stale column."""

import pytest
from sites.templates import sitefactory
from sites.templates.common import check_template, list_reads


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    work = tmp_path_factory.mktemp("sitefactory")
    template = sitefactory.build(work / "site")
    return template, template.audit(work)


def test_every_seeded_problem_and_nothing_else(audited):
    check_template(*audited)


def test_the_query_string_script_pager_is_read_to_its_stated_count(audited):
    _, result = audited
    [read] = list_reads(result)["gfxwj"]
    assert (read["declared_pages"], read["pages_read"], read["items_read"]) == (2, 2, 5)
    assert "最新 2022-09-23" in result.stdout
