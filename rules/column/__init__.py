"""Required-column rules: each required column is present, lists something and is kept current."""
