"""Telling someone how an unattended run ended: `--notify CMD` (or `notify:` in the config) runs a
shell command with the outcome in GOVAUDIT_* environment variables; `--notify https://…` POSTs it as
JSON. A hook that fails or hangs costs one line in the log and never changes the audit's exit code.
"""
from __future__ import annotations

import json
import os
import subprocess
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

from audit.config import is_webhook
from reports.masking import clean, for_terminal

# A hook may send mail or call a chat bot; one that hangs must not hold the next scheduled run.
HOOK_SECONDS = 30

RESULTS = {0: "检查完成", 1: "数据库写入失败", 2: "参数或配置错误", 3: "网站无法访问", 4: "输出文件写入失败",
           130: "检查被中断（SIGINT）", 143: "检查被中断（SIGTERM）"}


@dataclass
class RunNote:
    """What a command found out, for the hook: filled in as the command goes."""

    command: str
    url: str | None = None
    out: str | None = None
    quarter: str | None = None
    run_id: int | None = None
    status: str | None = None
    pages: int | None = None
    findings: int | None = None
    severities: dict[str, int] = field(default_factory=dict)
    summary: str = ""

    def payload(self, exit_code: int, log_file: Path | None) -> dict:
        result = RESULTS.get(exit_code, f"退出码 {exit_code}")
        return clean({**asdict(self), "exit": exit_code, "result": result,
                      "summary": self.summary or result, "log_file": str(log_file) if log_file else None})


def environment(payload: dict) -> dict[str, str]:
    """GOVAUDIT_EXIT, GOVAUDIT_RESULT, GOVAUDIT_SUMMARY, GOVAUDIT_OUT, GOVAUDIT_QUARTER … and the whole
    payload as GOVAUDIT_JSON."""
    names = ("exit", "result", "summary", "command", "url", "out", "quarter", "run_id", "status", "pages",
             "findings", "log_file")
    env = {f"GOVAUDIT_{name.upper()}": "" if payload[name] is None else str(payload[name]) for name in names}
    env["GOVAUDIT_JSON"] = json.dumps(payload, ensure_ascii=False)
    return env


def send(target: str, payload: dict) -> list[str]:
    """Run the hook. The lines to log: the command's own output, and one line if the hook failed."""
    if is_webhook(target):
        return _post(target, payload)
    try:
        done = subprocess.run(target, shell=True, env={**os.environ, **environment(payload)}, capture_output=True,
                              text=True, errors="replace", timeout=HOOK_SECONDS)
    except subprocess.TimeoutExpired:
        return [f"通知命令超过 {HOOK_SECONDS} 秒未结束，已停止 / notify command timed out after {HOOK_SECONDS}s"]
    except OSError as exc:
        return [f"通知命令无法运行 / notify command could not run: {exc.strerror or exc}"]
    lines = [f"通知命令输出 / notify: {for_terminal(line)}" for line in (done.stdout + done.stderr).splitlines()
             if line.strip()]
    if done.returncode != 0:
        lines.append(f"通知命令失败（退出码 {done.returncode}）/ notify command failed with exit {done.returncode}")
    return lines


def _post(url: str, payload: dict) -> list[str]:
    request = urllib.request.Request(url, data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
                                     headers={"Content-Type": "application/json; charset=utf-8",
                                              "User-Agent": "govaudit (notify)"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=HOOK_SECONDS) as response:
            response.read(65536)
    except urllib.error.HTTPError as exc:
        return [f"通知地址返回 HTTP {exc.code} / notify webhook answered HTTP {exc.code}"]
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        return [f"通知地址无法访问 / notify webhook failed: {for_terminal(reason)}"]
    return []
