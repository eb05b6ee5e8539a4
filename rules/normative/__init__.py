"""规章和行政规范性文件库 rules: each document shows its metadata and offers a downloadable version."""
