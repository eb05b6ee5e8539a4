"""`govaudit watch` against a portal served on 127.0.0.1: the portal goes down for a while (its server
stopped) and comes back, then gets a 暗链 injected into its home page; watch alerts exactly three
times (down, back up, 暗链), once per change and not per probe, stores every probe, and the quarterly
run's site.unreachable states the probe log's own figures. A home page whose news changes, or that
links a new government site, raises nothing; one whose text is replaced does."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from portal_kit import govaudit, page, write_portal

from audit.cli.demo.server import PortalServer
from crawler.vocabulary.quarters import Quarter

NEWS = [f"县人民政府关于做好第{n}项重点工作的通知 2022-10-{n:02d}" for n in range(1, 13)]
INJECTED = '<div style="position:absolute;left:-9999px"><a href="http://bet.example.com/">澳门百家乐娱乐城</a></div>'


def _home(news: list[str], extra: str = "") -> str:
    rows = "".join(f"<li><a href='/n/{n}.html'>{line}</a></li>" for n, line in enumerate(news))
    return page(
        "测试县人民政府",
        f"<ul class='nav'><li><a href='/xxgk/'>政府信息公开</a></li></ul><ul class='news'>{rows}</ul>"
        f"<p>主办：测试县人民政府办公室</p><p>网站标识码：5326250001</p>{extra}",
    )


def _portal(root: Path) -> Path:
    pages = {"/": _home(NEWS), "/xxgk/": page("政府信息公开", "<p>政府信息公开</p>")}
    pages.update({f"/n/{n}.html": page(line, f"<p>{line}</p>") for n, line in enumerate(NEWS)})
    return write_portal(root, pages)


def _probes(db: Path) -> list[tuple]:
    try:
        with sqlite3.connect(db) as conn:
            return conn.execute("select up, error, alert from site_probe order by id").fetchall()
    except sqlite3.Error:
        return []


def _await(db: Path, watcher: subprocess.Popen, more: int, up: bool) -> None:
    """Wait until `more` further probes with state `up` are stored."""
    start = sum(1 for row in _probes(db) if bool(row[0]) == up)
    deadline = time.monotonic() + 60
    while sum(1 for row in _probes(db) if bool(row[0]) == up) < start + more:
        assert watcher.poll() is None, watcher.stderr.read()
        assert time.monotonic() < deadline, _probes(db)
        time.sleep(0.1)


def _audit_day() -> tuple[Quarter, date]:
    """A quarter and as-of day whose period holds today (Beijing): today, unless today is in a quarter's
    first month (a check then reports on the quarter before): then the first day of its second month."""
    today = (datetime.now(timezone.utc) + timedelta(hours=8)).date()
    quarter = Quarter.containing(today)
    if Quarter.reported(today) == quarter:
        return quarter, today
    return quarter, date(quarter.year, 3 * quarter.number - 1, 1)


def _quarterly(url: str, db_url: str, out: Path) -> list[dict]:
    quarter, as_of = _audit_day()
    done = govaudit(
        "run-quarterly", url, "--quarter", quarter.label, "--as-of", as_of.isoformat(), "--out", str(out),
        "--db", db_url, "--quiet", "--format", "html,json", "--no-notify",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads((out / quarter.label / "findings.json").read_text("utf-8"))


def test_watch_alerts_once_per_change_and_the_quarterly_run_judges_by_its_probes(tmp_path):
    root = _portal(tmp_path / "site")
    db = tmp_path / "watch.sqlite"
    alerts = tmp_path / "alerts.txt"
    hook = f'printf "%s|%s\\n" "$GOVAUDIT_EVENT" "$GOVAUDIT_SUMMARY" >> {alerts}'
    server = PortalServer(root).start()
    url = server.base_url
    watcher = subprocess.Popen(
        [sys.executable, "-m", "audit.cli", "watch", url, "--interval", "0.1", "--db", f"sqlite:///{db}",
         "--notify", hook, "--log-file", str(tmp_path / "watch.log")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        # A week of the national method needs 140 probes: most of them before the server stops.
        _await(db, watcher, 120, up=True)
        server.stop()
        _await(db, watcher, 12, up=False)
        server.start()  # the same port again
        _await(db, watcher, 5, up=True)
        (root / "index.html").write_text(_home(NEWS, INJECTED), encoding="utf-8")
        time.sleep(0.1)
        _await(db, watcher, 5, up=True)
    finally:
        watcher.send_signal(signal.SIGTERM)
        out, errors = watcher.communicate(timeout=60)
    assert watcher.returncode == 0, errors
    events = [line.split("|", 1) for line in alerts.read_text("utf-8").splitlines()]
    assert [event for event, _ in events] == ["down", "up", "tampered"], events
    # The probe that met the server stopping mid-answer may be reset rather than refused.
    assert "首页连接被拒绝" in events[0][1] or "首页连接被重置" in events[0][1]
    assert "疑似暗链" in events[2][1] and "bet.example.com" in events[2][1] and "百家乐" in events[2][1]
    probes = _probes(db)
    # Every probe stored; each alert on the one probe that saw the change.
    assert [row[2] is not None for row in probes].count(True) == 3
    failed = [row for row in probes if not row[0]]
    assert len(failed) >= 12 and {row[1] for row in failed} <= {"连接被拒绝", "连接被重置"}
    assert len(probes) >= 140 and f"监测结束，共探测 {len(probes)} 次" in out
    assert out.count("报警 / alert:") == 3
    assert (tmp_path / "watch.log").read_text("utf-8").count("报警 / alert:") == 3

    # The quarter judged the national way from these probes: a week of 140 or more, ≥ 5% of them failed.
    findings = _quarterly(url, f"sqlite:///{db}", tmp_path / "quarterly")
    server.stop()
    [veto] = [f for f in findings if f["rule"] == "site.unreachable"]
    total, down = len(probes), len(failed)
    share = f"{(total - down) / total * 100:.1f}%"
    assert veto["severity"] == "单项否决"
    assert f"本季度探测{total}次，不可用{down}次，可用率{share}" in veto["message"]
    assert "连接被拒绝" in veto["evidence"]


def test_news_and_a_government_link_raise_nothing_and_replaced_text_does(tmp_path):
    root = _portal(tmp_path / "site")
    db_url = f"sqlite:///{tmp_path / 'watch.sqlite'}"

    def probe_once() -> str:
        done = govaudit("watch", url, "--once", "--db", db_url)
        assert done.returncode == 0, done.stderr
        return done.stdout

    with PortalServer(root) as server:
        url = server.base_url
        assert "报警" not in probe_once()
        # Traps: a news line replaced, a link to a new government site.
        (root / "index.html").write_text(
            _home(
                ["县人民政府召开常务会议 2022-10-13", *NEWS[1:]], "<a href='http://www.yn.gov.cn/'>云南省人民政府</a>"
            ),
            encoding="utf-8",
        )
        assert "报警" not in probe_once()
        assert "报警" not in probe_once()  # unchanged: nothing new
        (root / "index.html").write_text(page("hacked", "<h1>Hacked by nobody</h1>"), encoding="utf-8")
        defaced = probe_once()
        assert defaced.count("报警 / alert:") == 1 and "首页疑似被篡改或植入暗链" in defaced
        assert "大幅变化" in defaced
        assert "报警" not in probe_once()  # the same defaced page: alerted once
        (root / "index.html").write_text(_home(NEWS), encoding="utf-8")
        findings = _quarterly(url, db_url, tmp_path / "quarterly")
    # Every probe was up (and too few to judge a week by): no site.unreachable.
    assert not [f for f in findings if f["rule"] == "site.unreachable"]


def test_watch_without_a_site_says_so_in_one_line(tmp_path):
    done = govaudit("watch", "--once", "--db", f"sqlite:///{tmp_path / 'w.sqlite'}")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "没有要监测的网站" in done.stderr
    bad = govaudit("watch", "ftp://x/", "--once", "--db", f"sqlite:///{tmp_path / 'w.sqlite'}")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
