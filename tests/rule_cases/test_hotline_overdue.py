"""hotline.overdue: one finding per unit with overdue tickets, with its on-time rate."""


def test_fires_once_for_the_unit_with_late_and_open_overdue_tickets(register_audit):
    [finding] = register_audit.of("hotline.overdue")
    assert finding["units"] == ["县住房和城乡建设局"]
    assert "4件" in finding["message"] and "超期2件" in finding["message"] and "50.0%" in finding["message"]
    # Closed 3 days late, and open past its deadline; not the one due after as-of, not the one closed on the day.
    assert "MG20220901001" in finding["evidence"] and "MG20220920002" in finding["evidence"]
    assert "MG20221010003" not in finding["evidence"] and "MG20220905004" not in finding["evidence"]


def test_quiet_for_a_unit_whose_tickets_were_all_on_time(register_audit):
    assert all("县教育体育局" not in f["message"] for f in register_audit.of("hotline.overdue"))
