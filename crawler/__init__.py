"""The Scrapy project: the portal spider, the page readers and the store pipeline."""
