#!/usr/bin/env python3
"""Speed and memory benchmark of a whole `govaudit audit` run on a synthetic county portal.

The project's speed and memory targets are checked here, not by timed unit tests (issue 2:
"a 20k-page portal must be audited within a few hundred MB").

What it does:

1. Generates a deterministic (seeded) county portal of N HTML pages into a temp folder: a home
   page with nav, a 专题 box naming the five required columns and dated news boxes; section pages;
   paginated lists (20 rows a page, dated, 下一页/尾页 pager, TRS-style index_N.html); the five
   required columns (基本目录 and 公共企事业单位信息公开 with sub-columns); detail pages with an
   xxgk metadata table (索引号, 发布机构, 文号, 发布日期), 3-8 KB of Chinese body text and a 公开属性
   label on documents; nav, breadcrumb and footer repeated on every page (as real portals do, which
   is what makes the link table big); small .pdf/.docx attachments; a few broken links (missing
   pages, missing attachments, a dead off-site host).
2. Serves it on 127.0.0.1 with nginx (scripts/benchmark_serve.py: the system's, or unpacked from
   Debian's package), so the server is not the bottleneck; the project's Python server
   (audit.cli.demo.server) when nginx cannot be had or with `--server python`. A short probe measures how
   many requests a second the server answers. The server records every request it answers (start,
   end, connection, status, body bytes).
3. Runs the comparison rows over the same portal, one after the other (scripts/benchmark_rows.py),
   each measured the same way: wall time, pages fetched (distinct paths the server answered),
   pages/s, peak RSS and CPU seconds of the process tree (GNU time), requests and bytes sent:
   - `wget --spider -r`: fetching plus link extraction, the floor;
   - LinkChecker (pip-installed into a venv in the tools folder) with its rate limit lifted;
   - Scrapy alone (scripts/bare_scrapy_spider.py: every on-site link followed, nothing read, judged or
     stored; 16 at once): the ceiling of any crawler built on Scrapy on this machine;
   - `govaudit audit` with the polite defaults (`--delay S` to add a delay);
   - `govaudit audit --concurrency 16` (politeness off, for one's own site);
   - the re-audit: the polite audit again on the unchanged portal with the same DB. The bytes the
     server sent for run 2 against run 1 (headers included) show what conditional requests (ETag /
     Last-Modified → 304; nginx sends both) save, and the findings of the two runs must be identical.
   A row whose tool cannot be had is skipped with the reason. The govaudit rows run the real CLI
   (`audit.cli:main audit URL --max-pages >N --quiet --db sqlite:///...`) through a thin wrapper that
   times the phases of audit.run.lifecycle.run_audit (crawl, snapshot, rules, outputs) and notes the RSS after
   each; project code is not changed. `--plain` runs the installed `govaudit` executable instead.
4. Politeness as the site sees it: for the polite rows, the most connections in use at once (a
   kept-alive connection counts from its first request to its last) and the most requests started
   within one second, against the limits read from the config and crawler settings
   (CONCURRENT_REQUESTS_PER_DOMAIN, crawl.delay).
5. Prints the machine (CPUs, load average at start and end), the rows, the phases of the polite audit,
   politeness and re-audit; `--json FILE` writes all of it. With --check exits 1 when a govaudit row's
   peak RSS > --max-rss-mb, the polite audit's pages/s < --min-rate, the polite crawl exceeded its
   limits, the re-audit's findings differ or it cost more than --max-reaudit-ratio of the first
   audit's bytes, or a row failed.

Usage::

    python scripts/benchmark.py --pages 2000 --json /tmp/bench.json
    nice -n 5 python scripts/benchmark.py --pages 20000 --check --tools /tmp/bench-tools
    python scripts/benchmark.py --pages 500 --rows polite,reaudit --keep /tmp/portal   # keep portal, DBs, logs

Only the standard library and the project are used; nginx and LinkChecker are fetched from Debian's
archive and PyPI for their rows.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import random
import shutil
import sys
import tempfile
import threading
import time
import urllib.request
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchmark_rows import (  # noqa: E402
    LINKCHECKER_OK,
    WGET_OK,
    Measured,
    linkchecker_command,
    linkchecker_version,
    machine,
    run_measured,
    scrapy_command,
    wget_command,
)
from benchmark_serve import RequestStats, serve  # noqa: E402

AS_OF = date(2024, 6, 30)
FIRST_DAY = date(2019, 1, 1)
ROWS_PER_PAGE = 20
SITE = "示例县人民政府"
COUNTY = "示例县"
# A dead off-site host: refused at once, so the link check costs no timeout.
DEAD_HOST = "http://localhost:1"
# Conservative default for --min-rate (pages stored per second of the whole audit): on a 2-core machine
# shared with other work the 2k run made 31 pages/s and the 20k run 44 (crawl alone 41 and 55); this
# only catches a large regression (15 pages/s is a 20k audit of about 25 minutes).
DEFAULT_MIN_RATE = 15.0
DEFAULT_MAX_RSS_MB = 500.0
# Issue 11: a quarterly re-audit of an unchanged portal costs at most 30% of the first audit's bytes.
DEFAULT_MAX_REAUDIT_RATIO = 0.3

# -- text -------------------------------------------------------------------------------------

_SUBJECTS = [
    "县人民政府",
    "县政府办公室",
    "县发展和改革局",
    "县财政局",
    "县教育体育局",
    "县卫生健康局",
    "县自然资源局",
    "县住房和城乡建设局",
    "县农业农村局",
    "县市场监督管理局",
    "县人力资源和社会保障局",
    "县生态环境分局",
    "县交通运输局",
    "县水务局",
    "县民政局",
    "县司法局",
    "县应急管理局",
    "县政务服务管理局",
    "各乡（镇）人民政府",
]
_ACTIONS = [
    "深入贯彻落实",
    "认真组织实施",
    "统筹推进",
    "持续深化",
    "扎实开展",
    "全面加强",
    "进一步规范",
    "切实做好",
    "稳步推进",
    "着力提升",
    "加快完善",
    "严格落实",
]
_TOPICS = [
    "优化营商环境",
    "乡村振兴",
    "安全生产",
    "政务公开",
    "生态环境保护",
    "民生保障",
    "就业创业",
    "基层治理",
    "疫情防控常态化",
    "防汛抗旱",
    "森林防火",
    "义务教育均衡发展",
    "医疗卫生服务体系建设",
    "城乡居民养老保险",
    "农村人居环境整治",
    "项目建设",
    "招商引资",
    "一网通办",
    "信用体系建设",
    "耕地保护",
    "食品安全",
]
_TAILS = [
    "各项工作",
    "工作任务",
    "相关要求",
    "长效机制",
    "责任体系",
    "服务水平",
    "监督检查",
    "宣传引导",
    "制度建设",
    "风险防范",
    "考核评价",
]
_CLAUSES = [
    "坚持以人民为中心的发展思想",
    "按照县委、县政府的统一部署",
    "结合本县实际",
    "聚焦群众急难愁盼问题",
    "对标上级要求",
    "坚持问题导向和目标导向",
    "以高质量发展为主线",
    "强化部门协同联动",
]
_RESULTS = [
    "确保各项任务按期完成",
    "切实提高群众满意度",
    "推动工作取得实效",
    "形成工作合力",
    "不断提升治理能力和水平",
    "为全县经济社会高质量发展提供有力保障",
    "确保取得实实在在的成效",
]
_NEWS_VERBS = ["召开", "举行", "开展", "部署", "推进", "调研", "督导", "启动"]
_NEWS_THINGS = ["工作推进会", "专题会议", "现场观摩会", "培训班", "专项检查", "集中宣传活动", "动员大会", "座谈会"]
_TOWNS = [
    "城关镇",
    "八寨镇",
    "仁和镇",
    "木厂镇",
    "夹寒箐镇",
    "小坝子镇",
    "都龙镇",
    "金厂镇",
    "坡脚镇",
    "南捞乡",
    "大栗树乡",
    "篾厂乡",
    "古林箐乡",
]
_LABELS_OK = ["（此件公开发布）", "（此件公开发布）", "（此件公开发布）", "（此件删减后公开）"]


def _sentence(rng: random.Random) -> str:
    return (
        f"{rng.choice(_CLAUSES)}，{rng.choice(_SUBJECTS)}{rng.choice(_ACTIONS)}{rng.choice(_TOPICS)}"
        f"{rng.choice(_TAILS)}，{rng.choice(_ACTIONS)}{rng.choice(_TOPICS)}，{rng.choice(_RESULTS)}。"
    )


def body_paragraphs(rng: random.Random, target_bytes: int) -> list[str]:
    """Paragraphs of government prose adding up to about `target_bytes` of UTF-8."""
    paragraphs, size = [], 0
    while size < target_bytes:
        text = "".join(_sentence(rng) for _ in range(rng.randint(2, 5)))
        paragraphs.append(text)
        size += len(text.encode("utf-8")) + 7
    return paragraphs


def news_title(rng: random.Random) -> str:
    who = rng.choice([COUNTY, COUNTY + rng.choice(_SUBJECTS)[1:], rng.choice(_TOWNS)])
    return f"{who}{rng.choice(_NEWS_VERBS)}{rng.choice(_TOPICS)}{rng.choice(_NEWS_THINGS)}"


def doc_title(rng: random.Random, year: int) -> str:
    issuer = rng.choice(["示例县人民政府", "示例县人民政府办公室"])
    kind = rng.choice(["管理办法", "实施方案", "实施细则", "若干措施", "工作方案", "暂行规定"])
    return f"{issuer}关于印发示例县{rng.choice(_TOPICS)}{kind}（{year}年）的通知"


# -- site model -------------------------------------------------------------------------------


@dataclass
class ListSpec:
    path: str  # folder under the root, e.g. "zwdt/zwyw"
    name: str  # column name shown in lists and breadcrumbs
    share: float  # share of the detail pages
    kind: str  # "news" or "doc" (documents carry metadata, 文号 and a label)
    section: str  # top section folder (breadcrumb)
    items: list["Item"] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(len(self.items) / ROWS_PER_PAGE))

    def page_path(self, number: int) -> str:
        """Path of list page `number` (0 = index.html, then index_1.html … as TRS writes them)."""
        return f"{self.path}/index.html" if number == 0 else f"{self.path}/index_{number}.html"


@dataclass
class Item:
    id: int
    title: str
    day: date
    spec: ListSpec
    attachment: str | None = None  # path of an attachment, if any
    attachment_missing: bool = False  # linked but not written (a broken link)
    broken_link: bool = False  # links a page that does not exist
    related: str | None = None  # path of a related 解读 / document page
    label: str | None = None

    @property
    def path(self) -> str:
        return f"{self.spec.path}/{self.day:%Y%m}/t{self.day:%Y%m%d}_{self.id}.html"


SECTIONS = {"zwdt": "政务动态", "xxgk": "政府信息公开", "zwfw": "政务服务", "hdjl": "互动交流", "zt": "专题专栏"}
FOOTER_PAGES = {"wzdt": "网站地图", "lxwm": "联系我们", "wzsm": "网站声明", "syfz": "使用帮助", "wza": "无障碍说明"}
XXGK_PAGES = {"gkzn": "政府信息公开指南", "gkzd": "政府信息公开制度", "ndbg": "政府信息公开年报"}
COLUMNS = {  # required column: (folder, anchor text, sub-columns)
    "lqhm": ("zt/lqhm", "利企惠民政策专区", []),
    "jbml": (
        "xxgk/jbml",
        "基本目录",
        [
            ("jgzn", "机构职能"),
            ("zcwj", "政策文件"),
            ("ghxx", "规划信息"),
            ("czxx", "财政信息"),
            ("rsxx", "人事信息"),
            ("tjxx", "统计信息"),
        ],
    ),
    "gfxwj": ("xxgk/gfxwj", "规范性文件", []),
    "ggqsy": (
        "xxgk/ggqsy",
        "公共企事业单位信息公开",
        [
            ("jy", "教育"),
            ("wsjk", "卫生健康"),
            ("gs", "供水"),
            ("gd", "供电"),
            ("gq", "供气"),
            ("hjbh", "环境保护"),
            ("ggjt", "公共交通"),
        ],
    ),
    "xzxk": ("xxgk/xzxk", "行政许可事项清单", []),
}


def list_specs() -> list[ListSpec]:
    specs = [
        ListSpec("zwdt/zwyw", "政务要闻", 0.14, "news", "zwdt"),
        ListSpec("zwdt/tzgg", "通知公告", 0.08, "news", "zwdt"),
        ListSpec("zwdt/bmdt", "部门动态", 0.12, "news", "zwdt"),
        ListSpec("zwdt/xzdt", "乡镇动态", 0.12, "news", "zwdt"),
        ListSpec("zwdt/jjdt", "经济动态", 0.06, "news", "zwdt"),
        ListSpec("xxgk/zcjd", "政策解读", 0.05, "news", "xxgk"),
        ListSpec("xxgk/gsgg", "公示公告", 0.06, "news", "xxgk"),
        ListSpec("zwfw/bszn", "办事指南", 0.05, "news", "zwfw"),
        ListSpec("hdjl/dczj", "调查征集", 0.02, "news", "hdjl"),
        ListSpec("zt/lqhm", "利企惠民政策专区", 0.06, "doc", "zt"),
        ListSpec("xxgk/gfxwj", "规范性文件", 0.05, "doc", "xxgk"),
        ListSpec("xxgk/xzxk", "行政许可事项清单", 0.03, "doc", "xxgk"),
    ]
    for key, share in (("jbml", 0.09), ("ggqsy", 0.07)):
        folder, _, subs = COLUMNS[key]
        specs += [ListSpec(f"{folder}/{sub}", name, share / len(subs), "doc", "xxgk") for sub, name in subs]
    return specs


def fixed_page_count() -> int:
    """Pages that are not list pages or details: home, sections, footer pages, column roots."""
    return 1 + len(SECTIONS) + len(FOOTER_PAGES) + len(XXGK_PAGES) + 2  # + jbml and ggqsy roots


def plan_site(pages: int, seed: int) -> list[ListSpec]:
    """Every list with its items (titles, dates, attachments, broken links), deterministic."""
    rng = random.Random(seed)
    specs = list_specs()
    details = max(len(specs), round((pages - fixed_page_count()) * ROWS_PER_PAGE / (ROWS_PER_PAGE + 1)))
    counts = [max(1, int(details * spec.share)) for spec in specs]
    counts[0] += details - sum(counts)
    next_id = 10_000
    span = (AS_OF - FIRST_DAY).days
    for spec, count in zip(specs, counts):
        # Newest first, as lists show them; the newest row a few days before as-of.
        days = sorted(
            (AS_OF - timedelta(days=rng.randint(1, 10) if i == 0 else rng.randint(1, span)) for i in range(count)),
            reverse=True,
        )
        for day in days:
            next_id += 1
            if spec.kind == "doc":
                title = doc_title(rng, day.year)
            else:
                title = news_title(rng)
            item = Item(next_id, title, day, spec)
            if spec.kind == "doc":
                roll = rng.random()
                item.label = None if roll < 0.03 else "（此件依申请公开）" if roll < 0.035 else rng.choice(_LABELS_OK)
                if spec.path == "xxgk/gfxwj" or rng.random() < 0.12:
                    ext = "pdf" if rng.random() < 0.7 else "docx"
                    item.attachment = f"{spec.path}/files/P{day:%Y%m%d}{item.id}.{ext}"
                    item.attachment_missing = rng.random() < 0.02
            item.broken_link = rng.random() < 0.005
            spec.items.append(item)
    # 规范性文件 ↔ 政策解读: the first documents and the first 解读 pages link each other.
    gfxwj = next(s for s in specs if s.path == "xxgk/gfxwj")
    zcjd = next(s for s in specs if s.path == "xxgk/zcjd")
    for doc, interp in zip(gfxwj.items, zcjd.items[: len(gfxwj.items) * 2 // 3]):
        interp.title = f"《{doc.title.split('关于印发')[-1].removesuffix('的通知')}》政策解读"
        doc.related, interp.related = interp.path, doc.path
    return specs


# -- HTML -------------------------------------------------------------------------------------


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def page_html(title: str, body: str, column: str = "首页", article: Item | None = None, kind: str = "列表") -> str:
    meta = [
        f'<meta name="SiteName" content="{SITE}">',
        '<meta name="SiteDomain" content="www.example.gov.cn">',
        '<meta name="SiteIDCode" content="5399990001">',
        f'<meta name="ColumnName" content="{_esc(column)}">',
        f'<meta name="ColumnType" content="{kind}">',
    ]
    if article is not None:
        meta += [
            f'<meta name="ArticleTitle" content="{_esc(article.title)}">',
            f'<meta name="PubDate" content="{article.day.isoformat()} 09:30">',
            f'<meta name="ContentSource" content="{_esc(article.spec.name)}">',
        ]
    nav = "".join(f'<li><a href="/{key}/index.html">{name}</a></li>' for key, name in SECTIONS.items())
    footer = "　|　".join(f'<a href="/{key}/index.html">{name}</a>' for key, name in FOOTER_PAGES.items())
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{_esc(title)}_{SITE}</title>
{chr(10).join(meta)}
<link rel="stylesheet" href="/css/style.css">
<script src="/js/common.js"></script>
</head>
<body>
<div class="top-bar"><div class="w1200"><span class="welcome">欢迎访问{SITE}门户网站</span><span class="top-right"><a href="/wza/index.html">无障碍浏览</a>　|　长者模式</span></div></div>
<div class="header"><div class="w1200">
<div class="logo"><img src="/images/logo.png" alt="{SITE}"><span class="logo-text">{SITE}</span></div>
<div class="search"><form action="/search/"><input type="text" name="q" placeholder="请输入关键词"><button type="button">搜索</button></form></div>
</div></div>
<div class="nav"><ul class="w1200"><li><a href="/index.html">首页</a></li>{nav}</ul></div>
<div class="main w1200">
{body}
</div>
<div class="footer"><div class="w1200">
<p>{footer}</p>
<p>主办单位：{SITE}办公室　承办单位：{COUNTY}融媒体中心　<a href="{DEAD_HOST}/conac/"><img src="/images/dzjg.png" alt="党政机关"></a></p>
<p>网站标识码：5399990001　<a href="{DEAD_HOST}/beian/">滇ICP备20990001号-1</a>　滇公网安备 53999902000001号</p>
<p>地址：云南省示例州示例县示例大道1号　邮编：663700　（本站为基准测试生成的虚构网站）</p>
</div></div>
</body>
</html>
"""


