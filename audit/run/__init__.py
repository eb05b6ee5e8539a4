"""The run flow: one audit from start to written outputs (runner, Scrapy process, item pipeline), many
sites and workers (cluster, sites), and what goes around a run (schedule, notify, log file, progress,
register imports). Above the reports: it hands them what to write."""
