"""What a child `govaudit audit` (started by `worker` or `audit-all`) is given outside its command
line: the database and Redis addresses, which may hold passwords. Every local user reads a process's
command line (`ps`, /proc/PID/cmdline); its environment only the process's own user (and root)."""

from __future__ import annotations

import os


def secret_env(db_url: str, redis_url: str | None = None) -> dict[str, str]:
    """This process's environment with GOVAUDIT_DB (the --db of the child) and GOVAUDIT_REDIS (its
    --redis; removed when the child is not to use Redis)."""
    env = {**os.environ, "GOVAUDIT_DB": db_url}
    if redis_url is not None:
        env["GOVAUDIT_REDIS"] = redis_url
    else:
        env.pop("GOVAUDIT_REDIS", None)
    return env
