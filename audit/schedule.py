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
    config_path: Path | None = None
    formats: str = "html,json,xlsx,csv"

    def command(self) -> list[str]:
        args = [self.executable, "run-quarterly", self.url, "--out", str(self.out_dir), "--db", self.db_url,
                "--format", self.formats, "--quiet"]
        if self.config_path is not None:
            args += ["--config", str(self.config_path)]
        return args

    def crontab(self) -> str:
        """One crontab line; % is special in crontab and is escaped."""
        command = " ".join(shlex.quote(arg) for arg in self.command())
        log = shlex.quote(str(self.out_dir / "run-quarterly.log"))
        line = f"cd {shlex.quote(str(self.workdir))} && {command} >> {log} 2>&1"
        return f"{self.minute} {self.hour} {CRON_DAYS} {CRON_MONTHS} * {line.replace('%', chr(92) + '%')}"

    def service(self) -> str:
        command = " ".join(_systemd_quote(arg) for arg in self.command())
        return (
            "# /etc/systemd/system/govaudit-quarterly.service\n"
            "[Unit]\n"
            "Description=govaudit 季度政府网站检查 (quarterly portal audit)\n"
            "Wants=network-online.target\n"
            "After=network-online.target\n\n"
            "[Service]\n"
            "Type=oneshot\n"
            f"WorkingDirectory={_systemd_quote(str(self.workdir))}\n"
            f"ExecStart={command}\n"
            # Exit 3 (portal unreachable) is recorded in the bulletin; the timer retries the next day.
            "SuccessExitStatus=3\n"
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
