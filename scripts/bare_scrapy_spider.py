"""Scrapy alone over the benchmark portal: every on-site link followed, nothing read, judged or stored.

The `scrapy` row of scripts/benchmark.py runs this with `scrapy runspider` (politeness off, 16
requests at once, like the audit's `--concurrency 16` row): the speed Scrapy itself reaches on
this machine, the ceiling of any crawler built on it, to set beside wget's floor and the audit's rows.
"""

from urllib.parse import urlsplit

import scrapy
from scrapy.linkextractors import LinkExtractor


class BareSpider(scrapy.Spider):
    name = "bare"
    custom_settings = {
        "ROBOTSTXT_OBEY": False,
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
        "DOWNLOAD_DELAY": 0,
        "LOG_LEVEL": "WARNING",
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,
        "HTTPERROR_ALLOW_ALL": True,
        "RETRY_ENABLED": False,
    }

    def __init__(self, url: str, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [url]
        # The portal's host and port (allow_domains would compare host:port with a bare host).
        self.site = urlsplit(url).netloc
        # Attachments too (wget --spider fetches them): no extension is left out.
        self.links = LinkExtractor(deny_extensions=[])

    def parse(self, response):
        if not isinstance(response, scrapy.http.TextResponse):
            return
        for link in self.links.extract_links(response):
            if urlsplit(link.url).netloc == self.site:
                yield response.follow(link.url, callback=self.parse)
