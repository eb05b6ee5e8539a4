"""公开属性 labels in the shapes real templates print them, read through a served portal.

Positive: a quoted label line (“此件删减后公开”) and a label leading the page's tool line
(【此件公开发布】【打印本页】【关闭窗口】) are labels — no label.missing, and a not-public one
on the tool line fires label.not_public. Traps: the four labels quoted inside prose, a prose line
ending in a quoted label, and a tool line without a label are not labels.
"""

from __future__ import annotations

from pathlib import Path

from tests.portal_kit import audit_pages, doc_page, list_page

TOOLS = '<div class="art-foot">{label}<a href="javascript:window.print()">【打印本页】</a><a href="javascript:window.close()">【关闭窗口】</a></div>'
PROSE_QUOTES = (
    "<p>本机关制发公文时，在“此件公开发布”“此件删减后公开”“此件依申请公开”“此件不公开”中确定公开属性。</p>"
    "<p>涉及国家秘密的公文，不得标注为“此件不公开”</p>"
)

DOCS = {
    # (title, 文号, body, label line) — label lines go where the template prints them
    "1": ("关于做好秋季森林防火工作的通知", "测政发〔2022〕21号", "", "“此件删减后公开”"),
    "2": (
        "关于调整县政府领导工作分工的通知",
        "测政发〔2022〕20号",
        TOOLS.format(label="<span>【此件公开发布】</span>"),
        "",
    ),
    "3": (
        "关于印发防汛抗旱应急预案的通知",
        "测政发〔2022〕19号",
        TOOLS.format(label="<span>【此件依申请公开】</span>"),
        "",
    ),
    "4": ("关于规范公文公开属性认定工作的通知", "测政发〔2022〕18号", PROSE_QUOTES, ""),
    "5": ("关于做好国庆节期间有关工作的通知", "测政发〔2022〕17号", TOOLS.format(label=""), ""),
}


def _portal() -> dict[str, str]:
    pages = {"/": list_page("测试县人民政府", [("县政府文件", "/xzfwj/", None)])}
    rows = []
    for key, (title, number, extra, label) in DOCS.items():
        body = "<p>各乡（镇）人民政府，县直各部门：现将有关事项通知如下。</p>" + extra
        pages[f"/xzfwj/{key}.html"] = doc_page(
            title, doc_number=number, published="2022-09-0" + key, body=body, label_line=label
        )
        rows.append((title, f"/xzfwj/{key}.html", "2022-09-0" + key))
    pages["/xzfwj/"] = list_page("县政府文件", rows)
    return pages


def test_label_variants_of_real_templates(tmp_path: Path):
    result = audit_pages(tmp_path, _portal())
    assert result.returncode == 0, result.stderr
    # quoted label line and label before the tools are read; prose quotes and bare tools are not
    assert result.paths("label.missing") == {"/xzfwj/4.html", "/xzfwj/5.html"}
    assert result.paths("label.not_public") == {"/xzfwj/3.html"}
