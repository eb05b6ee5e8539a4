"""media.stale: operating accounts without a post in the 14 days before as-of (2022-10-15)."""


def _accounts(audit, rule):
    return {f["message"].split("「")[1].split("」")[0] for f in audit.of(rule)}


def test_fires_on_operating_accounts_silent_for_two_weeks(register_audit):
    assert register_audit.returncode == 0, register_audit.stderr
    assert _accounts(register_audit, "media.stale") == {"马关教育", "八寨镇发布"}
    finding = next(f for f in register_audit.of("media.stale") if "马关教育" in f["message"])
    assert finding["severity"] == "单项否决" and "已25天未更新" in finding["message"]
    assert finding["units"] == ["县教育体育局"]


def test_quiet_for_recent_closed_and_not_yet_opened_accounts(register_audit):
    quiet = _accounts(register_audit, "media.stale")
    # posted 2022-10-12 / 10-10 / 10-14 / 10-03; closed 2022-08-01; opened after as-of.
    assert not quiet & {"马关发布", "马关司法", "马关卫健", "马关应急", "马关旅游", "马关融媒"}


def test_quiet_without_an_imported_register(unimported_audit):
    assert unimported_audit.returncode == 0, unimported_audit.stderr
    assert not [f for f in unimported_audit.findings if f["rule"].split(".")[0] in ("media", "hotline", "messages")]
