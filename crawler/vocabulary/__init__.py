"""The words every layer shares, at the bottom: columns and evidence, crawl items and list coverage,
what reading a page yields (page roles, links, lists, hidden links), dates, quarters and URL identity.
It imports nothing of ours, so the crawler, the rules, the store and the reports can all use it."""
