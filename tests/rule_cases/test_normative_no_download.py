"""normative.no_download: a 规范性文件 links a downloadable version (.pdf .ofd .doc .docx .wps)."""


def test_fires_for_spreadsheets_images_and_no_attachment(content_audit):
    assert content_audit.paths("normative.no_download") == {"/xxgk/gfxwj/g4.html", "/xxgk/gfxwj/g5.html"}
    by_path = {f["url"][len(content_audit.base_url) - 1 :]: f for f in content_audit.of("normative.no_download")}
    # .xlsx, .csv and a .jpg scan are attachments, not the official version.
    assert (
        "g4.xlsx" in by_path["/xxgk/gfxwj/g4.html"]["evidence"]
        and "g4.jpg" in by_path["/xxgk/gfxwj/g4.html"]["evidence"]
    )
    assert "页面没有附件链接" in by_path["/xxgk/gfxwj/g5.html"]["evidence"]
    assert by_path["/xxgk/gfxwj/g4.html"]["column"] == "gfxwj"


def test_quiet_for_download_scripts_capital_extensions_and_broken_files(content_audit):
    fired = content_audit.paths("normative.no_download")
    # g3: downfile.jsp?classid=0&filename=….pdf; g1: .pdf and .OFD; g6: a .docx that answers 404.
    for quiet in (
        "/xxgk/gfxwj/g3.html",
        "/xxgk/gfxwj/g1.html",
        "/xxgk/gfxwj/g6.html",
        "/xxgk/gfxwj/g2.html",
        "/xxgk/zcjd/j1.html",
    ):
        assert quiet not in fired


def test_extensions_are_configurable(content_configured_audit):
    assert content_configured_audit.paths("normative.no_download") == {"/xxgk/gfxwj/g5.html"}
