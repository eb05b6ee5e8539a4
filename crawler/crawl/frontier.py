"""The crawl's frontier: Scrapy's scheduler, its queue on disk (the run gives it a JOBDIR), so a
200,000-page portal does not hold every queued request in memory."""

from __future__ import annotations

from scrapy.core.scheduler import Scheduler

# The stat holding how many requests were still queued when the crawl closed.
LEFT_STAT = "scheduler/left"
# The stat set when Redis lost a shared frontier (crawler.crawl.shared; it restarted without its data): the
# crawl cannot know what it had queued, so the run is left to be resumed from the store, which rebuilds it.
FRONTIER_LOST = "govaudit/frontier_lost"


class FrontierScheduler(Scheduler):
    """Scrapy's scheduler, noting how many requests were still queued when the crawl closed: a crawl
    stopped by --max-pages leaves part of the site unread, and the report says how much."""

    def close(self, reason: str):
        self.stats.set_value(LEFT_STAT, len(self))
        return super().close(reason)
