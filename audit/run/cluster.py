"""Many sites, many workers: the queue of site audits in Redis, and the worker that takes from it.

`audit-all --redis` enqueues one job per registered site and quarter; `govaudit worker` takes a job
under a lease and audits the site exactly as `govaudit audit --redis` does, in a child process
(Scrapy runs one crawl per process): the crawl's frontier lives in Redis through scrapy-redis and
per-host politeness holds across workers (crawler.crawl.shared). The worker renews its lease while the
child runs. A worker SIGKILLed mid-crawl takes its child with it and stops renewing; once the lease
expires, the next worker to look re-queues the job and resumes the run from what the store holds
(pages stored are replayed, the rest fetched), so the site's results equal an uninterrupted run.

Workers share one site's pages too. The worker holding a site's job owns its run: its spider keeps
what it has learnt of the site in memory (list progress, column folders, home-page links) and makes
every decision of the crawl. A worker that finds no job waiting helps the busiest run advertised as
joinable: its child (`audit --join`) takes the run's queued requests under a lease, fetches, reads
and stores them into the same run and leaves the owner a notice for each; the owner follows them as
it follows a replayed page (crawler.crawl.shared). A helper stops when the owner's crawl ends, or gives
way as soon as a job is queued: jobs come first.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeout

from audit.run.childenv import secret_env
from audit.store import Store, StoreError

# The lease on a taken job (default); renewed every third of it while the worker lives.
LEASE_SECONDS = 30.0
# A job whose worker died this many times (a site that kills its crawler) is given up.
MAX_TAKES = 5
# A run is worth helping while this many requests of it are queued (a helper costs a process start).
HELP_FROM_QUEUED = 10
# A helper that failed is not started again before this many seconds.
HELP_PAUSE = 10.0
# Child exit codes worth another try after a pause: the database could not be opened or written.
_RETRIED_EXITS = (1, 2)
_CHILD_TRIES = 5

T = TypeVar("T")

# KEYS: queue, leased (job → lease expiry), holders (job → worker), jobs (job → JSON), abandoned
# (job → worker whose lease expired), takes (job → times taken). ARGV: worker, lease seconds.
# Expired leases go back to the head of the queue first; then the next live job is leased.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
for _, key in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)) do
  redis.call('ZREM', KEYS[2], key)
  local holder = redis.call('HGET', KEYS[3], key)
  redis.call('HDEL', KEYS[3], key)
  if holder then redis.call('HSET', KEYS[5], key, holder) end
  redis.call('LPUSH', KEYS[1], key)
end
while true do
  local key = redis.call('LPOP', KEYS[1])
  if not key then return false end
  local job = redis.call('HGET', KEYS[4], key)
  if job then
    redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), key)
    redis.call('HSET', KEYS[3], key, ARGV[1])
    local takes = redis.call('HINCRBY', KEYS[6], key, 1)
    return {key, job, redis.call('HGET', KEYS[5], key) or '', takes}
  end
end
"""
# KEYS: leased, holders, jobs. ARGV: worker, lease seconds, job key, job JSON. 0 when another
# worker holds the job now; a job Redis lost (a restart without persistence) is put back.
_RENEW = """
local holder = redis.call('HGET', KEYS[2], ARGV[3])
if holder and holder ~= ARGV[1] then return 0 end
local t = redis.call('TIME')
redis.call('ZADD', KEYS[1], tonumber(t[1]) + tonumber(ARGV[2]), ARGV[3])
redis.call('HSET', KEYS[2], ARGV[3], ARGV[1])
redis.call('HSETNX', KEYS[3], ARGV[3], ARGV[4])
return 1
"""
# KEYS: leased, holders, jobs, abandoned, takes. ARGV: worker, job key.
_FINISH = """
local holder = redis.call('HGET', KEYS[2], ARGV[2])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('ZREM', KEYS[1], ARGV[2])
for i = 2, 5 do redis.call('HDEL', KEYS[i], ARGV[2]) end
return 1
"""


class ClusterError(RuntimeError):
    """Redis cannot be used: a bad address, or the redis package is missing."""


@dataclass(frozen=True)
class Job:
    """One site's audit for a quarter: `args` are the options of `govaudit audit` (no --db: each
    worker uses its own)."""

    key: str
    url: str
    name: str
    as_of: date
    args: list[str]
    # The worker whose lease on this job expired (it died mid-audit), when there is one.
    abandoned_by: str | None = None
    takes: int = 1

    def dumps(self) -> str:
        return json.dumps(
            {"key": self.key, "url": self.url, "name": self.name, "as_of": self.as_of.isoformat(), "args": self.args},
            ensure_ascii=False,
        )

    @classmethod
    def loads(cls, text: str, abandoned_by: str | None = None, takes: int = 1) -> Job:
        data = json.loads(text)
        return cls(
            data["key"], data["url"], data["name"], date.fromisoformat(data["as_of"]), data["args"], abandoned_by, takes
        )


