"""The audit, one layer per folder, top to bottom: cli/ (commands and the demo portal), run/ (the run
flow), judging/ (verdicts, units, scoring, history), store/ (the database), config/ (settings). The
report rendering (reports/) sits between run/ and judging/; see [tool.importlinter] in pyproject.toml."""
