"""The audit: the CLI, the run from crawl to report, the config, the register imports and the
database (audit/store)."""
