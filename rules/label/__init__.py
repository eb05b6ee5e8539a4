"""公文公开属性 rules: every published 公文 carries exactly one label that allows publication."""
