"""label.conflict: a 公文 carries one label, not two different ones."""


def test_fires_for_two_different_labels(label_audit):
    [finding] = label_audit.of("label.conflict")
    assert finding["url"] == label_audit.base_url + "xxgk/gfxwj/conflict.html"
    assert "此件公开发布" in finding["evidence"] and "此件删减后公开" in finding["evidence"]
    assert finding["column"] == "gfxwj"


def test_quiet_for_the_same_label_written_twice(label_audit):
    assert "/xxgk/gfxwj/twice.html" not in label_audit.paths("label.conflict")
