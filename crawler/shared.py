"""What crawler processes share through Redis: the frontier (scrapy-redis) and per-host politeness.

The frontier of a run lives in Redis through scrapy-redis's scheduler; Redis briefly away (a restart)
neither loses a request nor ends the crawl early: requests are held in memory and pushed when it is
back, and the crawl counts as unfinished meanwhile.

Scrapy keeps its per-host concurrency and delay inside one process; with several workers on one
server (sites of a 集约化 platform, two workers resuming each other) each would be polite alone
and the server would see the sum. Here a request takes one of the host's slots in Redis before it
is downloaded and gives it back when the answer (or the failure) is in; a slot whose holder died
frees itself after a lease, so a SIGKILLed worker cannot keep a server's slots.
"""
from __future__ import annotations

import logging
import uuid
from urllib.parse import urlsplit

import redis
from redis.exceptions import ConnectionError as RedisConnectionError, TimeoutError as RedisTimeout
from scrapy.utils.asyncio import run_in_thread, sleep
from scrapy_redis.scheduler import Scheduler

from crawler.frontier import FRONTIER_LOST, LEFT_STAT

logger = logging.getLogger(__name__)
# Redis restarting or out of reach: the errors that are waited out, not failures of the crawl.
REDIS_DOWN = (RedisConnectionError, RedisTimeout)
_REDIS_DOWN_LINE = "Redis 暂时无法访问，等待后重试 / Redis unavailable, retrying: %s"


class SharedFrontier(Scheduler):
    """scrapy-redis's scheduler, patient with Redis: a request that cannot be pushed is held here
    until Redis answers again, and while Redis is away the crawl is not idle (so not over). A mark
    set beside the queue tells an empty queue from one Redis lost: a crawl never ends on the latter."""

    def open(self, spider):
        self._held: list = []
        self._down = False
        opened = super().open(spider)
        self.server.set(self._mark, 1)
        return opened

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
            return super().next_request()
        except REDIS_DOWN as exc:
            self._redis_down(exc)
            return None

    def close(self, reason):
        # As crawler.frontier does: a crawl stopped by --max-pages says how much it left unread.
        try:
            self.stats.set_value(LEFT_STAT, len(self) + len(self._held))
            self.server.delete(self._mark)
            return super().close(reason)
        except REDIS_DOWN as exc:
            self._redis_down(exc)  # the run's keys are flushed when it resumes or ends next time

    def has_pending_requests(self):
        try:
            if self._held or super().has_pending_requests():
                return True
            if not self.server.exists(self._mark):
                logger.warning("Redis 丢失了待抓取队列（重启且未保存数据）/ Redis lost the frontier")
                self.stats.set_value(FRONTIER_LOST, True)
            return False
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
        return cls(redis.Redis.from_url(settings.get("REDIS_URL")), settings.get("GOVAUDIT_REDIS_PREFIX"),
                   settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"), settings.getfloat("DOWNLOAD_DELAY"),
                   # A slot outlives the slowest answer (timeout, with a redirect or two) before it frees itself.
                   lease=3 * settings.getfloat("DOWNLOAD_TIMEOUT") + 30)

    def _keys(self, host: str) -> list[str]:
        return [f"{self.prefix}:host:{host}:slots", f"{self.prefix}:host:{host}:next"]

    async def process_request(self, request):
        host, token = host_of(request.url), uuid.uuid4().hex
        pause = 1.0
        while True:
            try:
                wait_ms = await run_in_thread(self._acquire, keys=self._keys(host),
                                              args=[token, self.slots, self.lease, self.delay])
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
