"""Click paths (issue 26): a column found too deep names the links a reader clicks from the home page,
the same words in the terminal, the bulletin and the finding; a column not found says so everywhere,
with no path; a found column's path is shown beside its address."""

from __future__ import annotations

from portal_kit import audit_pages, list_page, page

DEEP = "位于第4层（首页 › 政务服务 › 办事指南 › 其他服务 › 行政许可事项清单），超过3次点击可达的要求"


def _portal() -> dict[str, str]:
    return {
        "/index.html": page(
            "测试县人民政府",
            "<ul class='nav'><li><a href='/zwfw/index.html'>政务服务</a></li>"
            "<li><a href='/xxgk/index.html'>政府信息公开</a></li></ul>"
            # An article one click from home that also links 办事指南: not the path a reader takes.
            "<ul class='news'><li><a href='/zwfw/2022/a.html'>关于调整办事指南的通知</a><span>2022-10-10</span></li></ul>",
        ),
        "/zwfw/2022/a.html": page("关于调整办事指南的通知", "<p><a href='/zwfw/bszn/index.html'>办事指南</a></p>"),
        "/zwfw/index.html": page("政务服务", "<a href='/zwfw/bszn/index.html'>办事指南</a>"),
        "/zwfw/bszn/index.html": page("办事指南", "<a href='/zwfw/bszn/qt/index.html'>其他服务</a>"),
        "/zwfw/bszn/qt/index.html": page("其他服务", "<a href='/zwfw/xzxk/index.html'>行政许可事项清单</a>"),
        "/zwfw/xzxk/index.html": list_page("行政许可事项清单", [("清单", "/zwfw/xzxk/1.html", "2022-09-01")]),
        "/zwfw/xzxk/1.html": page("清单", "<p>清单</p>"),
        "/xxgk/index.html": page("政府信息公开", "<a href='/xxgk/jbml/index.html'>基本目录</a>"),
        "/xxgk/jbml/index.html": list_page("基本目录", [("机构职能", "/xxgk/jbml/1.html", "2022-09-20")]),
        "/xxgk/jbml/1.html": page("机构职能", "<p>机构职能</p>"),
    }


def test_found_too_deep_and_not_found_read_the_same_in_terminal_bulletin_and_findings(tmp_path):
    result = audit_pages(tmp_path, _portal())
    assert result.returncode == 0, result.stderr
    lines = {line.split("（", 1)[0].strip(): line for line in result.stdout.splitlines() if line.startswith("  ")}
    # The column table is in the technical file beside the 通报.
    html = (result.out_dir / "technical.html").read_text("utf-8")
    findings = {f["column"]: f for f in result.of("column.missing")}

    # Found too deep: the path in link texts, never 未找到.
    assert f"{DEEP}，按未设置计" in lines["行政许可事项清单专栏"]
    assert f"{DEEP}，按未设置计" in html
    assert DEEP in findings["xzxk"]["message"]

    # Not found: 未找到 in each, and no path.
    assert "3次点击内未找到该栏目" in lines["利企惠民政策专区"] and "›" not in lines["利企惠民政策专区"]
    assert findings["lqhm"]["message"] == "未找到「利企惠民政策专区」栏目" and "›" not in findings["lqhm"]["evidence"]
    assert "3次点击内未找到该栏目" in html

    # Found within reach: its path beside its address, and no column.missing.
    assert "（首页 › 政府信息公开 › 基本目录）" in lines["政府信息公开基本目录"] and "jbml" not in findings
    assert "首页 › 政府信息公开 › 基本目录" in html
