"""What crawler processes share through Redis: the frontier (scrapy-redis), its requests among
processes, and per-host politeness.

The frontier of a run lives in Redis through scrapy-redis's scheduler; Redis briefly away (a restart)
neither loses a request nor ends the crawl early: requests are held in memory and pushed when it is
back, and the crawl counts as unfinished meanwhile.

One site's requests are shared too. The process that owns the run (SharedFrontier) keeps every
decision of the crawl — what to follow, how far each list was read — and, once the site's home page
is read, advertises the run as joinable. Helpers (HelpingFrontier) take requests from the same
queue under a lease, fetch and read them and store what they brought into the same run, but follow
nothing: for each request they answer they leave a notice for the owner, which carries on from the
stored page as from a replayed one (the spider's answered_elsewhere). A request is always queued,
leased or noticed, atomically moved between them; a lease whose helper died (not renewed) returns
to the queue, and the crawl is over only when none of the three holds a request of the site.

Scrapy keeps its per-host concurrency and delay inside one process; with several workers on one
server (sites of a 集约化 platform, two workers resuming each other) each would be polite alone
and the server would see the sum. Here a request takes one of the host's slots in Redis before it
is downloaded and gives it back when the answer (or the failure) is in; a slot whose holder died
frees itself after a lease, so a SIGKILLed worker cannot keep a server's slots.
"""

from __future__ import annotations

import json
import logging
import pickle
import uuid
from dataclasses import replace
from urllib.parse import urlsplit

import redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeout
from scrapy.utils.asyncgen import as_async_generator
from scrapy.utils.asyncio import run_in_thread, sleep
from scrapy.utils.request import request_from_dict
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from crawler.crawl.frontier import FRONTIER_LOST, LEFT_STAT
from crawler.vocabulary.items import DONE, Answered, answers_stored

logger = logging.getLogger(__name__)
# Redis restarting or out of reach: the errors that are waited out, not failures of the crawl.
REDIS_DOWN = (RedisConnectionError, RedisTimeout)
_REDIS_DOWN_LINE = "Redis 暂时无法访问，等待后重试 / Redis unavailable, retrying: %s"
# A helper's lease on the requests it took, renewed every third of it while the helper lives.
REQUEST_LEASE = 15.0
# The owner says it is alive (and the run joinable) this often; it is presumed gone after OWNER_ALIVE.
KEEP_UP_SECONDS = 2.0
OWNER_ALIVE = 10
# Scrapy asks a scheduler that has pending requests but gives none only on its 5 s heartbeat; requests
# away at a helper come back sooner.
_POLL_SECONDS = 0.3
LEASE_META = "govaudit_lease"

# KEYS: the run's queue (scrapy-redis's sorted set), leases (token → expiry), leased (token → the
# request, token|score → its place in the queue). ARGV: token, lease seconds.
_TAKE = """
local popped = redis.call('ZPOPMIN', KEYS[1])
if #popped == 0 then return false end
local t = redis.call('TIME')
redis.call('ZADD', KEYS[2], tonumber(t[1]) + tonumber(ARGV[2]), ARGV[1])
redis.call('HSET', KEYS[3], ARGV[1], popped[1], ARGV[1] .. '|score', popped[2])
return popped[1]
"""
# KEYS: leases, leased, notices. ARGV: token, notice. A lease that expired and went back to the
# queue is answered by whoever takes it next: this late answer is dropped, so one notice per request.
_ANSWER = """
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1], ARGV[1] .. '|score')
redis.call('RPUSH', KEYS[3], ARGV[2])
return 1
"""
# KEYS: leases. ARGV: lease seconds, tokens.
_RENEW = """
local t = redis.call('TIME')
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', tonumber(t[1]) + tonumber(ARGV[1]), ARGV[i]) end
return 0
"""
# KEYS: leases, leased, queue. Expired leases go back to the queue in their place.
_REQUEUE = """
local t = redis.call('TIME')
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', tonumber(t[1]) + tonumber(t[2]) / 1000000)
for _, token in ipairs(expired) do
  redis.call('ZREM', KEYS[1], token)
  local request = redis.call('HGET', KEYS[2], token)
  local score = redis.call('HGET', KEYS[2], token .. '|score')
  redis.call('HDEL', KEYS[2], token, token .. '|score')
  if request then redis.call('ZADD', KEYS[3], score, request) end
end
return #expired
"""


