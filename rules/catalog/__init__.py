"""政府信息公开基本目录 rules: every node of the catalogue tree holds information or says why not."""
