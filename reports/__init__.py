"""Everything that turns stored results into documents: the bulletin and column report (HTML, PDF,
docx), exports, scoring, units, verdicts and the combined bulletin of many sites."""