def joinable_key(prefix: str) -> str:
    """The hash of runs helpers may join: run keys → JSON (run id, site, job)."""
    return f"{prefix}:joinable"


def run_keys(base: str) -> dict[str, str]:
    """A run's keys beside its queue and dupefilter (base: the run's key prefix)."""
    return {name: f"{base}:{name}" for name in ("leases", "leased", "notices", "alive")}


class SharedFrontier(Scheduler):
    """scrapy-redis's scheduler, patient with Redis: a request that cannot be pushed is held here
    until Redis answers again, and while Redis is away the crawl is not idle (so not over). A mark
    set beside the queue tells an empty queue from one Redis lost: a crawl never ends on the latter."""

    @classmethod
    def from_crawler(cls, crawler):
        frontier = super().from_crawler(crawler)
        frontier.crawler = crawler
        frontier.base = crawler.settings.get("GOVAUDIT_RUN_KEYS")
        frontier.keys = run_keys(frontier.base)
        # What the run is advertised with to helpers (None: a run no worker audits, not joinable).
        frontier.share = crawler.settings.get("GOVAUDIT_SHARE")
        frontier._joinable = joinable_key(crawler.settings.get("GOVAUDIT_REDIS_PREFIX"))
        return frontier

    def open(self, spider):
        self._held: list = []
        self._down = False
        opened = super().open(spider)
        self.server.set(self._mark, 1)
        self._requeue = self.server.register_script(_REQUEUE)
        self._keeper = task.LoopingCall(self._keep_up)
        self._keeper.start(KEEP_UP_SECONDS, now=False)
        return opened

    def flush(self):
        super().flush()
        self.server.delete(*(self.keys[name] for name in ("leases", "leased", "notices")))

    def _keep_up(self) -> None:
        """Say the owner is alive and the run joinable; put the requests of helpers gone back in the queue."""
        try:
            if self.share is not None and self.spider.shareable:
                self.server.set(self.keys["alive"], 1, ex=OWNER_ALIVE)
                self.server.hset(self._joinable, self.base, json.dumps({**json.loads(self.share), "keys": self.base}))
            requeued = self._requeue(keys=[self.keys["leases"], self.keys["leased"], self.queue.key])
            if requeued:
                logger.warning(
                    "%d 个请求的协助进程已失联，放回队列 / %d requests of a lost helper requeued", requeued, requeued
                )
                self.stats.inc_value("shared/requeued", requeued)
        except REDIS_DOWN as exc:
            self._redis_down(exc)

    def _elsewhere(self) -> bool:
        """Whether helpers hold requests of the run, or answers wait for this owner."""
        return bool(self.server.zcard(self.keys["leases"]) or self.server.llen(self.keys["notices"]))

    def _poll_soon(self) -> None:
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None:
            slot.nextcall.schedule(_POLL_SECONDS)

    def _carried_on(self, notice: bytes):
        """The request that carries on from a helper's answer (None: nothing left to decide)."""
        answer = pickle.loads(notice)
        self.stats.inc_value("shared/answers")
        asked = request_from_dict(pickle.loads(answer["asked"]), spider=self.spider)
        return self.spider.answered_elsewhere(asked, answer["outcome"], answer["reason"], answer["final_url"])

    @property
    def _mark(self) -> str:
        return f"{self.queue.key}:open"

    def _redis_down(self, exc: Exception) -> None:
        if not self._down:
            logger.warning(_REDIS_DOWN_LINE, exc)
        self._down = True

    def _push_held(self) -> None:
        while self._held:
            self.queue.push(self._held[0])
            self._held.pop(0)
        if self._down:
            logger.warning("Redis 已恢复 / Redis is back")
        self._down = False

    def enqueue_request(self, request):
        try:
            self._push_held()
            return super().enqueue_request(request)
        except REDIS_DOWN as exc:
            self._redis_down(exc)
            self._held.append(request)
            return True

    def next_request(self):
        try:
            self._push_held()
            # Helpers' answers first: the owner's decisions on them give everyone more to fetch.
            while (notice := self.server.lpop(self.keys["notices"])) is not None:
                carried_on = self._carried_on(notice)
                if carried_on is not None:
                    return carried_on
            request = super().next_request()
            if request is None and self._elsewhere():
                self._poll_soon()
            return request
        except REDIS_DOWN as exc:
            self._redis_down(exc)
            return None

    def close(self, reason):
        if self._keeper.running:
            self._keeper.stop()
        # As crawler.crawl.frontier does: a crawl stopped by --max-pages says how much it left unread.
        try:
            self.stats.set_value(LEFT_STAT, len(self) + len(self._held))
            self.server.delete(self._mark, self.keys["alive"])
            self.server.hdel(self._joinable, self.base)
            return super().close(reason)
        except REDIS_DOWN as exc:
            self._redis_down(exc)  # the run's keys are flushed when it resumes or ends next time

    def has_pending_requests(self):
        try:
            if self._held or super().has_pending_requests() or self._elsewhere():
                return True
            if not self.server.exists(self._mark):
                logger.warning("Redis 丢失了待抓取队列（重启且未保存数据）/ Redis lost the frontier")
                self.stats.set_value(FRONTIER_LOST, True)
            return False
        except REDIS_DOWN as exc:
            self._redis_down(exc)
            return True


