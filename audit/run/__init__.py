"""The run flow: one audit from start to written outputs (lifecycle: start → crawl → conclude → write;
crawl: the Scrapy process; share: Redis; extension: the same lifecycle under `scrapy crawl`; pipeline:
the items stored; runner: the outputs), many
sites and workers (cluster, sites), and what goes around a run (schedule, notify, log file, progress,
register imports). Above the reports: it hands them what to write."""
