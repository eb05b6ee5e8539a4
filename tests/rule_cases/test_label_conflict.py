"""label.conflict: a 公文 carries one label, not two different ones."""


def test_fires_for_two_different_labels(label_audit):
    [finding] = label_audit.of("label.conflict")
    assert finding["url"] == label_audit.base_url + "xxgk/gfxwj/conflict.html"
    assert "此件公开发布" in finding["evidence"] and "此件删减后公开" in finding["evidence"]
    assert finding["column"] == "gfxwj"


def test_quiet_for_the_same_label_written_twice(label_audit):
    assert "/xxgk/gfxwj/twice.html" not in label_audit.paths("label.conflict")


def test_fires_for_two_labels_written_on_the_date_line(tmp_path):
    from portal_kit import audit_pages, doc_page
    from rule_cases.portals import LABEL_PORTAL

    pages = dict(LABEL_PORTAL)
    pages["/xxgk/gfxwj/ok.html"] = doc_page(
        "测试县甲办法",
        doc_number="测政规〔2022〕1号",
        label_line="测试县人民政府 2022年8月21日（此件删减后公开）（此件公开发布）",
    )
    result = audit_pages(tmp_path, pages)
    assert result.paths("label.conflict") == {"/xxgk/gfxwj/conflict.html", "/xxgk/gfxwj/ok.html"}
    assert "/xxgk/gfxwj/ok.html" not in result.paths("label.missing")