def _crumbs(*pairs: tuple[str, str | None]) -> str:
    parts = ['<a href="/index.html">首页</a>']
    for name, href in pairs:
        parts.append(f'<a href="/{href}">{name}</a>' if href else f"<span>{name}</span>")
    return '<div class="position">当前位置：' + " &gt; ".join(parts) + "</div>"


def _rows(items: list[Item]) -> str:
    return "\n".join(
        f'<li><a href="/{i.path}" title="{_esc(i.title)}">{_esc(i.title)}</a>'
        f'<span class="date">{i.day.isoformat()}</span></li>'
        for i in items
    )


def _pager(spec: ListSpec, number: int) -> str:
    total = spec.pages
    if total <= 1:
        return f'<div class="page"><span>共{len(spec.items)}条记录</span> <span>共1页</span></div>'
    href = lambda n: "/" + spec.page_path(n)  # noqa: E731
    parts = [f"<span>共{len(spec.items)}条记录</span>", f"<span>共{total}页</span>"]
    parts.append(f'<a href="{href(0)}">首页</a>' if number else '<span class="disabled">首页</span>')
    parts.append(f'<a href="{href(number - 1)}">上一页</a>' if number else '<span class="disabled">上一页</span>')
    low = max(0, min(number - 2, total - 5))
    for n in range(low, min(total, low + 5)):
        parts.append(f'<span class="current">{n + 1}</span>' if n == number else f'<a href="{href(n)}">{n + 1}</a>')
    if number + 1 < total:
        parts += [f'<a href="{href(number + 1)}">下一页</a>', f'<a href="{href(total - 1)}">尾页</a>']
    return '<div class="page">' + " ".join(parts) + "</div>"


