"""A county whose 政府信息公开 platform is its own sub-site (here: the same pages served as `localhost`,
another host than the portal's 127.0.0.1), audited for real.

The crawler stays on the portal's host, so the platform's columns are not seen: column.missing
says 未能完整检查 for them instead of naming them 缺失 — and fires as before when the off-site link
is not a disclosure platform.
"""

from __future__ import annotations

import json
from pathlib import Path

from audit.cli.demo.server import serve_portal
from tests.portal_kit import govaudit, list_page, write_portal


def _platform(root: Path) -> Path:
    return write_portal(
        root,
        {
            "/xxgk/": list_page(
                "政府信息公开",
                [
                    ("政府信息公开基本目录", "/xxgk/jbml/", None),
                    ("规范性文件", "/xxgk/gfxwj/", None),
                    ("公共企事业单位信息公开", "/xxgk/ggqsy/", None),
                    ("行政许可事项清单", "/xxgk/xzxk/", None),
                ],
            ),
            "/xxgk/jbml/": list_page("政府信息公开基本目录", [("机构职能", "/xxgk/jbml/1.html", "2022-09-01")]),
            "/xxgk/gfxwj/": list_page("规范性文件", []),
            "/xxgk/ggqsy/": list_page("公共企事业单位信息公开", []),
            "/xxgk/xzxk/": list_page("行政许可事项清单", []),
        },
    )


def _audit(work: Path, platform_text: str) -> list[dict]:
    with serve_portal(_platform(work / "platform")) as platform:
        xxgk = f"http://localhost:{platform.port}/xxgk/"
        portal = write_portal(
            work / "portal",
            {
                "/": list_page(
                    "测试县人民政府", [("利企惠民政策专区", "/zt/lqhm/", None), (platform_text, xxgk, None)]
                ),
                "/zt/lqhm/": list_page("利企惠民政策专区", [("惠企政策十条", "/zt/lqhm/1.html", "2022-09-20")]),
            },
        )
        with serve_portal(portal) as site:
            out = work / "out"
            done = govaudit(
                "audit",
                site.base_url,
                "--as-of",
                "2022-10-15",
                "--out",
                str(out),
                "--db",
                f"sqlite:///{work / 'audit.sqlite'}",
                "--quiet",
            )
    assert done.returncode == 0, done.stderr
    return json.loads((out / "findings.json").read_text("utf-8"))


def test_columns_on_a_disclosure_subsite_are_not_named_missing(tmp_path: Path):
    findings = _audit(tmp_path, "政府信息公开")
    assert [f for f in findings if f["rule"] == "column.missing"] == []
    technical = (tmp_path / "out" / "technical.html").read_text("utf-8")
    assert "未能完整检查" in technical


def test_an_offsite_link_that_is_no_platform_leaves_the_columns_missing(tmp_path: Path):
    findings = _audit(tmp_path, "中国政府网")
    missing = sorted(f["column"] for f in findings if f["rule"] == "column.missing")
    assert missing == ["gfxwj", "ggqsy", "jbml", "xzxk"]
