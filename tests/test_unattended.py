"""Running govaudit without a person watching: `demo --serve` as a stand-in portal, `scrapy crawl`
typed by hand, log files, `schedule` and the notify hook — through the real CLI, real loopback
HTTP and real shell commands."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from portal_kit import govaudit, page, signal_when_stored, write_portal
from test_resume import slow_portal  # noqa: F401 — the sample portal, each answer a little late

from audit.cli.demo.server import SAMPLE_PORTAL, serve_portal
from audit.run.logfile import redact

REPO = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve_demo(port: int) -> tuple[subprocess.Popen, str]:
    """`govaudit demo --serve --port PORT` running, and the URL it printed."""
    server = subprocess.Popen(
        [sys.executable, "-m", "audit.cli", "demo", "--serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    first = server.stdout.readline()
    assert "sample portal" in first, server.stderr.read() if server.poll() is not None else first
    return server, first.split(": ", 1)[1].split("（")[0]


@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 0)])
def test_demo_serve_keeps_the_sample_portal_up_until_stopped(signum, code):
    port = _free_port()
    server, url = _serve_demo(port)
    try:
        assert url == f"http://127.0.0.1:{port}/"
        with urllib.request.urlopen(url, timeout=10) as home:
            assert home.status == 200 and "马关县人民政府" in home.read().decode("utf-8")
        # The port is taken: a second server says so in one line.
        taken = govaudit("demo", "--serve", "--port", str(port))
        assert taken.returncode == 2 and "try another --port" in taken.stderr
        assert len(taken.stderr.strip().splitlines()) == 1 and "Traceback" not in taken.stderr
        server.send_signal(signum)
        _, stderr = server.communicate(timeout=20)
    finally:
        if server.poll() is None:
            server.kill()
    assert server.returncode == code and "Traceback" not in stderr and "stopped" in stderr
    with pytest.raises(OSError):
        urllib.request.urlopen(url, timeout=5)


def test_demo_port_without_serve_is_a_usage_error():
    done = govaudit("demo", "--port", "8000")
    assert done.returncode == 2 and "--serve" in done.stderr


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["-a", "url=ftp://www.example.gov.cn/"],
        ["-a", "url=http://127.0.0.1:99999/"],
        ["-a", "url=http://127.0.0.1:9/", "-a", "column=nosuch"],
    ],
)
def test_scrapy_crawl_without_a_usable_url_prints_usage(args, tmp_path):
    env = {**os.environ, "GOVAUDIT_DB": f"sqlite:///{tmp_path / 'unused.sqlite'}"}
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "portal", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "usage: scrapy crawl portal -a url=" in done.stderr
    assert "Traceback" not in done.stderr and "TypeError" not in done.stderr


# -- logs ------------------------------------------------------------------------------------------

ID_NUMBER = "532625198503122010"
STAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ")


def _portal_with_a_failing_page(root: Path) -> Path:
    """A home page linking a 低保 list whose URL carries an ID number and whose server fails (500):
    Scrapy gives up retrying it and logs an ERROR naming the URL."""
    write_portal(
        root,
        {
            "/": page("测试县人民政府", f'<a href="/gs/{ID_NUMBER}.html">低保名单</a><a href="/ok.html">正常页面</a>'),
            "/ok.html": page("正常页面", "<p>内容</p>"),
        },
    )
    (root / "_headers.json").write_text(json.dumps({f"/gs/{ID_NUMBER}.html": {"status": 500}}), encoding="utf-8")
    return root


def _log_lines(path: Path) -> list[str]:
    lines = path.read_text("utf-8").splitlines()
    assert lines and all(STAMP.match(line) for line in lines), [line for line in lines if not STAMP.match(line)]
    return lines


def test_log_file_gets_every_line_timed_scrapy_errors_and_no_personal_data(tmp_path):
    root = _portal_with_a_failing_page(tmp_path / "site")
    log = tmp_path / "logs" / "new-folder" / "audit.log"
    with serve_portal(root) as portal:
        done = govaudit(
            "audit",
            portal.base_url,
            "--as-of",
            "2022-10-15",
            "--out",
            str(tmp_path / "out"),
            "--db",
            f"sqlite:///{tmp_path / 'a.sqlite'}",
            "--quiet",
            "--log-file",
            str(log),
            "--notify",
            "https://127.0.0.1:9/hook?token=s3cr3t-token",
        )
    assert done.returncode == 0, done.stderr
    text = "\n".join(_log_lines(log))
    # What the terminal showed, and Scrapy's own ERROR about the failing page, masked.
    assert "开始检查 / auditing" in text and "检查完成：页面" in text and "退出码 exit 0" in text
    assert "ERROR [scrapy.downloadermiddlewares.retry] Gave up retrying" in text
    assert "532625********2010" in text and ID_NUMBER not in text
    # The notify URL's token is hidden where the command line is logged; the hook failed in one line.
    assert "token=***" in text and "s3cr3t-token" not in text
    # (A loopback webhook not in notify_allow_internal: refused before any connection, in one line.)
    assert sum("notify webhook refused" in line for line in text.splitlines()) == 1
    # Without --verbose: no INFO detail.
    assert "INFO [" not in text


def test_verbose_adds_scrapy_info_and_each_page(tmp_path):
    root = _portal_with_a_failing_page(tmp_path / "site")
    log = tmp_path / "verbose.log"
    with serve_portal(root) as portal:
        done = govaudit(
            "audit",
            portal.base_url,
            "--as-of",
            "2022-10-15",
            "--out",
            str(tmp_path / "out"),
            "--db",
            f"sqlite:///{tmp_path / 'v.sqlite'}",
            "--quiet",
            "--log-file",
            str(log),
            "--verbose",
        )
        base = portal.base_url
    assert done.returncode == 0, done.stderr
    lines = _log_lines(log)
    assert f"INFO [govaudit.crawl] 200 {base}ok.html" in "\n".join(lines)
    assert any(f"INFO [govaudit.crawl] 500 {base}gs/532625********2010.html" in line for line in lines)
    assert any("INFO [scrapy.core.engine] Spider closed (finished)" in line for line in lines)
    assert ID_NUMBER not in "\n".join(lines)
    # Without a log file the same detail goes to the terminal (stderr), masked too.
    with serve_portal(root) as portal:
        shown = govaudit(
            "audit",
            portal.base_url,
            "--as-of",
            "2022-10-15",
            "--out",
            str(tmp_path / "out2"),
            "--db",
            f"sqlite:///{tmp_path / 'v2.sqlite'}",
            "--quiet",
            "--verbose",
        )
    assert shown.returncode == 0 and "INFO [govaudit.crawl] 200" in shown.stderr and ID_NUMBER not in shown.stderr


def test_log_file_that_cannot_be_written_is_one_line(tmp_path):
    (tmp_path / "file").write_text("x")
    done = govaudit(
        "audit",
        "http://127.0.0.1:9/",
        "--log-file",
        str(tmp_path / "file" / "x.log"),
        "--out",
        str(tmp_path / "out"),
        "--db",
        f"sqlite:///{tmp_path / 'x.sqlite'}",
    )
    assert done.returncode == 2 and "cannot write the log file" in done.stderr and "Traceback" not in done.stderr


def test_redact_hides_database_passwords():
    assert redact("postgresql://govaudit:s3cr3t@db.example/govaudit") == "postgresql://govaudit:***@db.example/govaudit"
    assert redact("sqlite:///x.sqlite?password=s3cr3t&mode=ro") == "sqlite:///x.sqlite?password=***&mode=ro"


# -- schedule ----------------------------------------------------------------------------------------


def test_schedule_prints_only_and_fails_the_unit_on_exit_3(tmp_path):
    done = govaudit(
        "schedule",
        "http://www.example.gov.cn/",
        "--print",
        "--out",
        "reports/quarterly",
        "--log-file",
        "logs/govaudit/run.log",
        "--notify",
        "echo $GOVAUDIT_EXIT",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    # --print prints: the first run creates the folders.
    assert list(tmp_path.iterdir()) == []
    cron = next(line for line in done.stdout.splitlines() if line[:1].isdigit())
    assert f"--log-file {tmp_path / 'logs/govaudit/run.log'}" in cron and "--notify 'echo $GOVAUDIT_EXIT'" in cron
    exec_start = next(line for line in done.stdout.splitlines() if line.startswith("ExecStart="))
    assert '--notify "echo $$GOVAUDIT_EXIT"' in exec_start
    # Exit 3 (site unreachable) is a failure of the unit, so OnFailure= alerting fires.
    assert "SuccessExitStatus" not in done.stdout and "OnFailure=" in done.stdout


# -- notify --------------------------------------------------------------------------------------------


class _Hook:
    """A real webhook receiver on 127.0.0.1: keeps each JSON body POSTed, answers `status`."""

    def __init__(self, status: int = 200):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8")))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def _env_hook(path: Path) -> str:
    """A shell command that appends the variables it was given to `path`."""
    return (
        f'printf "%s|%s|%s|%s|%s\\n" "$GOVAUDIT_EXIT" "$GOVAUDIT_QUARTER" "$GOVAUDIT_OUT" "$GOVAUDIT_RESULT" '
        f'"$GOVAUDIT_SUMMARY" >> {path}'
    )


def test_notify_reports_a_finished_quarter_by_webhook_and_by_command(tmp_path):
    hook = _Hook()
    config = tmp_path / "govaudit.yaml"
    # The receiver is on loopback: an internal webhook is called only when the config names it.
    config.write_text(f"notify: {hook.url}\nnotify_allow_internal: [127.0.0.1]\n", encoding="utf-8")
    args = (
        "run-quarterly",
        "--quarter",
        "2022Q3",
        "--as-of",
        "2022-10-15",
        "--out",
        str(tmp_path / "q"),
        "--db",
        f"sqlite:///{tmp_path / 'q.sqlite'}",
        "--config",
        str(config),
        "--quiet",
    )
    try:
        with serve_portal(SAMPLE_PORTAL) as portal:
            first = govaudit(args[0], portal.base_url, *args[1:])
            again = govaudit(args[0], portal.base_url, *args[1:], "--notify", _env_hook(tmp_path / "env.txt"))
    finally:
        hook.close()
    assert first.returncode == 0, first.stderr
    [sent] = hook.received  # the second run's --notify replaced the configured webhook
    assert sent["exit"] == 0 and sent["result"] == "检查完成" and sent["quarter"] == "2022Q3"
    assert sent["status"] == "done" and sent["findings"] == 21 and sent["out"] == str(tmp_path / "q" / "2022Q3")
    assert sent["summary"].startswith("检查完成：页面") and sent["command"] == "run-quarterly"
    assert again.returncode == 0
    assert (tmp_path / "env.txt").read_text("utf-8").split("|")[:3] == ["0", "2022Q3", str(tmp_path / "q" / "2022Q3")]
    assert "已检查完成" in (tmp_path / "env.txt").read_text("utf-8")


def test_notify_on_an_unreachable_site_says_exit_3_and_a_failing_hook_changes_nothing(tmp_path):
    down = f"http://127.0.0.1:{_free_port()}/"
    (tmp_path / "govaudit.yaml").write_text("notify_allow_internal: [127.0.0.1]\n", encoding="utf-8")
    base = (
        "run-quarterly",
        down,
        "--quarter",
        "2022Q3",
        "--as-of",
        "2022-10-15",
        "--out",
        str(tmp_path / "q"),
        "--db",
        f"sqlite:///{tmp_path / 'q.sqlite'}",
        "--quiet",
        "--log-file",
        str(tmp_path / "run.log"),
        "--config",
        str(tmp_path / "govaudit.yaml"),
    )
    done = govaudit(*base, "--notify", _env_hook(tmp_path / "env.txt"))
    assert done.returncode == 3
    assert (tmp_path / "q" / "2022Q3" / "bulletin.html").exists()  # the outputs are written all the same
    exit_code, quarter, _, result, _ = (tmp_path / "env.txt").read_text("utf-8").strip().split("|")
    assert (exit_code, quarter, result) == ("3", "2022Q3", "网站无法访问")

    broken = _Hook(status=500)
    try:
        for hook, says in (
            (broken.url, "HTTP 500"),
            ("echo 发送中; exit 7", "exit 7"),
            (f"http://127.0.0.1:{_free_port()}/nobody", "webhook failed"),
        ):
            failed = govaudit(*base, "--notify", hook)
            assert failed.returncode == 3, (hook, failed.stderr)
            assert says in failed.stderr and "Traceback" not in failed.stderr
    finally:
        broken.close()
    assert broken.received and broken.received[0]["exit"] == 3
    log = "\n".join(_log_lines(tmp_path / "run.log"))
    assert sum("notify" in line and "failed" in line or "HTTP 500" in line for line in log.splitlines()) == 3
    assert "notify: 发送中" in log


def test_audit_all_notifies_once_for_all_sites(tmp_path):
    root = write_portal(
        tmp_path / "site",
        {"/": page("测试县人民政府", '<a href="/a.html">正常页面</a>'), "/a.html": page("正常页面", "<p>内容</p>")},
    )
    db = f"sqlite:///{tmp_path / 'all.sqlite'}"
    with serve_portal(root) as portal:
        sites = tmp_path / "sites.yaml"
        sites.write_text(
            f"""sites:
  - {{name: 测试县人民政府, url: "{portal.base_url}", unit: 测试县人民政府办公室}}
  - {{name: 停用县人民政府, url: "http://127.0.0.2:9/", unit: 停用县人民政府办公室}}
