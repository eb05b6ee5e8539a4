"""media.unfiled: 备案 status against the account's state."""


def test_fires_for_unfiled_operating_and_filed_closed_accounts(register_audit):
    messages = sorted(f["message"] for f in register_audit.of("media.unfiled"))
    assert len(messages) == 2
    assert any("马关司法" in m and "正在运营但未备案" in m for m in messages)
    assert any("马关旅游" in m and "应注销备案" in m for m in messages)


def test_quiet_for_filed_operating_accounts_and_accounts_opened_later(register_audit):
    messages = " ".join(f["message"] for f in register_audit.of("media.unfiled"))
    for name in ("马关发布", "马关教育", "马关卫健", "马关融媒", "马关应急"):
        assert name not in messages
