"""What a finished crawl leaves in memory for the rules phase: nothing of the spider.

The spider holds everything it learnt of the site (requested URLs, list progress, memberships);
on a 20k-page portal that is tens of MB the rules phase would build its snapshot on top of. The
audit is run in a child process (Scrapy's reactor runs once per process) through the real CLI
path with live progress, as an office user runs it without --quiet.
"""

import subprocess
import sys
import textwrap

_AUDIT_WITH_PROGRESS = textwrap.dedent("""
    import gc, io, sys
    from datetime import date
    from pathlib import Path
    from rich.console import Console
    from audit.run import lifecycle
    from audit.config import load_settings
    from audit.cli.demo.server import SAMPLE_PORTAL, PortalServer
    from audit.run.progress import CrawlProgress
    from audit.store import Store
    from crawler.crawl.spiders.portal import PortalSpider

    work = Path(sys.argv[1])
    judged = lifecycle.conclude_run

    def counting(*args, **kwargs):
        gc.collect()
        alive = sum(isinstance(thing, PortalSpider) for thing in gc.get_objects())
        print(f"spiders alive when the rules run: {alive}")
        return judged(*args, **kwargs)

    lifecycle.conclude_run = counting
    shown = io.StringIO()
    server = PortalServer(SAMPLE_PORTAL).start()
    outcome = lifecycle.run_audit(server.base_url, as_of=date(2022, 9, 30), column=None,
                               store=Store(f"sqlite:///{work / 'audit.db'}"), config=load_settings(None),
                               out_dir=work / "out", progress=CrawlProgress(Console(file=shown)),
                               formats=("json",))
    print(f"pages {outcome.pages} findings {len(outcome.findings)}")
    print("progress shown:", "已检查页面" in shown.getvalue())
""")


def test_the_spider_is_released_before_the_rules_run(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", _AUDIT_WITH_PROGRESS, str(tmp_path)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "spiders alive when the rules run: 0" in done.stdout
    pages = int(done.stdout.split("pages ", 1)[1].split()[0])
    assert pages > 20  # the whole sample portal was crawled, not an empty run
    assert "progress shown: True" in done.stdout
