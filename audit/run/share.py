"""Sharing a crawl through Redis (`--redis`): the run's keys, the Scrapy settings that put its
frontier in Redis (scrapy-redis) with per-host politeness across processes, and the lock with which
one process at a time concludes a run."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from scrapy.settings import Settings as ScrapySettings

from audit.store import RunStatus, Store


@dataclass(frozen=True)
class SharedCrawl:
    """A crawl that shares Redis with other processes (`--redis`): its frontier lives there
    (scrapy-redis, keyed by run), per-host politeness holds across processes, and one process at
    a time concludes a run. `worker` names the govaudit worker running it, recorded on the run;
    `job` the worker's job, with which the run is advertised to helpers (crawler.crawl.shared)."""

    redis_url: str
    prefix: str = "govaudit"
    worker: str | None = None
    job: str | None = None

    def run_base(self, db_url: str, run_id: int) -> str:
        """What a run's keys begin with: run ids are numbered per database, and two databases may
        share one Redis."""
        database = hashlib.sha256(db_url.encode()).hexdigest()[:12]
        return f"{self.prefix}:run:{database}-{run_id}"

    def run_key(self, db_url: str, run_id: int, name: str) -> str:
        return f"{self.run_base(db_url, run_id)}:{name}"


def share_frontier(
    settings: ScrapySettings, shared: SharedCrawl, base: str, share: str | None, helping: bool = False
) -> None:
    """The run's frontier in Redis through scrapy-redis (its keys begin with `base`), and per-host
    politeness across processes. The owner's resumed run replays what the store holds and so rebuilds
    its frontier: it starts empty; it is advertised to helpers with `share` (JSON). A helper's
    frontier takes from the owner's queue and leaves it as it is."""
    settings.set("REDIS_URL", shared.redis_url)
    settings.set("GOVAUDIT_REDIS_PREFIX", shared.prefix)
    settings.set("GOVAUDIT_RUN_KEYS", base)
    settings.set("GOVAUDIT_SHARE", share)
    settings.set(
        "SCHEDULER", "crawler.crawl.shared.HelpingFrontier" if helping else "crawler.crawl.shared.SharedFrontier"
    )
    settings.set("SCHEDULER_QUEUE_KEY", f"{base}:requests")
    settings.set("SCHEDULER_DUPEFILTER_KEY", f"{base}:dupefilter")
    settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter")
    settings.set("SCHEDULER_FLUSH_ON_START", not helping)
    settings.set("SCHEDULER_PERSIST", helping)
    middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    # Next to the download itself: redirects and retries take a slot again, replayed pages none.
    middlewares["crawler.crawl.shared.SharedHostSlots"] = 950
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares)


class RedisUnavailable(Exception):
    """Redis could not be reached where the audit cannot wait for it (starting the crawl, concluding
    the run): the run is left interrupted, and running the same command again resumes it."""

    def __str__(self) -> str:
        return (
            "Redis 无法访问，检查已标记为中断；Redis 恢复后再次运行同一命令即从中断处继续 / Redis is unavailable; "
            "the audit stopped resumable, run the same command again once Redis is back"
        )


def redis_errors() -> tuple[type[Exception], ...]:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeout

    return RedisConnectionError, RedisTimeout


@contextmanager
def concluding(store: Store, run_id: int, shared: SharedCrawl | None) -> Iterator[bool]:
    """Whether this process concludes the run: it still owns it, and (when sharing Redis) holds the
    run's conclusion lock, so two processes never judge one run."""
    if shared is None:
        yield True
        return
    import redis

    lock = redis.Redis.from_url(shared.redis_url).lock(shared.run_key(store.db_url, run_id, "conclude"), timeout=3600)
    try:
        acquired = lock.acquire(blocking=False)
    except redis_errors() as exc:
        if store.owns_run(run_id) and store.run(run_id).status == RunStatus.RUNNING:
            store.finish_run(run_id, RunStatus.INTERRUPTED)
        raise RedisUnavailable() from exc
    if not acquired:
        yield False
        return
    try:
        yield store.owns_run(run_id) and store.run(run_id).status == RunStatus.RUNNING
    finally:
        try:
            lock.release()
        except redis.exceptions.RedisError:
            pass  # expired or Redis gone: the lock frees itself