def _xxgk_left() -> str:
    links = [(f"{COLUMNS[key][0]}/index.html", COLUMNS[key][1]) for key in ("jbml", "gfxwj", "ggqsy", "xzxk")]
    links += [(f"xxgk/{key}/index.html", name) for key, name in XXGK_PAGES.items()]
    links.append(("xxgk/zcjd/index.html", "政策解读"))
    return (
        '<div class="left-nav"><div class="left-title">政府信息公开</div><ul>'
        + "".join(f'<li><a href="/{href}">{name}</a></li>' for href, name in links)
        + "</ul></div>"
    )


def list_page(spec: ListSpec, number: int, parent: tuple[str, str] | None) -> str:
    rows = spec.items[number * ROWS_PER_PAGE : (number + 1) * ROWS_PER_PAGE]
    crumbs = [(SECTIONS[spec.section], f"{spec.section}/index.html")]
    if parent:
        crumbs.append(parent)
    crumbs.append((spec.name, None))
    left = _xxgk_left() if spec.section == "xxgk" else ""
    body = (
        f'{_crumbs(*crumbs)}\n<div class="col-wrap">{left}<div class="right-content">'
        f'<div class="col-title"><h2>{spec.name}</h2></div>\n<ul class="list">\n{_rows(rows)}\n</ul>\n'
        f"{_pager(spec, number)}</div></div>"
    )
    return page_html(spec.name, body, spec.name)


