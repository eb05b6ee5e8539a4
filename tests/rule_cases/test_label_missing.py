"""label.missing: every 公文 must carry one of the four disclosure labels."""


def test_fires_for_unlabelled_documents(label_audit):
    assert label_audit.paths("label.missing") == {"/xxgk/gfxwj/nolabel.html", "/xxgk/gfxwj/nonumber.html", "/bm/1.html"}
    by_path = {f["url"][len(label_audit.base_url) - 1 :]: f for f in label_audit.of("label.missing")}
    assert by_path["/xxgk/gfxwj/nolabel.html"]["column"] == "gfxwj"
    assert "测政规〔2022〕2号" in by_path["/xxgk/gfxwj/nolabel.html"]["evidence"]
    # A 文号 in brackets [2022] in the title alone makes a page a 公文.
    assert by_path["/bm/1.html"]["column"] is None


def test_quiet_for_news_and_labelled_documents(label_audit):
    fired = label_audit.paths("label.missing")
    for quiet in (
        "/news/1.html",
        "/news/2.html",
        "/bm/2.html",
        "/xxgk/gfxwj/ok.html",
        "/xxgk/gfxwj/mode.html",
        "/xxgk/gfxwj/prose.html",
        "/xxgk/gfxwj/",
        "/bm/",
    ):
        assert quiet not in fired
