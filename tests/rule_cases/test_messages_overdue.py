"""messages.overdue: 网民留言 unanswered or answered after 30 days."""


def test_fires_for_the_unanswered_and_the_late_answer(register_audit):
    found = {f["url"].rsplit("/", 1)[1]: f for f in register_audit.of("messages.overdue")}
    assert set(found) == {"ZC2022080101", "ZC2022070502"}
    assert "已75天未答复" in found["ZC2022080101"]["message"]
    assert "用时46天" in found["ZC2022070502"]["message"]


def test_quiet_within_the_limit_and_on_the_thirtieth_day(register_audit):
    urls = " ".join(f["url"] for f in register_audit.of("messages.overdue"))
    assert "ZC2022092503" not in urls and "ZC2022081004" not in urls


def test_the_callers_phone_number_never_reaches_an_output(register_audit):
    finding = next(f for f in register_audit.of("messages.overdue") if f["url"].endswith("ZC2022080101"))
    assert "13812345678" not in finding["evidence"] and "138" in finding["evidence"]
    html = (register_audit.out_dir / "bulletin.html").read_text("utf-8")
    assert "13812345678" not in html