def _metadata_table(item: Item, rng: random.Random) -> str:
    publisher = rng.choice(_SUBJECTS[:-1])
    written = item.day - timedelta(days=rng.randint(1, 10))
    number = f"示政{'规' if item.spec.path == 'xxgk/gfxwj' else '发'}〔{item.day.year}〕{item.id % 97 + 1}号"
    return (
        f'<table class="xxgk-meta">\n'
        f"<tr><th>索 引 号：</th><td>11539999MB0000123X/{item.day.year}-{item.id:05d}</td>"
        f"<th>主题分类：</th><td>{rng.choice(_TOPICS)}</td></tr>\n"
        f"<tr><th>发布机构：</th><td>示例{publisher}</td><th>成文日期：</th><td>{written.isoformat()}</td></tr>\n"
        f'<tr><th>名　　称：</th><td colspan="3">{_esc(item.title)}</td></tr>\n'
        f"<tr><th>文　　号：</th><td>{number}</td><th>发布日期：</th><td>{item.day.isoformat()}</td></tr>\n"
        f'<tr><th>有 效 性：</th><td colspan="3">现行有效</td></tr>\n</table>'
    )


def detail_page(item: Item, rng: random.Random, parent: tuple[str, str] | None) -> str:
    spec = item.spec
    crumbs = [(SECTIONS[spec.section], f"{spec.section}/index.html")]
    if parent:
        crumbs.append(parent)
    crumbs += [(spec.name, f"{spec.path}/index.html"), ("正文", None)]
    paragraphs = body_paragraphs(rng, rng.randint(3000, 8000))
    parts = [_crumbs(*crumbs), '<div class="article">']
    if spec.kind == "doc":
        parts.append(_metadata_table(item, rng))
    parts.append(f'<h1 class="article-title">{_esc(item.title)}</h1>')
    if spec.kind == "news":
        parts.append(
            f'<div class="info">发布时间：{item.day.isoformat()}　来源：{COUNTY}融媒体中心　'
            f"浏览次数：{rng.randint(50, 5000)}</div>"
        )
    parts.append('<div class="article-content" id="zoom">')
    parts += [f"<p>{p}</p>" for p in paragraphs]
    if spec.kind == "doc":
        parts.append(
            f'<p style="text-align:right">{SITE}</p><p style="text-align:right">'
            f"{item.day.year}年{item.day.month}月{item.day.day}日</p>"
        )
        if item.label:
            parts.append(f"<p>{item.label}</p>")
    parts.append("</div>")
    if item.attachment:
        name = item.title[:30] + Path(item.attachment).suffix
        parts.append(f'<div class="attachment">附件：<a href="/{item.attachment}">{_esc(name)}</a></div>')
    if item.related:
        parts.append(
            f'<div class="related">相关{"文件" if spec.path == "xxgk/zcjd" else "解读"}：'
            f'<a href="/{item.related}">相关链接</a></div>'
        )
    if item.broken_link:
        parts.append(
            f'<div class="related">延伸阅读：<a href="/{spec.path}/old/t2018_{item.id}.html">往期报道</a></div>'
        )
    parts.append(
        '<div class="share"><a href="javascript:window.print()">打印本页</a>'
        '　<a href="javascript:window.close()">关闭窗口</a></div></div>'
    )
    return page_html(item.title, "\n".join(parts), spec.name, article=item, kind="文章")


def home_page(specs: list[ListSpec]) -> str:
    by_path = {s.path: s for s in specs}
    zt = "".join(
        f'<a href="/{COLUMNS[key][0]}/index.html" class="banner-{key}">{COLUMNS[key][1]}</a>' for key in COLUMNS
    )
    boxes = []
    for path in ("zwdt/zwyw", "zwdt/tzgg", "zwdt/bmdt", "zwdt/xzdt", "xxgk/gsgg", "xxgk/zcjd"):
        spec = by_path[path]
        boxes.append(
            f'<div class="box"><div class="box-hd"><h3>{spec.name}</h3>'
            f'<a href="/{path}/index.html" class="more">更多&gt;&gt;</a></div>'
            f'<ul class="list">\n{_rows(spec.items[:8])}\n</ul></div>'
        )
    links = (
        '<div class="yqlj">友情链接：<a href="http://localhost:1/yn/">云南省人民政府</a>　'
        '<a href="http://localhost:1/zhou/">示例州人民政府</a></div>'
    )
    body = (
        f'<div class="banner"><img src="/images/banner.jpg" alt="{SITE}"></div>\n'
        f'<div class="zt-box"><div class="zt-title">专题专栏</div><div class="zt-list">{zt}</div></div>\n'
        + "\n".join(f'<div class="home-row">{"".join(boxes[i : i + 2])}</div>' for i in range(0, len(boxes), 2))
        + "\n"
        + links
    )
    return page_html(SITE, body)


def section_page(key: str, name: str, specs: list[ListSpec]) -> str:
    mine = [s for s in specs if s.section == key and s.path.count("/") == 1]
    if key == "xxgk":
        mine = [s for s in mine if s.path not in ("xxgk/gfxwj", "xxgk/xzxk")]
    boxes = [
        f'<div class="box"><div class="box-hd"><h3>{s.name}</h3><a href="/{s.path}/index.html" class="more">'
        f'更多&gt;&gt;</a></div><ul class="list">\n{_rows(s.items[:5])}\n</ul></div>'
        for s in mine
    ]
    left = _xxgk_left() if key == "xxgk" else ""
    if key == "zt":
        left = '<ul class="zt">' + f'<li><a href="/{COLUMNS["lqhm"][0]}/index.html">{COLUMNS["lqhm"][1]}</a></li></ul>'
    body = (
        f'{_crumbs((name, None))}\n<div class="col-wrap">{left}<div class="right-content">{"".join(boxes)}</div></div>'
    )
    return page_html(name, body, name)


def text_page(title: str, crumbs: list[tuple[str, str | None]], rng: random.Random) -> str:
    paragraphs = body_paragraphs(rng, 2000)
    body = (
        f'{_crumbs(*crumbs)}\n<div class="article"><h1>{title}</h1>'
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "</div>"
    )
    return page_html(title, body, title, kind="文章")


def catalog_page(key: str, specs: list[ListSpec]) -> str:
    folder, name, subs = COLUMNS[key]
    by_path = {s.path: s for s in specs}
    nodes = "".join(
        f'<li><a href="/{folder}/{sub}/index.html">{label}</a>（{len(by_path[f"{folder}/{sub}"].items)}）</li>'
        for sub, label in subs
    )
    body = (
        f'{_crumbs(("政府信息公开", "xxgk/index.html"), (name, None))}\n<div class="col-wrap">{_xxgk_left()}'
        f'<div class="right-content"><div class="col-title"><h2>{name}</h2></div><ul class="tree">{nodes}</ul>'
        f"</div></div>"
    )
    return page_html(name, body, name)


