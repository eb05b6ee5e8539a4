"""Scrapy settings for the portal spider: polite by default, bounded. Where its items go is
the caller's choice (audit/run/scrapy_settings.py adds the store pipeline)."""

BOT_NAME = "govaudit"
SPIDER_MODULES = ["crawler.crawl.spiders"]
NEWSPIDER_MODULE = "crawler.crawl.spiders"

# Say who we are: 督查室 staff can be asked about the crawl by the site's operators.
USER_AGENT = "govaudit/0.1 (政府网站政务公开检查工具; +https://pypi.org/project/govaudit/)"
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 16
# Items of one response handled at once. The store pipeline is synchronous, so more buys nothing,
# and Scrapy starts this many asyncio tasks for every response (at its default of 100, a tenth of
# the crawler's CPU).
CONCURRENT_ITEMS = 4
CONCURRENT_REQUESTS_PER_DOMAIN = 4
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.2
AUTOTHROTTLE_MAX_DELAY = 10
AUTOTHROTTLE_TARGET_CONCURRENCY = 4.0
EXTENSIONS = {
    "scrapy.extensions.throttle.AutoThrottle": None,
    "crawler.crawl.middlewares.RevalidationThrottle": 0,
}

# 15 s is the national probe's limit for "cannot be opened".
DOWNLOAD_TIMEOUT = 15
DNS_TIMEOUT = 15
# Connect to the address the guard checked, never to a second lookup's answer.
TWISTED_DNS_RESOLVER = "crawler.crawl.middlewares.GuardedResolver"
RETRY_TIMES = 1
# The spider caps bodies itself and keeps what it read (crawler.crawl.spiders.portal.PAGE_CAP): Scrapy's
# DOWNLOAD_MAXSIZE would fail a big page whole. It is also Scrapy's bound on decoded bytes, so
# decoding (gzip, deflate, br, zstd, and nested encodings) is bounded by our own middleware instead,
# at the same caps, counted in decoded bytes (crawler.crawl.middlewares.BoundedDecompressionMiddleware).
DOWNLOAD_MAXSIZE = 0
DOWNLOAD_WARNSIZE = 0
REDIRECT_MAX_TIMES = 10
# A <meta http-equiv=refresh> never replaces the page: the page is judged as served (a news home
# page refreshing itself every minute is not unreachable; an article sending readers home after
# 8 s still shows its label). The reader decides which refreshes are also followed.
METAREFRESH_ENABLED = False
COOKIES_ENABLED = False

# The spider keeps its own record of what it requested (a URL can be needed for a second
# column role) and its own click depth; breadth-first order keeps the crawl near home first.
DEPTH_LIMIT = 0
DEPTH_PRIORITY = 1
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
# The disk queue is used when a JOBDIR is set (the govaudit run sets a fresh one per crawl).
SCHEDULER = "crawler.crawl.frontier.FrontierScheduler"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"

DOWNLOADER_MIDDLEWARES = {
    # First: a replayed page needs neither robots.txt nor the network.
    "crawler.crawl.middlewares.ReplayMiddleware": 10,
    "crawler.crawl.middlewares.AddressGuardMiddleware": 50,
    # Before RobotsTxtMiddleware (100).
    "crawler.crawl.middlewares.WholeSiteRobotsMiddleware": 90,
    # Above RetryMiddleware (550) so a Retry-After answer is honoured before a blind retry.
    "crawler.crawl.middlewares.RetryAfterMiddleware": 560,
    # Sees a 3xx before RedirectMiddleware (600) follows it.
    "crawler.crawl.middlewares.SitePortRedirectMiddleware": 610,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "crawler.crawl.middlewares.BoundedDecompressionMiddleware": 590,
}

# Who loads the audit's settings when none are passed to the spider (a dotted path).
GOVAUDIT_CONFIG_LOADER = None

LOG_LEVEL = "INFO"
# No console into a crawl of someone else's site: Scrapy's telnet console and its remote-control
# server (code execution over HTTP on localhost, job files in the user's state folder) stay off.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
