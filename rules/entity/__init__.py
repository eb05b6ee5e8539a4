"""公共企事业单位信息公开 rules: the 专栏 covers every required sector."""