def tiny_pdf(text: str) -> bytes:
    """A one-page PDF whose text layer says `text` (ASCII)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def tiny_docx(paragraphs: list[str]) -> bytes:
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{_esc(p)}</w:t></w:r></w:p>" for p in paragraphs)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/></Relationships>',
        )
        z.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{ns}"><w:body>{body}</w:body></w:document>',
        )
    return out.getvalue()


def generate(root: Path, pages: int, seed: int) -> dict[str, int]:
    """Write the portal into `root`; returns counts of what was written."""
    specs = plan_site(pages, seed)
    rng = random.Random(seed + 1)
    html_pages = attachments = 0
    html_bytes = 0

    def write(path: str, text: str) -> None:
        nonlocal html_pages, html_bytes
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        target.write_bytes(data)
        html_pages += 1
        html_bytes += len(data)

    for folder in ("css", "js", "images"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "css/style.css").write_text("body{font-family:SimSun,serif}.w1200{width:1200px;margin:0 auto}\n")
    (root / "js/common.js").write_text("/* portal scripts */\n")
    (root / "images/logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    # images/banner.jpg and images/dzjg.png are deliberately missing: broken images on every page.
    write("index.html", home_page(specs))
    for key, name in SECTIONS.items():
        write(f"{key}/index.html", section_page(key, name, specs))
    for key, name in FOOTER_PAGES.items():
        write(f"{key}/index.html", text_page(name, [(name, None)], rng))
    for key, name in XXGK_PAGES.items():
        write(f"xxgk/{key}/index.html", text_page(name, [("政府信息公开", "xxgk/index.html"), (name, None)], rng))
    for key in ("jbml", "ggqsy"):
        write(f"{COLUMNS[key][0]}/index.html", catalog_page(key, specs))
    pdf_text = tiny_pdf("Shili County normative document attachment")
    for spec in specs:
        parent = None
        for key in ("jbml", "ggqsy"):
            if spec.path.startswith(COLUMNS[key][0] + "/"):
                parent = (COLUMNS[key][1], f"{COLUMNS[key][0]}/index.html")
        for number in range(spec.pages):
            write(spec.page_path(number), list_page(spec, number, parent))
        for item in spec.items:
            write(item.path, detail_page(item, rng, parent))
            if item.attachment and not item.attachment_missing:
                target = root / item.attachment
                target.parent.mkdir(parents=True, exist_ok=True)
                if target.suffix == ".pdf":
                    target.write_bytes(pdf_text)
                else:
                    target.write_bytes(tiny_docx(body_paragraphs(rng, 1500)))
                attachments += 1
    broken = sum(1 for s in specs for i in s.items if i.broken_link or i.attachment_missing)
    return {
        "html_pages": html_pages,
        "attachments": attachments,
        "html_mb": html_bytes / 1e6,
        "broken_targets": broken + 4,
        "lists": len(specs),
    }


# -- server probe -----------------------------------------------------------------------------


def probe_server(base_url: str, paths: list[str], threads: int = 4, seconds: float = 3.0) -> float:
    """Requests per second the server answers (GET of HTML pages, `threads` clients in parallel)."""
    done = [0] * threads
    stop = time.monotonic() + seconds

    def client(index: int) -> None:
        n = index
        while time.monotonic() < stop:
            with urllib.request.urlopen(base_url + paths[n % len(paths)], timeout=10) as response:
                response.read()
            done[index] += 1
            n += threads

    workers = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    start = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(done) / (time.monotonic() - start)


# -- the rows ---------------------------------------------------------------------------------


@dataclass
class Row:
    """One comparison row: a client run over the whole portal, measured at both ends."""

    name: str
    skipped: str | None = None
    measured: Measured | None = None
    served: RequestStats | None = None
    failed: str | None = None
    key: str | None = None  # one of ROWS
    # govaudit rows
    db_path: Path | None = None
    run_id: int | None = None
    stored_pages: int | None = None
    # The database's size once the row finished (WAL checkpointed into it).
    db_bytes: int | None = None
    phases: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    findings: list[str] | None = None  # finding fingerprints of the run

    @property
    def pages_per_second(self) -> float | None:
        if self.measured is None or self.served is None:
            return None
        return self.served.pages / max(self.measured.seconds, 1e-3)

    def figures(self) -> dict:
        figures: dict = {"name": self.name}
        if self.skipped:
            return {**figures, "skipped": self.skipped}
        if self.failed:
            figures["failed"] = self.failed
        if self.measured:
            figures.update(
                wall_seconds=round(self.measured.seconds, 2),
                exit_code=self.measured.exit_code,
                peak_rss_mb=round(self.measured.peak_rss_mb, 1),
                cpu_seconds=round(self.measured.cpu_seconds, 2),
            )
        if self.served:
            figures.update(
                pages_fetched=self.served.pages,
                pages_per_second=round(self.pages_per_second, 1),
                requests=self.served.requests,
                bytes_sent=self.served.bytes_sent,
                body_bytes_sent=self.served.body_bytes,
                not_modified=self.served.not_modified,
                max_connections=self.served.max_connections,
                max_in_progress=self.served.max_in_progress,
                max_requests_per_second=self.served.max_per_second,
            )
        if self.run_id is not None:
            figures.update(
                run_id=self.run_id,
                stored_pages=self.stored_pages,
                findings=len(self.findings or []),
                phases=self.phases,
            )
        return figures


# Runs the real CLI (audit.cli:main) and times the phases of audit.run.lifecycle.run_audit by wrapping
# the functions it calls; prints "BENCH <phase> <seconds> <rss_mb> <peak_mb>" lines on stderr.
_WRAPPER = r"""
import resource, sys, time
import audit.judging.judge as judging
import audit.run.lifecycle as lifecycle
from audit.store import Store

def _rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20

def _timed(name, fn):
    def wrapper(*args, **kwargs):
        start = time.monotonic()
        try:
            return fn(*args, **kwargs)
        finally:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"BENCH {name} {time.monotonic() - start:.3f} {_rss():.1f} {peak:.1f}", file=sys.stderr, flush=True)
    return wrapper

