"""The Scrapy project settings (scrapy.cfg): the crawler's own settings, plus the store pipeline, the
run's lifecycle (audit.run.extension) and the config loader, so `scrapy crawl portal -a url=…` audits into
the same database, the same way, as govaudit."""

import os

from crawler.crawl.settings import *  # noqa: F401,F403 — this module extends the crawler's settings

ITEM_PIPELINES = {"audit.run.pipeline.StorePipeline": 300}
# What Scrapy logs of crawled pages (URLs, text) is masked like every other output.
EXTENSIONS = {**EXTENSIONS, "audit.run.logfile.MaskedScrapyLog": 0, "audit.run.extension.RunLifecycle": 0}  # noqa: F405 — the crawler's throttle kept
GOVAUDIT_CONFIG_LOADER = "audit.config.load_settings"
GOVAUDIT_DB = os.environ.get("GOVAUDIT_DB")
GOVAUDIT_RUN_ID = None
GOVAUDIT_AS_OF = None