def connect(redis_url: str) -> redis.Redis:
    """A client for `redis_url` (checked, not yet connected); ClusterError for a bad address."""
    try:
        return redis.Redis.from_url(redis_url, socket_timeout=10, socket_connect_timeout=5)
    except ValueError as exc:
        raise ClusterError(f"Redis 地址无效 / bad Redis URL {redis_url!r}: {exc}") from None


class JobQueue:
    """The jobs of one cluster (all keys under `prefix`) in one Redis."""

    def __init__(self, client: redis.Redis, prefix: str = "govaudit", lease: float = LEASE_SECONDS):
        self.client, self.prefix, self.lease = client, prefix, lease
        self._take = client.register_script(_TAKE)
        self._renew = client.register_script(_RENEW)
        self._finish = client.register_script(_FINISH)

    def _key(self, name: str) -> str:
        return f"{self.prefix}:{name}"

    def enqueue(self, job: Job) -> bool:
        """Queue the job; False when the same job (site and quarter) is queued or being audited."""
        if not self.client.hsetnx(self._key("jobs"), job.key, job.dumps()):
            return False
        self.client.rpush(self._key("queue"), job.key)
        return True

    def take(self, worker: str) -> Job | None:
        taken = self._take(
            keys=[self._key(name) for name in ("queue", "leased", "holders", "jobs", "abandoned", "takes")],
            args=[worker, self.lease],
        )
        if not taken:
            return None
        _key, text, abandoned_by, takes = taken
        return Job.loads(text.decode(), abandoned_by.decode() or None, int(takes))

    def renew(self, worker: str, job: Job) -> bool:
        """Extend the lease; False when another worker holds the job now (this one was presumed dead)."""
        return bool(
            self._renew(
                keys=[self._key("leased"), self._key("holders"), self._key("jobs")],
                args=[worker, self.lease, job.key, job.dumps()],
            )
        )

    def finish(self, worker: str, job: Job) -> None:
        self._finish(
            keys=[self._key(name) for name in ("leased", "holders", "jobs", "abandoned", "takes")],
            args=[worker, job.key],
        )

    def joinable(self) -> tuple[str, Job] | None:
        """The run most worth helping (most requests queued) and its job, when one is."""
        best = None
        for run, text in self.client.hgetall(self._key("joinable")).items():
            advert = json.loads(text)
            keys = advert["keys"]
            alive, queued = self.client.exists(f"{keys}:alive"), self.client.zcard(f"{keys}:requests")
            if not alive:
                self.client.hdel(self._key("joinable"), run)  # its owner is gone: taken over, or resumed later
                continue
            job = self.client.hget(self._key("jobs"), advert["job"])
            if job is not None and queued >= HELP_FROM_QUEUED and (best is None or queued > best[0]):
                best = (queued, run.decode(), Job.loads(job.decode()))
        return None if best is None else best[1:]

    def pending(self, key: str) -> bool:
        """The job `key` is queued or being audited (not finished)."""
        return bool(self.client.hexists(self._key("jobs"), key))

    def waiting(self) -> bool:
        """A job is queued (a helper gives way to it)."""
        return self.client.llen(self._key("queue")) > 0

    def idle(self) -> bool:
        """No job waiting and none being audited (an expired lease counts until it is re-queued)."""
        return self.client.llen(self._key("queue")) == 0 and self.client.zcard(self._key("leased")) == 0