class HelpingFrontier(SharedFrontier):
    """A helper's scheduler: takes the requests of a run another process owns from its queue, each
    under a lease renewed while the helper lives, and answers each to the owner once what it brought
    is stored (audit.run.pipeline sends answers_stored). Requests the helper's spider makes (a link
    check's GET after a refused HEAD, a page asked for again unconditionally) join the shared queue.
    The crawl lasts as long as the owner says it is alive."""

    def open(self, spider):
        self._held: list = []
        self._down = False
        # Neither flushed on opening nor on closing (settings): the queue is the owner's.
        opened = Scheduler.open(self, spider)
        self._taken: dict[str, tuple[bytes, object, object]] = {}
        # A taken request's further hops (a redirect, a retry) stay here, under its lease.
        self._local: list = []
        self._take = self.server.register_script(_TAKE)
        self._answer = self.server.register_script(_ANSWER)
        self._renew = self.server.register_script(_RENEW)
        self.crawler.signals.connect(self._publish, signal=answers_stored)
        self._keeper = task.LoopingCall(self._keep_up)
        self._keeper.start(REQUEST_LEASE / 3, now=False)
        return opened

    def _keep_up(self) -> None:
        if not self._taken:
            return
        try:
            self._renew(keys=[self.keys["leases"]], args=[REQUEST_LEASE, *self._taken])
        except REDIS_DOWN as exc:
            self._redis_down(exc)  # the owner requeues what expires meanwhile

    def enqueue_request(self, request):
        if LEASE_META in request.meta:
            self._local.append(request)
            return True
        return super().enqueue_request(request)

    def next_request(self):
        if self._local:
            return self._local.pop(0)
        token = uuid.uuid4().hex
        try:
            self._push_held()
            taken = self._take(
                keys=[self.queue.key, self.keys["leases"], self.keys["leased"]], args=[token, REQUEST_LEASE]
            )
        except REDIS_DOWN as exc:
            self._redis_down(exc)
            return None
        if taken is None:
            self._poll_soon()
            return None
        request = self.queue._decode_request(taken)
        self._taken[token] = (taken, request.callback or self.spider.parse, request.errback)
        request.meta[LEASE_META] = token
        request.callback, request.errback = self._answering, self._answering_failure
        self.stats.inc_value("scheduler/dequeued/redis")
        return request

    async def _answering(self, response):
        """The request's own callback, then the answer (DONE unless the spider says otherwise)."""
        token = response.meta[LEASE_META]
        answer = Answered(DONE, lease=token)
        try:
            async for output in as_async_generator(self._taken[token][1](response) or ()):
                if isinstance(output, Answered):
                    answer = replace(output, lease=token)
                else:
                    yield output
        except Exception:
            logger.exception("读取 %s 出错 / reading %s failed", response.url, response.url)
        yield answer

    def _answering_failure(self, failure):
        token = failure.request.meta[LEASE_META]
        answer = Answered(DONE, lease=token)
        errback = self._taken[token][2]
        for output in (errback(failure) if errback is not None else None) or ():
            if isinstance(output, Answered):
                answer = replace(output, lease=token)
            else:
                yield output
        yield answer

    def _publish(self, answers: list[Answered]) -> None:
        """Answers whose pages are stored, handed to the owner (each releases its request's lease)."""
        for answer in answers:
            taken = self._taken.pop(answer.lease, None)
            if taken is None:
                continue
            notice = pickle.dumps(
                {"asked": taken[0], "outcome": answer.outcome, "reason": answer.reason, "final_url": answer.final_url},
                protocol=pickle.HIGHEST_PROTOCOL,
            )
            try:
                self._answer(
                    keys=[self.keys["leases"], self.keys["leased"], self.keys["notices"]], args=[answer.lease, notice]
                )
            except REDIS_DOWN as exc:
                self._redis_down(exc)  # the lease expires and the request is fetched again

    def close(self, reason):
        if self._keeper.running:
            self._keeper.stop()

    def has_pending_requests(self):
        try:
            return bool(self._held or self._local) or bool(self.server.exists(self.keys["alive"]))
        except REDIS_DOWN as exc:
            self._redis_down(exc)
            return True


