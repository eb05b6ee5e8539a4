"""Fetching and reading a portal, one layer per folder: crawl/ (the Scrapy spider, middlewares,
frontier), reading/ (page readers, no Scrapy) and vocabulary/ (the words every layer shares)."""
