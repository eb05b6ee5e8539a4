"""The Scrapy crawl: the spider, its middlewares and settings, attachments, the shared frontier and
the memory budget of the reader processes. It reads pages through crawler.reading and yields the items
of crawler.vocabulary; it never judges and never writes to the database."""
