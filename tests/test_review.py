"""`govaudit review RUN` (issue 25): the clerk marks each problem 确认 or 排除（理由）on a page served on
127.0.0.1, clicked in a real headless Chromium; the decisions are stored, change the bulletin and the
问题清单, are carried to the next quarter and make the office's own precision per rule. The server
answers only this machine and only the page it served (a per-session token on every POST)."""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from browser import Browser
from portal_kit import doc_page, govaudit, list_page, page, serve_portal, write_portal

from crawler.reading.browser import find_chromium

needs_chromium = pytest.mark.skipif(find_chromium() is None, reason="needs Chromium")

REASON = "该页面为内部传阅件的存档说明，不是公文正文"

PORTAL = {
    "/": page("首页", '<a href="/xxgk/">政务公开</a> <a href="/xxgk/tzgg/">通知公告</a>'),
    "/xxgk/": list_page("政务公开", [("通知公告", "/xxgk/tzgg/", None)]),
    "/xxgk/tzgg/": list_page(
        "通知公告",
        [
            ("关于粮食储备的通知", "/xxgk/tzgg/a1.html", "2022-08-15"),
            ("关于道路养护的通知", "/xxgk/tzgg/a2.html", "2022-08-16"),
        ],
    ),
    "/xxgk/tzgg/a1.html": doc_page("关于粮食储备的通知", label_line="（此件不公开）"),
    "/xxgk/tzgg/a2.html": doc_page("关于道路养护的通知", label_line="（此件公开发布）"),
}


class Audited:
    """The test portal audited for two quarters into one database."""

    def __init__(self, work: Path):
        self.work = work
        self.db = work / "audit.sqlite"
        self.db_url = f"sqlite:///{self.db}"
        self.site = write_portal(work / "site", PORTAL)

    def audit(self, as_of: str) -> list[dict]:
        out = self.work / f"out-{as_of}"
        with serve_portal(self.site) as portal:
            done = govaudit(
                "audit", portal.base_url, "--as-of", as_of, "--out", str(out), "--db", self.db_url, "--quiet"
            )
        assert done.returncode == 0, done.stderr
        return json.loads((out / "findings.json").read_text("utf-8"))

    def report(self, run: int, name: str) -> tuple[str, list[dict]]:
        out = self.work / name
        done = govaudit("report", str(run), "--out", str(out), "--db", self.db_url, "--format", "html,json")
        assert done.returncode == 0, done.stderr
        return (out / "bulletin.html").read_text("utf-8"), json.loads((out / "findings.json").read_text("utf-8"))

    def stored_decisions(self) -> list[tuple]:
        with sqlite3.connect(self.db) as conn:
            return conn.execute(
                "select run_id, fingerprint, rule, decision, reason, reviewer from review_decision"
            ).fetchall()


class ReviewProcess:
    """`govaudit review RUN` running, its address read from its first line."""

    def __init__(self, audited: Audited, run: int, *extra: str):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "audit.cli",
                "review",
                str(run),
                "--db",
                audited.db_url,
                "--reviewer",
                "李四",
                *extra,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        first = self.process.stdout.readline()
        assert "http://127.0.0.1:" in first, first + self.process.stderr.read()
        self.url = re.search(r"http://127\.0\.0\.1:\d+/", first).group(0)
        self.origin = ("127.0.0.1", int(self.url.rsplit(":", 1)[1].rstrip("/")))

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGTERM)
        _, stderr = self.process.communicate(timeout=30)
        return self.process.returncode, stderr

    def page_token(self) -> str:
        html = urllib.request.urlopen(self.url, timeout=30).read().decode("utf-8")
        return html.split('name="token" value="', 1)[1].split('"', 1)[0]