""",
            encoding="utf-8",
        )
        assert govaudit("sites", "add", str(sites), "--db", db).returncode == 0
        config = tmp_path / "govaudit.yaml"
        config.write_text(f"notify: {_env_hook(tmp_path / 'env.txt')!r}\n", encoding="utf-8")
        done = govaudit(
            "audit-all",
            "--as-of",
            "2022-10-15",
            "--out",
            str(tmp_path / "all"),
            "--db",
            db,
            "--config",
            str(config),
            "--log-file",
            str(tmp_path / "all.log"),
        )
    assert done.returncode == 3, done.stderr
    [line] = (tmp_path / "env.txt").read_text("utf-8").splitlines()
    assert line.startswith("3|2022Q3|") and "完成 1，无法访问 1" in line
    # Each site's own run logged into the same file.
    assert sum("—— govaudit audit http" in line for line in _log_lines(tmp_path / "all.log")) == 2


@pytest.mark.parametrize(
    "value, words", [("ftp://example.gov.cn/hook", "notify"), ("[a, b]", "notify"), ('"  "', "notify")]
)
def test_notify_in_the_config_is_validated(tmp_path, value, words):
    config = tmp_path / "govaudit.yaml"
    config.write_text(f"notify: {value}\n", encoding="utf-8")
    done = govaudit(
        "audit",
        "http://127.0.0.1:9/",
        "--config",
        str(config),
        "--out",
        str(tmp_path / "out"),
        "--db",
        f"sqlite:///{tmp_path / 'x.sqlite'}",
    )
    assert done.returncode == 2 and words in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_scrapy_crawl_by_hand_masks_its_own_log(tmp_path):
    root = _portal_with_a_failing_page(tmp_path / "site")
    env = {**os.environ, "GOVAUDIT_DB": f"sqlite:///{tmp_path / 'scrapy.sqlite'}"}
    with serve_portal(root) as portal:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "scrapy",
                "crawl",
                "portal",
                "-a",
                f"url={portal.base_url}",
                "-s",
                "LOG_LEVEL=DEBUG",
            ],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Gave up retrying" in done.stderr and "532625********2010" in done.stderr
    assert ID_NUMBER not in done.stderr


def test_notify_says_a_run_stopped_by_sigterm_was_interrupted(slow_portal, tmp_path):  # noqa: F811
    db = tmp_path / "i.sqlite"
    command = [
        sys.executable,
        "-m",
        "audit.cli",
        "run-quarterly",
        slow_portal,
        "--quarter",
        "2022Q3",
        "--as-of",
        "2022-10-15",
        "--out",
        str(tmp_path / "q"),
        "--db",
        f"sqlite:///{db}",
        "--quiet",
        "--log-file",
        str(tmp_path / "run.log"),
        "--notify",
        _env_hook(tmp_path / "env.txt"),
    ]
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    signal_when_stored(run, db, 15, signal.SIGTERM)
    run.communicate(timeout=60)
    assert run.returncode == 143
    exit_code, quarter, _, result, _ = (tmp_path / "env.txt").read_text("utf-8").strip().split("|")
    assert (exit_code, quarter, result) == ("143", "2022Q3", "检查被中断（SIGTERM）")
    assert "退出码 exit 143" in _log_lines(tmp_path / "run.log")[-1]
