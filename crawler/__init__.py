"""Fetching and reading a portal: the Scrapy spider, its middlewares and the page readers. It never
judges and never writes to the database; the audit wires it to the store."""
