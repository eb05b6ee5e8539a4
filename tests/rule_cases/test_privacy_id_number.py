"""privacy.id_number: no resident ID number in full on a page or in an attachment."""

import pytest
from portals_privacy import ID_A, ID_B, ID_C

RULE = "privacy.id_number"
ATTACHMENTS = {
    "/gsgg/mingdan.xlsx",
    "/gsgg/mingdan.docx",
    "/gsgg/mingdan.pdf",
    "/gsgg/mingdan.csv",
    "/downfile.jsp?filename=%E8%A1%A5%E5%8A%A9%E5%90%8D%E5%8D%95.xlsx",
}


def _by_path(audit):
    return {f["url"][len(audit.base_url) - 1 :]: f for f in audit.of(RULE)}


def test_fires_once_per_page_describing_the_fault(privacy_audit):
    found = _by_path(privacy_audit)
    assert {"/gsgg/dibao.html", "/gsgg/fullwidth.html"} <= set(found)
    assert len(privacy_audit.of(RULE)) == len(found)  # one finding per page however many IDs it holds
    dibao = found["/gsgg/dibao.html"]
    assert dibao["severity"] == "扣分"
    assert "3个" in dibao["message"] and "身份证" in dibao["message"] and dibao["message"].startswith("页面")
    # How many and where (the table's rows, its header the first), never the numbers, even masked, nor
    # what stands beside them (issue 25: the 通报 that prints it may be published).
    assert dibao["evidence"] == "页面含未去标识化的身份证号码3个（见于正文表格第2–5行）"


def test_full_width_and_grouped_numbers(privacy_audit):
    assert _by_path(privacy_audit)["/gsgg/fullwidth.html"]["evidence"] == "页面含未去标识化的身份证号码2个（见于正文）"


def test_evidence_never_holds_a_number_or_a_name(privacy_audit):
    """Not in full, not masked, and not the names or villages beside them."""
    for finding in privacy_audit.findings:
        text = finding["message"] + finding["evidence"]
        for number in (ID_A, ID_B, ID_C, ID_A[6:14] + ID_A[14:], "13812345678", "8765"):
            assert number not in text.replace(" ", "")
        if finding["rule"].startswith("privacy."):
            for personal in ("********", "****", "张三", "李", "欧阳春", "石桥村", "大寨", "新街"):
                assert personal not in finding["evidence"], (finding["url"], personal)


def test_fires_for_attachments(privacy_audit):
    """.xlsx, .docx, .pdf, GBK .csv, and an .xlsx behind downfile.jsp?filename=."""
    found = _by_path(privacy_audit)
    assert ATTACHMENTS <= set(found)
    assert found["/gsgg/mingdan.docx"]["evidence"] == "附件含未去标识化的身份证号码1个（见于附件内容第2行）"
    for path in ATTACHMENTS - {"/gsgg/mingdan.docx"}:  # a title row, the header row, three people
        assert found[path]["evidence"] == "附件含未去标识化的身份证号码3个（见于附件内容表格第2–4行）", path
    assert found["/gsgg/mingdan.pdf"]["message"].startswith("附件")


def test_attachments_are_called_attachments(privacy_audit):
    found = _by_path(privacy_audit)
    assert all(found[path]["message"].startswith("附件") for path in ATTACHMENTS)


@pytest.mark.parametrize(
    "quiet",
    [
        "/gsgg/masked.html",
        "/gsgg/traps.html",
        "/gsgg/tuomin.xlsx",
        "/gsgg/",
        "/gsgg/landline.html",
        "/bszn/1.html",
        "/news/1.html",
        "/gsgg/attachments.html",
        "/gsgg/view.html",
        "/gsgg/t20220815_13812345678.html",
        f"/gsgg/{ID_A}.pdf",
    ],
)
def test_quiet(privacy_audit, quiet):
    """Masked numbers, failing checksums, unknown area codes, impossible or future birth dates,
    统一社会信用代码, 索引号, bank accounts, longer digit runs; in URLs an article id with its date,
    an ID inside a longer digit run, a wrong check character and a 索引号. A document whose own URL
    holds a number is reported on the page that links to it, not again."""
    assert quiet not in privacy_audit.paths(RULE)


