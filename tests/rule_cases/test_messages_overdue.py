"""messages.overdue: 网民留言 unanswered or answered after 30 days."""


def test_fires_for_the_unanswered_and_the_late_answer(register_audit):
    found = {f["url"].rsplit("/", 1)[1]: f for f in register_audit.of("messages.overdue")}
    assert set(found) == {"ZC2022080101", "ZC2022070502"}
    assert "已75天未答复" in found["ZC2022080101"]["message"]
    assert "用时46天" in found["ZC2022070502"]["message"]


def test_quiet_within_the_limit_and_on_the_thirtieth_day(register_audit):
    urls = " ".join(f["url"] for f in register_audit.of("messages.overdue"))
    assert "ZC2022092503" not in urls and "ZC2022081004" not in urls


def test_the_callers_name_and_phone_number_never_reach_an_output(register_audit):
    """市民张三（13812345678）反映… is printed 网民反映… (issue 25): not the name, not the number even masked."""
    finding = next(f for f in register_audit.of("messages.overdue") if f["url"].endswith("ZC2022080101"))
    assert finding["evidence"] == "网民反映网站招聘栏目链接打不开"
    html = (register_audit.out_dir / "bulletin.html").read_text("utf-8")
    assert "网民反映网站招聘栏目链接打不开" in html and "138****5678" not in html and "张三" not in html
