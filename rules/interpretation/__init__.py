"""政策解读 rules: every 规范性文件 has a 解读, and a document and its 解读 link to each other."""