def patiently(what: str, action: Callable[[], T], say: Callable[[str], None]) -> T:
    """`action`, retried with growing pauses while Redis or the database is unavailable; one line
    when it first fails and one when it is back."""
    pause, failed = 1.0, False
    while True:
        try:
            result = action()
        except (RedisConnectionError, RedisTimeout, StoreError) as exc:
            if not failed:
                say(
                    f"{what} 暂时无法访问，等待后重试 / {what} unavailable, retrying with backoff: "
                    f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
                )
            failed = True
            time.sleep(pause)
            pause = min(pause * 2, 30.0)
            continue
        if failed:
            say(f"{what} 已恢复 / {what} is back")
        return result


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _die_with_parent() -> None:
    """In the child: SIGKILL when the worker dies, so a killed worker leaves no crawl running
    under a lease no one renews (Linux prctl PR_SET_PDEATHSIG)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)


class Worker:
    """Takes jobs until told to stop (or, with until_idle, until no job waits or runs)."""

    def __init__(self, queue: JobQueue, db_url: str, redis_url: str, name: str, say: Callable[[str], None]):
        self.queue, self.db_url, self.redis_url, self.name, self.say = queue, db_url, redis_url, name, say
        self._store: Store | None = None

    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.db_url)
        return self._store

    def run(self, until_idle: bool) -> None:
        self.say(f"工作进程 {self.name} 开始 / worker {self.name} started")
        while True:
            job = patiently("Redis", lambda: self.queue.take(self.name), self.say)
            if job is not None:
                self.audit(job)
                continue
            joinable = patiently("Redis", self.queue.joinable, self.say)
            if joinable is not None:
                self.help(*joinable)
                continue
            if until_idle and patiently("Redis", self.queue.idle, self.say):
                self.say(f"队列已空，工作进程 {self.name} 退出 / queue idle, worker exits")
                return
            time.sleep(0.5)

    def audit(self, job: Job) -> None:
        if job.takes > MAX_TAKES:
            self.say(f"{job.name}：已{MAX_TAKES}次中断，放弃 / given up after {MAX_TAKES} interrupted tries")
            patiently("Redis", lambda: self.queue.finish(self.name, job), self.say)
            return
        if job.abandoned_by:
            released = patiently(
                "数据库", lambda: self.store().release_abandoned(job.url, job.as_of, job.abandoned_by), self.say
            )
            self.say(
                f"{job.name}：接手已中断的 {job.abandoned_by} 的检查 {released} / taking over from {job.abandoned_by}"
            )
        self.say(f"{job.name}：检查 {job.url} / auditing")
        pause, attempt = 2.0, 0
        while True:
            code = self._child(job)
            if code is None:
                self.say(f"{job.name}：已由其他工作进程接手 / taken over by another worker")
                return
            if code not in _RETRIED_EXITS:
                break
            if self._waited_for_redis():
                # The child stopped because Redis was away (its run is interrupted): not a failed try.
                continue
            attempt += 1
            if attempt == _CHILD_TRIES:
                break
            self.say(f"{job.name}：检查未完成（退出码 {code}），{pause:.0f} 秒后重试 / retrying")
            time.sleep(pause)
            pause *= 2
        status = {0: "完成", 3: "网站无法访问"}.get(code, f"失败（退出码 {code}）")
        self.say(f"{job.name}：{status} / exit {code}")
        patiently("Redis", lambda: self.queue.finish(self.name, job), self.say)

    def _waited_for_redis(self) -> bool:
        """Whether Redis is away now: then wait (one line) until it is back."""
        try:
            self.queue.client.ping()
            return False
        except (RedisConnectionError, RedisTimeout):
            patiently("Redis", self.queue.client.ping, self.say)
            return True

    def _child(self, job: Job) -> int | None:
        """Audit the job's site in a child process, renewing the lease meanwhile. The child's exit
        code, or None when the lease was lost to another worker (the child is stopped)."""
        child = self._start(job, "--job", job.key)
        try:
            return self._watch(child, job)
        except BaseException:
            # The worker is stopped (Ctrl-C, SIGTERM): the audit is stopped resumable, not killed.
            child.terminate()
            child.wait()
            raise

    def _start(self, job: Job, *options: str) -> subprocess.Popen:
        # The database and Redis addresses may hold passwords: they go to the child in its environment,
        # which only its user can read, never on its command line, which every local user sees in `ps`.
        command = [
            sys.executable,
            "-m",
            "audit.cli",
            "audit",
            job.url,
            *job.args,
            "--redis-prefix",
            self.queue.prefix,
            "--worker",
            self.name,
            *options,
        ]
        return subprocess.Popen(command, env=secret_env(self.db_url, self.redis_url), preexec_fn=_die_with_parent)

    def help(self, run: str, job: Job) -> None:
        """Help crawl the run another worker audits for `job`, in a child process, until its crawl
        ends or a job is queued (what the helper took and did not answer goes back to the run's queue)."""
        self.say(f"{job.name}：协助检查 / helping")
        child = self._start(job, "--join", run)
        try:
            while True:
                try:
                    code = child.wait(timeout=1)
                except subprocess.TimeoutExpired:
                    code = None
                if code is not None:
                    if code != 0:
                        # The database or the site's config failed the helper: not at once again.
                        self.say(f"{job.name}：协助未完成（退出码 {code}）/ helping failed, exit {code}")
                        time.sleep(HELP_PAUSE)
                    return
                try:
                    waiting = self.queue.waiting()
                except (RedisConnectionError, RedisTimeout):
                    continue
                if waiting:
                    child.terminate()
                    child.wait()
                    return
        except BaseException:
            child.terminate()
            child.wait()
            raise

    def _watch(self, child: subprocess.Popen, job: Job) -> int | None:
        renewed = time.monotonic()
        while True:
            try:
                return child.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                pass
            if time.monotonic() - renewed < self.queue.lease / 3:
                continue
            try:
                held = self.queue.renew(self.name, job)
            except (RedisConnectionError, RedisTimeout):
                continue  # Redis away: the child goes on; the lease is renewed when Redis is back
            renewed = time.monotonic()
            if not held:
                child.kill()
                child.wait()
                return None
