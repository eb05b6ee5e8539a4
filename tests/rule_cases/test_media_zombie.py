"""media.zombie: an operating account without a post for 90 days is a 僵尸 account (提示)."""


def test_fires_on_the_account_silent_since_may(register_audit):
    [finding] = register_audit.of("media.zombie")
    assert "八寨镇发布" in finding["message"] and "建议关停或整合" in finding["message"]
    assert finding["severity"] == "提示" and finding["units"] == ["八寨镇人民政府"]


def test_quiet_for_accounts_only_two_weeks_behind_or_closed(register_audit):
    messages = " ".join(f["message"] for f in register_audit.of("media.zombie"))
    # 马关教育 is 25 days behind (media.stale only); 马关旅游 was closed in August.
    assert "马关教育" not in messages and "马关旅游" not in messages
