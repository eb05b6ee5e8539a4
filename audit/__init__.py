"""The audit: database models and store, the run from crawl to report, and the CLI."""