lifecycle.crawl = _timed("crawl", lifecycle.crawl)
lifecycle.conclude_run = _timed("conclude", lifecycle.conclude_run)
judging.judge = _timed("rules", judging.judge)
judging.annotate = _timed("annotate", judging.annotate)
lifecycle.summarise_columns = _timed("summary", lifecycle.summarise_columns)
lifecycle.write_outputs = _timed("outputs", lifecycle.write_outputs)
Store.snapshot = _timed("snapshot", Store.snapshot)
from audit.cli import main
sys.argv[0] = "govaudit"
main()
"""


def audit_command(
    base_url: str, db_path: Path, out_dir: Path, max_pages: int, plain: bool, extra: list[str]
) -> list[str]:
    args = [
        "audit",
        base_url,
        "--as-of",
        AS_OF.isoformat(),
        "--max-pages",
        str(max_pages),
        "--quiet",
        "--db",
        f"sqlite:///{db_path}",
        "--out",
        str(out_dir),
        *extra,
    ]
    if plain:
        executable = Path(sys.executable).with_name("govaudit")
        return [str(executable) if executable.exists() else "govaudit", *args]
    return [sys.executable, "-c", _WRAPPER, *args]


def phases_of(stderr: str) -> dict[str, tuple[float, float, float]]:
    phases = {}
    for line in stderr.splitlines():
        if line.startswith("BENCH "):
            _, name, secs, rss, peak = line.split()
            phases[name] = (float(secs), float(rss), float(peak))
    return phases


# Tables whose rows the runs share (page versions and bodies, stored once by digest).
SHARED_TABLES = ("page_version", "page_content")


def db_bytes(db_path: Path) -> int:
    """The database's size with its write-ahead log checkpointed into it."""
    import sqlite3

    with sqlite3.connect(db_path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return sum(path.stat().st_size for path in db_path.parent.glob(db_path.name + "*"))


def db_counts(db_path: Path, run_id: int | None = None) -> dict[str, int]:
    import sqlite3

    counts = {}
    with sqlite3.connect(db_path) as connection:
        for table in ("page", "link_check", "column_page", "finding", "page_version", "page_content"):
            try:
                if run_id is None or table in SHARED_TABLES:
                    counts[table] = connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                else:
                    counts[table] = connection.execute(
                        f"SELECT COUNT(*) FROM {table} WHERE run_id = ?", (run_id,)
                    ).fetchone()[0]
            except sqlite3.Error:
                pass
    return counts


def last_run(db_path: Path) -> tuple[int | None, list[str]]:
    """The newest run in the DB and its findings' fingerprints (sorted: runs compare as multisets)."""
    import sqlite3

    with sqlite3.connect(db_path) as connection:
        run_id = connection.execute("SELECT MAX(id) FROM audit_run").fetchone()[0]
        rows = connection.execute(
            "SELECT COALESCE(fingerprint, rule || ' ' || url) FROM finding WHERE run_id = ?", (run_id,)
        ).fetchall()
    return run_id, sorted(row[0] for row in rows)


@dataclass
class PoliteLimits:
    """What the polite defaults allow: connections at once and, with a delay, requests a second."""

    concurrent: int
    delay: float
    per_second: int | None

    @classmethod
    def configured(cls, delay: float | None) -> "PoliteLimits":
        from audit.config import load_settings
        from crawler.crawl import settings

        crawl = load_settings().crawl
        concurrent = crawl.concurrency or settings.CONCURRENT_REQUESTS_PER_DOMAIN
        delay = crawl.delay if delay is None else delay
        # Scrapy waits 0.5-1.5 x the delay between a site's requests (RANDOMIZE_DOWNLOAD_DELAY).
        shortest = delay * (0.5 if getattr(settings, "RANDOMIZE_DOWNLOAD_DELAY", True) else 1.0)
        return cls(concurrent, delay, math.floor(1 / shortest) + 1 if shortest > 0 else None)

    def exceeded(self, served: RequestStats) -> list[str]:
        missed = []
        if served.max_connections > self.concurrent:
            missed.append(f"polite crawl had {served.max_connections} connections at once > {self.concurrent}")
        if self.per_second is not None and served.max_per_second > self.per_second:
            missed.append(
                f"polite crawl made {served.max_per_second} requests in a second > {self.per_second} "
                f"(delay {self.delay:g}s)"
            )
        return missed


def _print_audit_detail(row: Row, counts: dict[str, int], db_mb: float) -> None:
    """The phases of one govaudit row: where its time and memory go."""
    measured = row.measured
    stored = row.stored_pages or 0
    lines = [
        ("pages stored (incl. attachments, errors)", str(stored)),
        (
            "page versions / bodies (all runs) / link checks",
            f"{counts.get('page_version', 0)} / {counts.get('page_content', 0)} / {counts.get('link_check', 0)}",
        ),
        ("findings", str(counts.get("finding", 0))),
        ("audit wall time (s)", f"{measured.seconds:.1f}"),
        ("pages/s (whole audit)", f"{stored / measured.seconds:.1f}"),
        (
            "CPU s (audit + readers) · ms per page",
            f"{measured.cpu_seconds:.1f} · {1000 * measured.cpu_seconds / max(stored, 1):.1f}",
        ),
    ]
    crawl = row.phases.get("crawl")
    if crawl:
        lines += [
            ("crawl phase (s) / pages/s", f"{crawl[0]:.1f} / {stored / max(crawl[0], 1e-3):.1f}"),
            ("post-crawl incl. exit (s)", f"{measured.seconds - crawl[0]:.1f}"),
        ]
        if "rules" in row.phases:
            lines.append(("rules: pages/s", f"{stored / max(row.phases['rules'][0], 1e-3):.0f}"))
        for name in ("snapshot", "rules", "annotate", "conclude", "summary", "outputs"):
            if name in row.phases:
                secs, rss, peak = row.phases[name]
                lines.append((f"  {name} (s) · RSS after · peak so far (MB)", f"{secs:.1f} · {rss:.0f} · {peak:.0f}"))
        lines.append(("RSS after crawl · peak during crawl (MB)", f"{crawl[1]:.0f} · {crawl[2]:.0f}"))
    lines += [
        ("peak RSS of the audit process tree (MB)", f"{measured.peak_rss_mb:.0f}"),
        ("DB size after this audit (MB) · KB per stored page", f"{db_mb:.1f} · {db_mb * 1024 / max(stored, 1):.1f}"),
    ]
    width = max(len(name) for name, _ in lines)
    print(f"\n{row.name}:")
    for name, value in lines:
        print(f"  {name:<{width}}  {value}")


def _print_rows(rows: list[Row]) -> None:
    header = (
        "",
        "wall s",
        "pages",
        "pages/s",
        "peak RSS MB",
        "CPU s",
        "requests",
        "MB sent",
        "304s",
        "conns max",
        "req/s max",
    )
    table = [header]
    for row in rows:
        if row.skipped:
            table.append((row.name, f"skipped: {row.skipped}"))
            continue
        m, s = row.measured, row.served
        table.append(
            (
                row.name,
                f"{m.seconds:.1f}",
                str(s.pages),
                f"{row.pages_per_second:.1f}",
                f"{m.peak_rss_mb:.0f}",
                f"{m.cpu_seconds:.1f}",
                str(s.requests),
                f"{s.bytes_sent / 1e6:.1f}",
                str(s.not_modified),
                str(s.max_connections),
                str(s.max_per_second),
            )
            + ((f"FAILED: {row.failed}",) if row.failed else ())
        )
    widths = [
        max(len(line[i]) for line in table if len(line) > i and not line[1].startswith("skipped"))
        for i in range(len(header))
    ]
    for line in table:
        if len(line) > 1 and line[1].startswith("skipped"):
            print(f"  {line[0]:<{widths[0]}}  {line[1]}")
            continue
        cells = [line[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(line[1:], widths[1:])]
        print("  " + "  ".join(cells + list(line[len(header) :])))


AUDITS = ("polite", "fast", "reaudit")
ROWS = ("wget", "linkchecker", "scrapy", *AUDITS)


def run_rows(args: argparse.Namespace, selected: list[str], work: Path, tools: Path, figures: dict) -> list[Row]:
    """Generate and serve the portal, run the selected rows over it; notes the site and server in `figures`."""
    portal, logs = work / "portal", work / "logs"
    logs.mkdir()
    start = time.monotonic()
    site = figures["site"] = generate(portal, args.pages, args.seed)
    print(
        f"generated {site['html_pages']} pages, {site['attachments']} attachments, "
        f"{site['html_mb']:.0f} MB HTML in {time.monotonic() - start:.1f}s → {portal}",
        file=sys.stderr,
    )
    server, served_by = serve(args.server, portal, work / "nginx", tools)
    rows: list[Row] = []
    try:
        sample = [p.relative_to(portal).as_posix() for p in sorted(portal.glob("zwdt/zwyw/*/*.html"))[:200]]
        server_rate = probe_server(server.base_url, sample)
        figures["server"] = {
            "kind": server.kind,
            "version": server.version,
            "how": served_by,
            "validators": server.validators,
            "probe_requests_per_second": round(server_rate),
        }
        print(f"server: {served_by}; probe {server_rate:.0f} req/s at {server.base_url}", file=sys.stderr)

        def measure(row: Row, command: list[str], ok_codes: tuple[int, ...]) -> Row:
            print(f"row: {row.name} …", file=sys.stderr)
            mark = server.mark()
            folder = logs / row.key
            folder.mkdir()
            row.measured = run_measured(command, folder, folder / "stdout", folder / "stderr", args.nice)
            row.served = RequestStats.of(server.requests_since(mark))
            if row.measured.exit_code not in ok_codes:
                said = [line for line in (folder / "stderr").read_text(errors="replace").splitlines() if line.strip()]
                row.failed = f"exit code {row.measured.exit_code}: {' | '.join(said[-2:])[-300:]}"
            rows.append(row)
            return row

        if "wget" in selected:
            command = wget_command(server.base_url)
            if isinstance(command, str):
                rows.append(Row("wget --spider -r", skipped=command, key="wget"))
            else:
                measure(Row("wget --spider -r", key="wget"), command, WGET_OK)
        if "linkchecker" in selected:
            command = linkchecker_command(tools, server.base_url, work)
            if isinstance(command, str):
                rows.append(Row("LinkChecker", skipped=command, key="linkchecker"))
            else:
                measure(
                    Row(f"{linkchecker_version(command)} (no rate limit)", key="linkchecker"), command, LINKCHECKER_OK
                )
        if "scrapy" in selected:
            measure(
                Row("Scrapy alone (links followed, nothing read)", key="scrapy"), scrapy_command(server.base_url), (0,)
            )
        max_pages = max(args.pages * 2, args.pages + 1000)
        polite = ["--delay", str(args.delay)] if args.delay is not None else []
        audits = [
            (
                "polite",
                "govaudit audit (polite defaults" + (f", --delay {args.delay:g})" if polite else ")"),
                "polite",
                polite,
            ),
            (
                "fast",
                f"govaudit audit --concurrency {args.concurrency}",
                "fast",
                ["--concurrency", str(args.concurrency)],
            ),
            ("reaudit", "govaudit re-audit, unchanged portal, same DB", "polite", polite),
        ]
        for key, name, db_name, extra in audits:
            if key not in selected:
                continue
            db_path, out_dir = work / f"{db_name}.sqlite", work / f"out-{key}"
            out_dir.mkdir()
            row = measure(
                Row(name, key=key, db_path=db_path),
                audit_command(server.base_url, db_path, out_dir, max_pages, args.plain, extra),
                (0,),
            )
            if not row.failed:
                row.phases = phases_of((logs / key / "stderr").read_text(errors="replace"))
                row.run_id, row.findings = last_run(db_path)
                row.stored_pages = db_counts(db_path, row.run_id).get("page", 0)
                row.db_bytes = db_bytes(db_path)
    finally:
        server.stop()
    return rows


def report_politeness(limits: PoliteLimits, rows: list[Row], figures: dict) -> list[str]:
    """Prints how the polite rows loaded the site; returns the limits they exceeded."""
    missed_all: list[str] = []
    figures["politeness"] = {
        "limit_connections": limits.concurrent,
        "delay": limits.delay,
        "limit_requests_per_second": limits.per_second,
        "rows": {},
    }
    rate = (
        f", {limits.per_second} requests a second (delay {limits.delay:g}s)"
        if limits.per_second
        else ", no request-rate limit (delay 0)"
    )
    print(f"\npoliteness (limits: {limits.concurrent} connections at once{rate}):")
    for row in rows:
        missed = limits.exceeded(row.served)
        missed_all += [f"{row.name}: {line}" for line in missed]
        figures["politeness"]["rows"][row.name] = {
            "max_connections": row.served.max_connections,
            "max_in_progress": row.served.max_in_progress,
            "max_requests_per_second": row.served.max_per_second,
            "within_limits": not missed,
        }
        verdict = "within the limits" if not missed else "OVER: " + "; ".join(missed)
        print(
            f"  {row.name}: at most {row.served.max_connections} connections at once, "
            f"{row.served.max_per_second} requests in a second — {verdict}"
        )
    return missed_all


def report_reaudit(first: Row, second: Row, max_ratio: float | None, figures: dict) -> list[str]:
    """Prints the bytes the re-audit of the unchanged portal cost against the first audit (responses
    with their headers: a 304 is not free); returns failures when its findings differ or it cost more
    than `max_ratio` of the first (None: the server sends no validators, so there is nothing to save)."""
    ratio = second.served.bytes_sent / max(first.served.bytes_sent, 1)
    same = first.findings == second.findings
    figures["reaudit"] = {
        "bytes_run1": first.served.bytes_sent,
        "bytes_run2": second.served.bytes_sent,
        "body_bytes_run1": first.served.body_bytes,
        "body_bytes_run2": second.served.body_bytes,
        "ratio": round(ratio, 3),
        "not_modified_run2": second.served.not_modified,
        "requests_run2": second.served.requests,
        "findings_run1": len(first.findings),
        "findings_run2": len(second.findings),
        "same_findings": same,
        "db_bytes_run1": first.db_bytes,
        "db_bytes_added_run2": (second.db_bytes or 0) - (first.db_bytes or 0),
        "db_added_ratio": round(((second.db_bytes or 0) - (first.db_bytes or 0)) / max(first.db_bytes or 1, 1), 3),
        "cpu_seconds_run1": first.measured.cpu_seconds,
        "cpu_seconds_run2": second.measured.cpu_seconds,
        "cpu_ratio": round(second.measured.cpu_seconds / max(first.measured.cpu_seconds, 1e-3), 3),
    }
    print(
        f"\nre-audit: {first.served.bytes_sent / 1e6:.2f} MB sent for run 1, "
        f"{second.served.bytes_sent / 1e6:.2f} MB for run 2, headers included (ratio {ratio:.3f}; "
        f"{second.served.not_modified} of {second.served.requests} answered 304); findings "
        f"{len(first.findings)} → {len(second.findings)}, {'identical' if same else 'DIFFERENT'}"
    )
    added = figures["reaudit"]["db_bytes_added_run2"]
    print(
        f"  database: {(first.db_bytes or 0) / 2**20:.1f} MB after run 1, run 2 added {added / 2**20:.2f} MB "
        f"({figures['reaudit']['db_added_ratio']:.1%}); CPU {first.measured.cpu_seconds:.1f} s → "
        f"{second.measured.cpu_seconds:.1f} s ({figures['reaudit']['cpu_ratio']:.0%})"
    )
    failures = [] if same else ["re-audit of the unchanged portal found different findings"]
    if max_ratio is None:
        print("  (the server sends no ETag or Last-Modified: the ratio is not checked)")
    elif ratio > max_ratio:
        failures.append(f"re-audit sent {ratio:.2f} of the first audit's bytes > {max_ratio:.2f}")
    return failures


def report_targets(rows: list[Row], fast: Row | None, figures: dict) -> None:
    """Prints the fast row against the floor and LinkChecker, as issue 11 sets its targets (≤ 6×
    wget's wall time, ≥ 3× LinkChecker's speed); reported, not checked, until they are met."""
    measured = {row.key: row for row in rows if row.measured and not row.failed}
    if fast is None:
        return
    lines, ratios = [], {}
    if "wget" in measured:
        ratios["fast_wall_over_wget"] = round(fast.measured.seconds / measured["wget"].measured.seconds, 1)
        lines.append(f"{ratios['fast_wall_over_wget']}× wget's wall time (target ≤ 6×)")
    if "linkchecker" in measured:
        ratios["linkchecker_wall_over_fast"] = round(
            measured["linkchecker"].measured.seconds / fast.measured.seconds, 2
        )
        lines.append(f"{ratios['linkchecker_wall_over_fast']}× LinkChecker's speed (target ≥ 3×)")
    if lines:
        figures["targets"] = ratios
        print(f"\n{fast.name}: " + ", ".join(lines))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=20000, help="HTML pages of the synthetic portal (default 20000)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--max-rss-mb", type=float, default=DEFAULT_MAX_RSS_MB)
    parser.add_argument(
        "--min-rate", type=float, default=DEFAULT_MIN_RATE, help="minimum pages/s over the whole polite audit"
    )
    parser.add_argument(
        "--max-reaudit-ratio",
        type=float,
        default=DEFAULT_MAX_REAUDIT_RATIO,
        help="most bytes the re-audit may cost, as a share of the first audit's (default 0.3)",
    )
    parser.add_argument("--plain", action="store_true", help="run the installed govaudit executable (no phase timing)")
    parser.add_argument("--nice", type=int, default=0, help="run every row under nice -n N")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (portal/, DBs, outputs, logs)")
    parser.add_argument("--json", type=Path, help="also write every figure as JSON here")
    parser.add_argument(
        "--server",
        choices=("nginx", "python"),
        default="nginx",
        help="who serves the portal (default nginx; the Python server when nginx cannot be had)",
    )
    parser.add_argument(
        "--rows", default=",".join(ROWS), help=f"comma-separated rows to run, of {', '.join(ROWS)} (default: all)"
    )
    parser.add_argument("--concurrency", type=int, default=16, help="the fast row's --concurrency N (default 16)")
    parser.add_argument("--delay", type=float, help="the polite rows' --delay S (default: the config's)")
    parser.add_argument(
        "--tools",
        type=Path,
        help="where nginx and LinkChecker are fetched to (default: in the "
        "work folder; pass one to reuse them across runs)",
    )
    args = parser.parse_args(argv)
    selected = [name.strip() for name in args.rows.split(",") if name.strip()]
    unknown = sorted(set(selected) - set(ROWS))
    if args.delay is not None and args.delay < 0:
        parser.error("--delay: seconds, 0 or more")
    if unknown or ("reaudit" in selected and "polite" not in selected):
        parser.error(f"--rows: unknown {', '.join(unknown)}" if unknown else "--rows: reaudit needs polite")

    figures: dict = {
        "pages": args.pages,
        "seed": args.seed,
        "concurrency": args.concurrency,
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": machine(),
    }
    limits = PoliteLimits.configured(args.delay)
    work = args.keep or Path(tempfile.mkdtemp(prefix="govaudit-bench-"))
    if args.keep and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    # LinkChecker run as root drops to nobody, who must still reach its venv and config in here.
    work.chmod(0o755)
    tools = args.tools or work / "tools"
    tools.mkdir(parents=True, exist_ok=True)
    try:
        rows = run_rows(args, selected, work, tools, figures)
        machine_now = figures["machine"]
        machine_now["load_end"] = [round(load, 2) for load in os.getloadavg()]
        site, server = figures["site"], figures["server"]
        print(f"\ngovaudit benchmark — N={args.pages}, seed {args.seed}; served by {server['how']}")
        print(
            f"machine: {machine_now['cpus']} CPUs ({machine_now['cpu_model']}), {machine_now['ram_gb']} GB RAM; "
            f"load average {' '.join(f'{x:.1f}' for x in machine_now['load_start'])} at start, "
            f"{' '.join(f'{x:.1f}' for x in machine_now['load_end'])} at end"
        )
        print(
            f"portal: {site['html_pages']} HTML pages + {site['attachments']} attachments, {site['html_mb']:.0f} MB; "
            f"server probe {server['probe_requests_per_second']} req/s (4 clients)\n"
        )
        _print_rows(rows)
        failures = [f"{row.name}: {row.failed}" for row in rows if row.failed]
        audits = {row.key: row for row in rows if row.key in AUDITS and not row.failed}
        primary = audits.get("polite") or audits.get("fast")
        if primary:
            counts = db_counts(primary.db_path, primary.run_id)
            db_mb = (primary.db_bytes or 0) / 2**20
            _print_audit_detail(primary, counts, db_mb)
            rate = (primary.stored_pages or 0) / primary.measured.seconds
            figures.update(
                stored=counts,
                db_mb=round(db_mb, 1),
                wall_seconds=primary.measured.seconds,
                pages_per_second=rate,
                peak_rss_mb=primary.measured.peak_rss_mb,
                cpu_seconds=primary.measured.cpu_seconds,
                phases=primary.phases,
                server_rps=server["probe_requests_per_second"],
            )
            if rate < args.min_rate:
                failures.append(f"{primary.name}: {rate:.1f} pages/s < {args.min_rate:.1f}")
        failures += [
            f"{row.name}: peak RSS {row.measured.peak_rss_mb:.0f} MB > {args.max_rss_mb:.0f} MB"
            for row in audits.values()
            if row.measured.peak_rss_mb > args.max_rss_mb
        ]
        polite_rows = [row for key, row in audits.items() if key in ("polite", "reaudit")]
        if polite_rows:
            failures += report_politeness(limits, polite_rows, figures)
        if "polite" in audits and "reaudit" in audits:
            failures += report_reaudit(
                audits["polite"], audits["reaudit"], args.max_reaudit_ratio if server["validators"] else None, figures
            )
        report_targets(rows, audits.get("fast"), figures)
        figures["rows"] = [row.figures() for row in rows]
        figures["failures"] = failures
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False))
        for failure in failures:
            print(f"  TARGET MISSED: {failure}")
        if any(row.failed for row in rows if row.key in AUDITS):
            return 2
        return 1 if (args.check and failures) else 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