# Issue 27 item 10: what a page publishes besides its text, and numbers split by characters no one sees.
BEYOND_TEXT = {
    "/gsgg/tab.html": "网页标题",
    "/gsgg/photo.html": "链接文字或图片说明",
    "/gsgg/meta.html": "网页标签",
    "/gsgg/lookup.html": "链接网址",
}


def test_nothing_else_fires(privacy_audit):
    assert privacy_audit.paths(RULE) == (
        {"/gsgg/dibao.html", "/gsgg/fullwidth.html", "/gsgg/invisible.html"} | set(BEYOND_TEXT) | ATTACHMENTS
    )


@pytest.mark.parametrize("path, place", BEYOND_TEXT.items())
def test_fires_for_the_title_alt_text_meta_tags_and_urls_saying_where(privacy_audit, path, place):
    finding = _by_path(privacy_audit)[path]
    assert finding["message"].startswith("页面公开了") and f"见于{place}" in finding["evidence"]


def test_fires_for_numbers_split_by_invisible_characters(privacy_audit):
    finding = _by_path(privacy_audit)["/gsgg/invisible.html"]
    assert "3个" in finding["message"]
    assert finding["evidence"] == "页面含未去标识化的身份证号码3个（见于正文）"


def test_a_query_value_and_a_file_name_are_both_counted(privacy_audit):
    finding = _by_path(privacy_audit)["/gsgg/lookup.html"]
    assert "2个" in finding["message"] and finding["evidence"] == "页面含未去标识化的身份证号码2个（见于链接网址）"


# -- the detector, and the report masking that must agree with it --------------------------------


def test_detector_checks_checksum_area_and_birth_date():
    from datetime import date

    from portals_privacy import bad_check, with_check

    from rules.privacy import is_id_number

    as_of = date(2022, 10, 15)
    assert is_id_number(ID_A, as_of) and is_id_number(ID_C.lower(), as_of)
    assert not is_id_number(bad_check(ID_A[:17]), as_of)
    assert not is_id_number(with_check("99262519850312201"), as_of)  # no province 99
    assert not is_id_number(with_check("53262519850230201"), as_of)  # 30 February
    assert not is_id_number(with_check("53262520221016201"), as_of)  # born after the audit date
    assert is_id_number(with_check("53262520221015201"), as_of)
    assert not is_id_number(with_check("53262518991231201"), as_of)  # before 1900


def test_report_masking_masks_exactly_the_detected_numbers():
    from reports.masking import mask_personal

    text = (
        f"{ID_A}；{ID_A[:6]} {ID_A[6:14]} {ID_A[14:]}；１３８１２３４５６７８；索引号 11532625MB0000000X/2022-00001；"
        f"账号 6228480000000000000；订单 {ID_A[:17]}9；电话 0876-7121234；139-8765-4321"
    )
    assert mask_personal(text) == (
        "532625********2010；532625********2010；138****5678；索引号 11532625MB0000000X/2022-00001；"
        f"账号 6228480000000000000；订单 {ID_A[:17]}9；电话 0876-7121234；139****4321"
    )
    assert mask_personal(None) == ""


def test_report_masking_masks_numbers_split_by_any_character_the_rules_ignore():
    """What the rules find split by an invisible character (issue 27 item 10) is masked in every output
    too: the rules and reports/masking.py share rules.privacy.INVISIBLE."""
    from reports.masking import mask_personal

    for split in ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", "\u2066", "\u061c"):
        text = f"身份证 {ID_A[:6]}{split}{ID_A[6:14]}{split}{ID_A[14:]} 电话 138{split}1234{split}5678"
        assert mask_personal(text) == "身份证 532625********2010 电话 138****5678", repr(split)
