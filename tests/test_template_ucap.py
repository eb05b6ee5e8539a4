"""The 开普云 (UCAP)-shaped county portal (tests/sites/templates/ucap.py), audited by the real CLI:
side boxes beside a blank and a stale column, a goPage() script pager whose page 2 holds the
newest 规范性文件, an ID leak published by 县民政局 and the traps beside them."""

import pytest
from sites.templates import ucap
from sites.templates.common import check_template, list_reads


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    work = tmp_path_factory.mktemp("ucap")
    template = ucap.build(work / "site")
    return template, template.audit(work)


def test_every_seeded_problem_and_nothing_else(audited):
    check_template(*audited)


def test_the_script_pager_is_read_to_its_stated_count(audited):
    _, result = audited
    [read] = list_reads(result)["gfxwj"]
    assert (read["declared_records"], read["declared_pages"], read["pages_read"], read["items_read"]) == (5, 2, 2, 5)
    assert "最新 2022-09-20" in result.stdout
