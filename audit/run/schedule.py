"""Unattended quarterly audits: the crontab line and the systemd service and timer that run
`govaudit run-quarterly` in the first half of each quarter's first month.

The run is idempotent (a finished quarter is not redone), so firing daily on days 1–15 retries a
portal that was down and does nothing once the quarter is done.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

# Days 1–15 of January, April, July and October.
CRON_DAYS = "1-15"
CRON_MONTHS = "1,4,7,10"
SYSTEMD_CALENDAR = "*-01,04,07,10-01..15"


@dataclass(frozen=True)
class Schedule:
    executable: str
    url: str
    out_dir: Path
    db_url: str
    workdir: Path
    hour: int
    minute: int
    log_file: Path
    config_path: Path | None = None
    formats: str = "html,json,xlsx,csv"
    notify: str | None = None

    def command(self) -> list[str]:
        args = [
            self.executable,
            "run-quarterly",
            self.url,
            "--out",
            str(self.out_dir),
            "--db",
            self.db_url,
            "--format",
            self.formats,
            "--quiet",
            "--log-file",
            str(self.log_file),
        ]
        if self.config_path is not None:
            args += ["--config", str(self.config_path)]
        if self.notify is not None:
            args += ["--notify", self.notify]
        return args

    def crontab(self) -> str:
        """One crontab line; % is special in crontab and is escaped. Everything printed is in the
        --log-file; stderr (errors, 网站无法访问) is left to cron, which mails it to MAILTO."""
        command = " ".join(shlex.quote(arg) for arg in self.command())
        line = f"cd {shlex.quote(str(self.workdir))} && {command} > /dev/null"
        return f"{self.minute} {self.hour} {CRON_DAYS} {CRON_MONTHS} * {line.replace('%', chr(92) + '%')}"

    def service(self) -> str:
        command = " ".join(_systemd_quote(arg) for arg in self.command())
        return (
            "# /etc/systemd/system/govaudit-quarterly.service\n"
            "[Unit]\n"
            "Description=govaudit 季度政府网站检查 (quarterly portal audit)\n"
            "Wants=network-online.target\n"
            "After=network-online.target\n"
            # Exit 3 (unreachable; its bulletin is still written) fails the unit like any other error.
            "# 检查失败（含网站无法访问，退出码 3）时报警 / alert on failure:\n"
            "# OnFailure=alert-mail@%n.service\n\n"
            "[Service]\n"
            "Type=oneshot\n"
            f"WorkingDirectory={_systemd_quote(str(self.workdir))}\n"
            f"ExecStart={command}\n"
        )

    def timer(self) -> str:
        return (
            "# /etc/systemd/system/govaudit-quarterly.timer\n"
            "[Unit]\n"
            "Description=govaudit 季度检查定时器 (days 1-15 of Jan, Apr, Jul, Oct)\n\n"
            "[Timer]\n"
            f"OnCalendar={SYSTEMD_CALENDAR} {self.hour:02d}:{self.minute:02d}:00\n"
            "Persistent=true\n"
            "RandomizedDelaySec=15min\n\n"
            "[Install]\n"
            "WantedBy=timers.target\n"
        )


def _systemd_quote(arg: str) -> str:
    """Quote one ExecStart argument for systemd (which expands % specifiers and $ variables)."""
    text = arg.replace("%", "%%").replace("$", "$$")
    if any(ch in text for ch in " \t\"'\\;") or not text:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text
