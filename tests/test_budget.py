"""Reading on a budget (issue 15 rows 3-7 and 13): hostile pages and attachments served on
127.0.0.1 (tests/hostile_server.py) and crawled for real. Each is read in bounded time and memory
or recorded as 未能读取（超时/过大）, and the crawl goes on."""

import json
import sqlite3
import subprocess
import sys
import time

import pytest
from hostile_server import ID_NUMBER, deep_font_page, hostile_portal, many_links_page
from stored_views import readable

from crawler.crawl.budget import TOO_BIG, TOO_SLOW, ReaderPool
from crawler.reading import read_page

# Peak RSS of the audit's largest process (crawler or reader): the 768 MB reader cap, with room.
MAX_PROCESS_RSS_MB = 900
# The test portal's reading budget (CPU seconds): the 10k-link page needs ~1.5 s, the 200k-link
# page far more.
CONFIG = """crawl:
  read_seconds: 8
  attachments_inflated_mb: 400
"""


def _audit_with_peak_rss(*args: str) -> tuple[subprocess.CompletedProcess, float]:
    """Run govaudit; the peak RSS in MB of its largest process (reader processes included)."""
    probe = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:])\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
        "sys.exit(done.returncode)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, sys.executable, "-m", "audit.cli", *args],
        capture_output=True,
        text=True,
        timeout=600,
    )
    peak_kb = int(done.stderr.strip().splitlines()[-1])
    return done, peak_kb / 1024


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    work = tmp_path_factory.mktemp("hostile")
    (work / "config.yaml").write_text(CONFIG, "utf-8")
    with hostile_portal() as server:
        started = time.monotonic()
        done, peak_mb = _audit_with_peak_rss(
            "audit",
            server.base_url,
            "--as-of",
            "2022-10-15",
            "--out",
            str(work / "out"),
            "--config",
            str(work / "config.yaml"),
            "--db",
            f"sqlite:///{work / 'a.sqlite'}",
            "--quiet",
            "--timeout",
            "3",
        )
        elapsed = time.monotonic() - started
        base = server.base_url
    db = readable(sqlite3.connect(work / "a.sqlite"))
    pages = {
        url.removeprefix(base): {"status": status, "unread": unread, "text": text, "is_list": is_list}
        for url, status, unread, text, is_list in db.execute("SELECT url, status, unread, text, is_list FROM page_read")
    }
    findings = json.loads((work / "out" / "findings.json").read_text("utf-8"))
    return {
        "done": done,
        "elapsed": elapsed,
        "peak_mb": peak_mb,
        "pages": pages,
        "db": db,
        "base": base,
        "findings": findings,
    }


def test_the_crawl_finishes_in_bounded_time_and_memory(hostile):
    assert hostile["done"].returncode == 0, hostile["done"].stderr
    assert "Traceback" not in hostile["done"].stderr
    assert hostile["elapsed"] < 120
    assert hostile["peak_mb"] < MAX_PROCESS_RSS_MB


def test_a_page_over_its_time_budget_is_recorded_and_the_crawl_goes_on(hostile):
    """200k links (150k after the 5 MB cap): far more than 8 s of CPU. Stored, marked, not followed."""
    page = hostile["pages"]["many-links.html"]
    assert page["status"] == 200 and page["unread"] == TOO_SLOW
    assert hostile["pages"][""]["unread"] is None  # the home page, read before and after


def test_a_page_of_ten_thousand_links_is_read(hostile):
    page = hostile["pages"]["links.html"]
    assert page["unread"] is None and page["is_list"]
    rows = (
        hostile["db"]
        .execute("SELECT count(*) FROM list_item WHERE main_list AND page_url = ?", (hostile["base"] + "links.html",))
        .fetchone()[0]
    )
    assert rows == 10_000


def test_text_after_two_thousand_unclosed_tags_reaches_the_privacy_rule(hostile):
    found = [f for f in hostile["findings"] if f["rule"] == "privacy.id_number"]
    assert [f["url"].removeprefix(hostile["base"]) for f in found] == ["deep-font.html"]


def test_a_spreadsheet_claiming_a_million_rows_is_read(hostile):
    page = hostile["pages"]["files/wide.xlsx"]
    assert page["unread"] is None and page["text"] == "补助名单\n末格"


def test_a_pdf_whose_pages_share_one_huge_stream_is_read_once(hostile):
    page = hostile["pages"]["files/pages.pdf"]
    assert page["status"] == 200 and page["unread"] is None


def test_word_files_inflating_to_hundreds_of_megabytes_are_too_big(hostile):
    for name in ("files/bomb-a.docx", "files/bomb-b.docx"):
        page = hostile["pages"][name]
        assert page["status"] == 200 and page["unread"] == TOO_BIG and page["text"] is None
    # Not a fetch failure: the file is there, only not read.
    assert not [f for f in hostile["findings"] if f["rule"] == "link.broken"]


def test_list_reading_is_linear_in_the_number_of_links():
    """It was quadratic: 10k links 31 s, 20k 147 s."""

    def cpu_seconds(count: int) -> float:
        body = many_links_page(count)
        started = time.process_time()
        reading = read_page(body, "http://x.gov.cn/list.html")
        assert len(reading.list_items) == count
        return time.process_time() - started

    small, large = cpu_seconds(2_000), cpu_seconds(20_000)
    assert large < 25 * max(small, 0.01)  # 10x the links: linear ~10x, quadratic ~100x


def test_deep_nesting_of_any_tag_keeps_the_rest_of_the_page():
    for tag in ("font", "div", "table", "span class=x"):
        body = deep_font_page(2100).replace(b"<font>", f"<{tag}>".encode())
        assert ID_NUMBER in read_page(body, "http://x.gov.cn/a.html").text


def test_the_pool_survives_slow_and_greedy_work():
    pool = ReaderPool(1, seconds=1, memory_mb=300)
    try:
        assert pool.run(divmod, 7, 2).value == (3, 1)
        started = time.monotonic()
        assert pool.run(time.sleep, 30).unread == TOO_SLOW
        assert time.monotonic() - started < 15  # no CPU used: the wall-clock backstop, 10x the budget
        assert pool.run(sum, range(10**12)).unread == TOO_SLOW  # the CPU budget
        assert pool.run(bytearray, 400 * 1024 * 1024).unread == TOO_BIG
        assert pool.run(divmod, 9, 2).value == (4, 1)  # a fresh worker took over
    finally:
        pool.close()
