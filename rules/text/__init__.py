"""Wording rules: the page text uses no wrong characters and no obsolete names of bodies."""
