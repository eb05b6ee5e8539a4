"""The bulletin in a real headless browser: it renders, crawled text stays text, no script runs,
and personal data in evidence is masked."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from portal_kit import audit_pages, doc_page, page

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
HOSTILE_TITLE = (
    "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">联系人13812345678的通知"
)

PORTAL = {
    "/index.html": page(
        "首页",
        '<a href="/xxgk/gfxwj/">规范性文件</a><ul><li><a href="/d/1.html">新闻</a><span>2022-10-10</span></li></ul>',
    ),
    "/d/1.html": page("新闻", "<p>内容</p>"),
    "/xxgk/gfxwj/": page(
        "规范性文件",
        '<ul class="list">'
        '<li><a href="/xxgk/gfxwj/1001.html">关于印发测试县某某管理办法的通知</a><span>2022-09-01</span></li>'
        "</ul>",
    ),
    "/xxgk/gfxwj/1001.html": doc_page(HOSTILE_TITLE, doc_number="测政规〔2022〕9号"),
}


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is required in CI (scripts/test.sh installs Debian's chromium)")
        pytest.skip("chromium is not installed")
    return found


def _headless(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
    ]
    return subprocess.run([chromium, *flags, *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def bulletin(tmp_path_factory):
    result = audit_pages(tmp_path_factory.mktemp("hostile"), PORTAL)
    assert result.returncode == 0, result.stderr
    return result.out_dir / "bulletin.html"


def test_crawled_markup_is_escaped_and_masked_in_the_file(bulletin):
    html = bulletin.read_text("utf-8")
    assert "<script>document.title" not in html
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in html
    assert "13812345678" not in html and "138****5678" in html


def test_no_export_carries_the_full_number(bulletin):
    findings = (bulletin.parent / "findings.json").read_text("utf-8")
    assert "13812345678" not in findings and "138****5678" in findings


def test_renders_in_chromium_without_running_crawled_script(bulletin, tmp_path):
    chromium = _chromium()
    dumped = _headless(chromium, tmp_path / "profile", "--dump-dom", bulletin.as_uri())
    assert dumped.returncode == 0, dumped.stderr
    dom = dumped.stdout
    assert "关于2022年第三季度政府网站监测情况的通报</title>" in dom
    assert "pwned</title>" not in dom
    assert "<script" not in dom.lower()
    assert "&lt;script&gt;" in dom
    assert "label.missing" in (bulletin.parent / "technical.html").read_text("utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "bulletin-first-page.png"
    shot.unlink(missing_ok=True)
    taken = _headless(
        chromium, tmp_path / "profile2", f"--screenshot={shot}", "--window-size=1240,1754", bulletin.as_uri()
    )
    assert taken.returncode == 0 and shot.stat().st_size > 10_000
