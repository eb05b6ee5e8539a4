"""Page-level rules: what every article page carries for search engines and the national monitor."""
