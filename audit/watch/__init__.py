"""`govaudit watch`: 动态监测 between quarters. Each watched site's home page is probed at spread times
(≥ 20 a day), every probe stored (site.unreachable judges the quarter's availability from them the
national way), and the office alerted at once when a site goes down, comes back, or its home page
shows 暗链 or defacement."""