def post(url: str, fields: dict, headers: dict | None = None) -> int:
    request = urllib.request.Request(
        url + "decide", data=urllib.parse.urlencode(fields).encode(), headers=headers or {}, method="POST"
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        return urllib.request.build_opener(NoRedirect).open(request, timeout=30).status
    except urllib.error.HTTPError as exc:
        return exc.code


def problem_count(bulletin: str) -> int:
    """The bulletin's 共发现（网站）问题N个."""
    return int(re.search(r"共发现(?:网站)?问题(\d+)个", bulletin).group(1))


def fingerprint(findings: list[dict], rule: str, path: str = "") -> str:
    [found] = [f for f in findings if f["rule"] == rule and f["url"].endswith(path)]
    return found["fingerprint"]


@pytest.fixture(scope="module")
def audited(tmp_path_factory) -> Audited:
    audited = Audited(tmp_path_factory.mktemp("review"))
    audited.findings = audited.audit("2022-10-15")
    return audited


@needs_chromium
def test_the_clerk_excludes_and_confirms_by_clicking_and_the_next_quarter_arrives_pre_marked(audited):
    findings = audited.findings
    excluded = fingerprint(findings, "page.meta_missing", "/a2.html")
    veto = fingerprint(findings, "label.not_public")
    bulletin_before, findings_before = audited.report(1, "before")
    review = ReviewProcess(audited, 1)
    try:
        with Browser(review.origin) as browser:
            browser.open(review.url)
            assert "问题核查" in browser.text("h1")
            assert browser.evaluate("document.querySelectorAll('article').length") == len(findings)
            # The label veto waits for a person before it counts.
            assert "待核实" in browser.text(f"#p-{veto}")
            # 排除 without a reason is refused and nothing is stored.
            browser.click(f"#exclude-{excluded}")
            browser.click(f"#save-{excluded}", navigates=True)
            assert "须写明理由" in browser.text("#error")
            assert audited.stored_decisions() == []
            # 排除 with a reason, then 确认 of the veto, each by clicking.
            browser.click(f"#exclude-{excluded}")
            browser.type(f"#reason-{excluded}", REASON)
            browser.click(f"#save-{excluded}", navigates=True)
            browser.click(f"#confirm-{veto}")
            browser.click(f"#save-{veto}", navigates=True)
            assert f"已排除，理由：{REASON}（李四" in browser.text(f"#p-{excluded}")
            assert "已确认（李四" in browser.text(f"#p-{veto}")
            assert f"已核查2个，共{len(findings)}个问题" in browser.text("#progress")
            # The kept copy of the page opens from the review page.
            browser.open(f"{review.url}copy/{veto}")
            assert "本副本为检查时保存的页面" in browser.text()
            assert "关于粮食储备的通知" in browser.text()
    finally:
        code, stderr = review.stop()
    assert code == 0, stderr
    assert "核查页面已关闭" in stderr
    stored = {row[1]: row for row in audited.stored_decisions()}
    assert stored[excluded] == (1, excluded, "page.meta_missing", "排除", REASON, "李四")
    assert stored[veto] == (1, veto, "label.not_public", "确认", "", "李四")

    # The excluded problem leaves findings.json and the bulletin's count; the confirmed one says so.
    bulletin_after, findings_after = audited.report(1, "after")
    assert excluded in {f["fingerprint"] for f in findings_before}
    assert excluded not in {f["fingerprint"] for f in findings_after}
    assert len(findings_after) == len(findings_before) - 1
    assert {f["fingerprint"]: f["review"] for f in findings_after}[veto] == "确认"
    assert problem_count(bulletin_after) == problem_count(bulletin_before) - 1
    audited.unreviewed_bulletins = (bulletin_before, bulletin_after)

    # The next quarter's review page shows the exclusion pre-marked with last quarter's reason.
    # The carried exclusion already keeps it out of that quarter's 问题清单.
    audited.findings_q4 = audited.audit("2023-01-15")
    assert excluded not in {f["fingerprint"] for f in audited.findings_q4}
    review = ReviewProcess(audited, 2)
    try:
        with Browser(review.origin) as browser:
            browser.open(review.url)
            text = browser.text(f"#p-{excluded}")
            assert "沿用2022年第三季度的排除" in text and REASON in text
            assert browser.evaluate(f"document.querySelector('#exclude-{excluded}').checked") is True
            assert browser.evaluate(f"document.querySelector('#reason-{excluded}').value") == REASON
            # A confirmation is not carried: the veto waits for this quarter's reviewer again.
            assert "待核实" in browser.text(f"#p-{veto}")
    finally:
        review.stop()


def test_posts_without_the_page_token_or_from_another_origin_are_refused(audited, tmp_path):
    findings = audited.findings
    target = fingerprint(findings, "page.meta_missing", "/a1.html")
    before = audited.stored_decisions()
    review = ReviewProcess(audited, 1)
    try:
        token = review.page_token()
        fields = {"fingerprint": target, "decision": "排除", "reason": "误报"}
        assert post(review.url, fields) == 403
        assert post(review.url, {**fields, "token": "x" * 40}) == 403
        assert post(review.url, {**fields, "token": token}, {"Origin": "http://evil.example"}) == 403
        request = urllib.request.Request(review.url, headers={"Host": "rebound.example"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        assert refused.value.code == 403
        assert post(review.url, {**fields, "token": token, "fingerprint": "0" * 16}) == 400
        assert post(review.url, {**fields, "token": token, "decision": "删除"}) == 400
        assert audited.stored_decisions() == before
        # The page's own token is accepted.
        assert post(review.url, {**fields, "token": token}, {"Origin": review.url.rstrip("/")}) == 303
    finally:
        review.stop()
    assert (1, target, "page.meta_missing", "排除", "误报", "李四") in audited.stored_decisions()


def test_the_server_listens_on_loopback_only_on_a_free_port(audited):
    from audit.cli.review import ReviewServer
    from audit.config import load_settings
    from audit.store import Store

    store = Store(audited.db_url)
    servers = [ReviewServer(store, store.run(1), load_settings(None), "李四").start() for _ in range(2)]
    try:
        addresses = [server._httpd.server_address for server in servers]
    finally:
        for server in servers:
            server.stop()
        store.engine.dispose()
    assert all(host == "127.0.0.1" and port > 0 for host, port in addresses)
    assert addresses[0][1] != addresses[1][1]


def test_review_refuses_bad_arguments_in_one_line(audited):
    for args, words in (
        (("review",), "RUN_ID"),
        (("review", "99"), "没有编号为 99 的检查"),
        (("review", "1", "--stats"), "二者之一"),
        (("review", "1", "--reviewer", " "), "--reviewer"),
    ):
        done = govaudit(*args, "--db", audited.db_url)
        assert done.returncode == 2, (args, done.stderr)
        assert words in done.stderr and "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1


def test_the_terminal_flow_finishes_the_review_and_the_stats_count_only_reviewed_runs(audited):
    """After the tests above run 1 has some decisions: --stats counts no run until every problem of it is
    decided; the terminal flow asks about the rest (an exclusion needs a reason: asked again when empty)."""
    assert "尚无经人工核查的检查" in govaudit("review", "--stats", "--db", audited.db_url).stdout
    decided = {row[1] for row in audited.stored_decisions() if row[0] == 1}
    left = [f for f in audited.findings if f["fingerprint"] not in decided]
    assert left, "the tests above leave problems of run 1 undecided"
    answers = "n\n\n栏目已于检查后补建\n" + "y\n" * (len(left) - 1)
    done = subprocess.run(
        [sys.executable, "-m", "audit.cli", "review", "1", "--terminal", "--db", audited.db_url, "--reviewer", "王五"],
        input=answers,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert f"检查 1：{len(left)} 个问题待核查" in done.stdout
    assert "全部核查完毕" in done.stdout
    assert done.stdout.count("排除理由") == 2  # asked again after the empty answer
    stored = [row for row in audited.stored_decisions() if row[0] == 1]
    assert len(stored) == len(audited.findings)
    assert (left[0]["rule"], "排除", "栏目已于检查后补建", "王五") in {row[2:] for row in stored}

    stats = govaudit("review", "--stats", "--db", audited.db_url)
    assert stats.returncode == 0, stats.stderr
    assert "经人工核查的检查 1 次" in stats.stdout
    lines = {line.split()[0]: line.split()[1:4] for line in stats.stdout.splitlines()[2:]}
    excluded = Counter(row[2] for row in stored if row[3] == "排除")
    confirmed = Counter(row[2] for row in stored if row[3] == "确认")
    for rule in set(excluded) | set(confirmed):
        total = confirmed[rule] + excluded[rule]
        assert lines[rule] == [str(confirmed[rule]), str(excluded[rule]), f"{confirmed[rule] / total:.0%}"]
    # Run 2 (the next quarter, not reviewed) adds nothing.
    assert all(row[0] == 1 for row in audited.stored_decisions())


def test_the_bulletin_says_人工核查_only_for_a_reviewed_run_and_the_technical_file_lists_the_decisions(audited):
    """Run 1: partly decided (test 1), then every problem decided (the terminal test); run 2: only a
    carried exclusion, nobody decided. The wording is the configured one (bulletin.review_wording)."""
    from audit.config import load_settings

    wording = load_settings(None).bulletin.review_wording
    for bulletin in audited.unreviewed_bulletins:
        assert wording.unreviewed in bulletin and wording.reviewed not in bulletin
        assert "经人工核查确认" not in bulletin and "相结合" not in bulletin
    bulletin, _ = audited.report(1, "reviewed")
    assert wording.reviewed in bulletin and wording.unreviewed not in bulletin
    technical = (audited.work / "reviewed" / "technical.html").read_text("utf-8")
    assert "核查记录" in technical and REASON in technical and "李四" in technical and "王五" in technical
    assert "各规则误报情况" in technical and "page.meta_missing" in technical
    bulletin_q4, _ = audited.report(2, "next-quarter")
    assert wording.unreviewed in bulletin_q4 and wording.reviewed not in bulletin_q4
    technical_q4 = (audited.work / "next-quarter" / "technical.html").read_text("utf-8")
    assert "沿用2022年第三季度" in technical_q4 and REASON in technical_q4
