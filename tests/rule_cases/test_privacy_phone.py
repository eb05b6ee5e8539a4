"""privacy.phone: no list of people with their mobiles in full, on a page or in an attachment."""

import pytest

RULE = "privacy.phone"
FIRING_ATTACHMENTS = {
    "/gsgg/mingdan.xlsx",
    "/gsgg/mingdan.pdf",
    "/gsgg/mingdan.csv",
    "/downfile.jsp?filename=%E8%A1%A5%E5%8A%A9%E5%90%8D%E5%8D%95.xlsx",
}


def _by_path(audit):
    return {f["url"][len(audit.base_url) - 1 :]: f for f in audit.of(RULE)}


def test_fires_for_a_table_of_people(privacy_audit):
    finding = _by_path(privacy_audit)["/gsgg/dibao.html"]
    assert finding["severity"] == "扣分"
    assert "3个" in finding["message"] and "手机号码" in finding["message"]
    # How many and where, never the numbers (even masked) nor the names beside them (issue 25).
    assert finding["evidence"] == "页面含未去标识化的个人手机号码3个（见于正文表格第2–5行）"


def test_fires_for_names_in_prose_with_grouped_and_full_width_digits(privacy_audit):
    evidence = _by_path(privacy_audit)["/gsgg/fullwidth.html"]["evidence"]
    assert evidence == "页面含未去标识化的个人手机号码2个（见于正文）"


def test_fires_for_attachments(privacy_audit):
    """Spreadsheet rows, PDF lines ("2  李 四  女 …") and CSV rows of people."""
    found = _by_path(privacy_audit)
    assert FIRING_ATTACHMENTS <= set(found)
    for path in FIRING_ATTACHMENTS:
        assert found[path]["evidence"] == "附件含未去标识化的个人手机号码3个（见于附件内容表格第2–4行）", path
    assert found["/gsgg/mingdan.pdf"]["message"].startswith("附件")


def test_attachments_are_called_attachments(privacy_audit):
    found = _by_path(privacy_audit)
    assert all(found[path]["message"].startswith("附件") for path in FIRING_ATTACHMENTS)


@pytest.mark.parametrize(
    "quiet",
    [
        "/bszn/1.html",  # one mobile in a 办事指南's 联系电话 row
        "/news/1.html",  # one mobile beside a name in a news article
        "/gsgg/masked.html",  # masked mobiles; hotlines after the table have no name beside them
        "/gsgg/landline.html",  # office landlines beside names
        "/gsgg/traps.html",  # 11 digits inside longer numbers
        "/gsgg/tuomin.xlsx",  # masked spreadsheet
        "/gsgg/mingdan.docx",  # an ID but no mobile
    ],
)
def test_quiet(privacy_audit, quiet):
    assert quiet not in privacy_audit.paths(RULE)


def test_nothing_else_fires(privacy_audit):
    assert privacy_audit.paths(RULE) == {"/gsgg/dibao.html", "/gsgg/fullwidth.html"} | FIRING_ATTACHMENTS


# -- the "beside a person" heuristic on stored text -----------------------------------------------


@pytest.mark.parametrize(
    "word, is_name",
    [
        ("张三", True),
        ("李小明", True),
        ("张 三", True),
        ("张\u3000三", True),
        ("欧阳修", True),
        ("欧阳", False),
        ("咨询电话", False),
        ("石桥村", False),
        ("马关县", False),
        ("周一", False),
        ("许可", False),
        ("高中", False),
        ("王家寨", False),
        ("张三丰收", False),
        ("13812345678", False),
    ],
)
def test_person_names(word, is_name):
    from rules.privacy import is_person_name

    assert is_person_name(word) is is_name


def test_beside_people_in_stored_text():
    from rules.privacy import mobiles_beside_people

    def masked(text):
        return [m.masked for m in mobiles_beside_people(text)]

    # A <table> is stored one cell a line; a spreadsheet one row a line, cells tab-separated.
    assert masked("序号\n姓名\n电话\n1\n张三\n13812345678\n2\n李四\n13987654321") == ["138****5678", "139****4321"]
    assert masked("姓名\t电话\n张三\t13812345678\n李四\t13987654321") == ["138****5678", "139****4321"]
    # Hotlines have no name beside them; the name before a masked number does not carry over.
    assert masked("咨询电话：13812345678\n监督电话：13987654321") == []
    assert masked("张三\n138****5678\n联系电话\n13987654321") == []
    assert masked("办理时间\n周一至周五\n联系电话\n13812345678") == []
    # Work contacts published for residents to call: each row names the person's post.
    assert (
        masked(
            "村（社区）\n联系人\n职务\n联系电话\n八寨村\n张三\n村委会主任\n13812345678\n"
            "城关社区\n李四\n社区书记\n13987654321"
        )
        == []
    )
    assert (
        masked(
            "村（社区）\t联系人\t职务\t联系电话\n八寨村\t张三\t网格员\t13812345678\n城关社区\t李四\t网格员\t13987654321"
        )
        == []
    )
