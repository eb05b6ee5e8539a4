"""media.no_interaction: 互动渠道 = 否 fails the account; a blank cell is not a finding."""


def test_fires_when_the_register_says_no_interaction(register_audit):
    [finding] = register_audit.of("media.no_interaction")
    assert "马关卫健" in finding["message"] and finding["severity"] == "单项否决"


def test_blank_interaction_cell_is_not_a_finding(register_audit):
    # 马关应急 leaves 互动渠道 blank; 马关融媒 (blank too) opens after as-of.
    assert all(
        "马关应急" not in f["message"] and "马关融媒" not in f["message"]
        for f in register_audit.of("media.no_interaction")
    )