# KEYS: the host's slots (a sorted set, token → lease expiry), the host's next allowed start.
# ARGV: token, slots, lease seconds, delay seconds. Time is the Redis server's, one clock for all.
# Returns 0 when the slot is taken, else the milliseconds to wait before asking again.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 50 end
local next_start = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < next_start then return math.max(1, math.ceil((next_start - now) * 1000)) end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[3])) + 60)
if tonumber(ARGV[4]) > 0 then
  redis.call('SET', KEYS[2], tostring(now + tonumber(ARGV[4])), 'EX', math.ceil(tonumber(ARGV[4])) + 60)
end
return 0
"""


def host_of(url: str) -> str:
    """The server a request goes to: host and port (sites on one host but different ports are
    different servers, as Scrapy's own slots would have it only per host)."""
    parts = urlsplit(url)
    return f"{(parts.hostname or '').lower()}:{parts.port or {'https': 443}.get(parts.scheme, 80)}"


class SharedHostSlots:
    """Downloader middleware: at most `slots` requests in flight per host across all processes
    sharing the Redis, and at least `delay` seconds between their starts."""

    META = "govaudit_host_slot"

    def __init__(self, client: redis.Redis, prefix: str, slots: int, delay: float, lease: float):
        self.client, self.prefix = client, prefix
        self.slots, self.delay, self.lease = slots, delay, lease
        self._acquire = client.register_script(_ACQUIRE)

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(
            redis.Redis.from_url(settings.get("REDIS_URL")),
            settings.get("GOVAUDIT_REDIS_PREFIX"),
            settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
            settings.getfloat("DOWNLOAD_DELAY"),
            # A slot outlives the slowest answer (timeout, with a redirect or two) before it frees itself.
            lease=3 * settings.getfloat("DOWNLOAD_TIMEOUT") + 30,
        )

    def _keys(self, host: str) -> list[str]:
        return [f"{self.prefix}:host:{host}:slots", f"{self.prefix}:host:{host}:next"]

    async def process_request(self, request):
        host, token = host_of(request.url), uuid.uuid4().hex
        pause = 1.0
        while True:
            try:
                wait_ms = await run_in_thread(
                    self._acquire, keys=self._keys(host), args=[token, self.slots, self.lease, self.delay]
                )
            except REDIS_DOWN as exc:
                # Waiting, not failing: a failed fetch would be stored and reported against the site.
                logger.warning(_REDIS_DOWN_LINE, exc)
                await sleep(pause)
                pause = min(pause * 2, 30)
                continue
            if not wait_ms:
                request.meta[self.META] = (host, token)
                return None
            await sleep(wait_ms / 1000)

    def _release(self, request) -> None:
        held = request.meta.pop(self.META, None)
        if held is not None:
            host, token = held
            try:
                self.client.zrem(self._keys(host)[0], token)
            except REDIS_DOWN:
                pass  # the slot frees itself when its lease ends

    def process_response(self, request, response):
        self._release(request)
        return response

    def process_exception(self, request, exception):
        self._release(request)
        return None
