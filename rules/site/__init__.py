"""Whole-site rules: the home page answers and is kept current."""
