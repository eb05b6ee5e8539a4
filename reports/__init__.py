"""Report rendering: turns what judging decided into documents — the bulletin and column report
(HTML, PDF, docx), exports and the combined bulletin of many sites."""
