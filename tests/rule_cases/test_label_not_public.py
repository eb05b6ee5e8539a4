"""label.not_public: documents labelled 此件依申请公开 / 此件不公开 must not be on the portal."""


def test_fires_for_on_request_and_not_public_documents(label_audit):
    assert label_audit.paths("label.not_public") == {"/xxgk/gfxwj/onrequest.html", "/xxgk/gfxwj/secret.html"}
    messages = {f["message"] for f in label_audit.of("label.not_public")}
    assert any("此件依申请公开" in m for m in messages) and any("此件不公开" in m for m in messages)
    assert all(f["severity"] == "单项否决" for f in label_audit.of("label.not_public"))


def test_quiet_for_prose_and_the_disclosure_mode_field(label_audit):
    fired = label_audit.paths("label.not_public")
    assert "/xxgk/gfxwj/prose.html" not in fired  # 对依申请公开的政府信息… in the body
    assert "/news/2.html" not in fired  # 依申请公开 in a news story
    assert "/xxgk/gfxwj/mode.html" not in fired  # 公开方式：主动公开 + 此件删减后公开
