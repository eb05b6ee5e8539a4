"""HTML reports rendered with Jinja2 (autoescape on) from stored findings."""
