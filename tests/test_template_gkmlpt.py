"""The Guangdong gkmlpt-shaped county portal (tests/sites/templates/gkmlpt.py), audited by the real
CLI: 政府信息公开 columns whose rows a script loads from /gkmlpt/api/all/<id>?page=&sid=SID (the
site id held in a script variable), the newest 规范性文件 on the API's page 2, the classify table's
发布机构 naming 县民政局 for the ID leak, side boxes beside a blank and a stale column."""

import pytest
from sites.templates import gkmlpt
from sites.templates.common import check_template, list_reads


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    work = tmp_path_factory.mktemp("gkmlpt")
    template = gkmlpt.build(work / "site")
    return template, template.audit(work)


def test_every_seeded_problem_and_nothing_else(audited):
    check_template(*audited)


def test_the_script_loaded_lists_are_read_whole(audited):
    _, result = audited
    reads = list_reads(result)
    for column in ("jbml", "gfxwj"):
        [read] = reads[column]
        assert (read["declared_records"], read["items_read"], read["complete"]) == (5, 5, 1), read
    assert "最新 2022-09-26" in result.stdout
