"""The auditor against a portal that misbehaves on purpose (tests/fault_server.py): it finishes,
reports each fault once, and stores what it could read."""

import json
import sqlite3
import time

import pytest
from fault_server import fault_portal
from portal_kit import govaudit
from stored_views import readable

from crawler.vocabulary.urls import canonical_url


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    work = tmp_path_factory.mktemp("faults")
    with fault_portal() as server:
        started = time.monotonic()
        done = govaudit(
            "audit",
            server.base_url,
            "--as-of",
            "2022-10-15",
            "--out",
            str(work / "out"),
            "--db",
            f"sqlite:///{work / 'a.sqlite'}",
            "--quiet",
            "--timeout",
            "3",
        )
        elapsed = time.monotonic() - started
        hits = list(server.hits)
        requests = list(server.requests)
        base = server.base_url
    findings = json.loads((work / "out" / "findings.json").read_text("utf-8"))
    db = readable(sqlite3.connect(work / "a.sqlite"))
    return {
        "done": done,
        "elapsed": elapsed,
        "hits": hits,
        "requests": requests,
        "base": base,
        "findings": findings,
        "db": db,
    }


def _broken(faulty) -> dict[str, dict]:
    return {f["url"].removeprefix(faulty["base"]): f for f in faulty["findings"] if f["rule"] == "link.broken"}


def test_the_audit_finishes_in_bounded_time_without_traceback(faulty):
    assert faulty["done"].returncode == 0, faulty["done"].stderr
    assert "Traceback" not in faulty["done"].stderr
    assert faulty["elapsed"] < 90


def test_each_network_fault_is_one_broken_link_in_words(faulty):
    broken = _broken(faulty)
    assert set(broken) == {"timeout", "reset", "drip", "loop-a", "http://nonexistent-host.invalid/x.html"}
    assert "请求超时" in broken["timeout"]["message"] and "请求超时" in broken["drip"]["message"]
    assert "连接中断" in broken["reset"]["message"]
    assert "重定向" in broken["loop-a"]["message"]
    assert "域名解析失败" in broken["http://nonexistent-host.invalid/x.html"]["message"]
    assert all("（含首页）" in f["evidence"] for f in broken.values())


def test_what_recovers_is_not_broken(faulty):
    broken = _broken(faulty)
    for fine in (
        "ok.html",
        "slow-ok",
        "chain/1",
        "busy",
        "huge.html",
        "files/huge.pdf",
        "binary.html",
        "malformed.html",
        "gbk-lies.html",
        "dup.html",
    ):
        assert fine not in broken
    # 503 with Retry-After: asked again after waiting, and the page was stored as it answered then.
    (status,) = faulty["db"].execute("select status from page where url like '%/busy'").fetchone()
    assert status == 200


def test_huge_bodies_are_cut_and_recorded(faulty):
    rows = dict(faulty["db"].execute("select url, truncated from page where url like '%huge%'").fetchall())
    assert rows == {faulty["base"] + "huge.html": 1, faulty["base"] + "files/huge.pdf": 1}


def test_content_faults_are_read_as_far_as_they_go(faulty):
    (text,) = faulty["db"].execute("select text from page_read where url like '%gbk-lies.html'").fetchone()
    assert "这一页其实是GBK编码" in text
    (
        content_type,
        is_list,
    ) = faulty["db"].execute("select content_type, is_list from page_read where url like '%binary.html'").fetchone()
    assert content_type.startswith("text/html") and is_list == 0
    (links,) = faulty["db"].execute("select count(*) from link where from_url like '%malformed.html'").fetchone()
    assert links == 1


def test_endless_calendars_and_duplicate_spellings_are_bounded(faulty):
    (calendar_pages,) = faulty["db"].execute("select count(*) from page where url like '%/cal?month=%'").fetchone()
    assert 1 <= calendar_pages <= 6  # crawl.max_depth
    assert faulty["hits"].count("/dup.html") <= 2  # HEAD/GET at most, never once per spelling
    (dup_rows,) = faulty["db"].execute("select count(*) from page where url like '%dup.html%'").fetchone()
    assert dup_rows == 1


def test_polite_crawling(faulty):
    agents = {agent for _, _, agent in faulty["requests"]}
    assert agents and all(agent.startswith("govaudit/") for agent in agents)
    # robots.txt keeps the crawler out of /private/: never fetched as a page, only checked once.
    private = [method for method, path, _ in faulty["requests"] if path == "/private/secret.html"]
    assert private == ["HEAD"]
    assert faulty["db"].execute("select count(*) from page where url like '%/private/%'").fetchone() == (0,)
    assert "private/secret.html" not in _broken(faulty)


@pytest.mark.parametrize(
    "target, refused",
    [
        ("http://169.254.169.254/latest/meta-data/", True),  # cloud metadata
        ("http://100.100.100.200/latest/meta-data/", True),  # cloud metadata in shared address space
        ("http://100.64.0.1/", True),
        ("http://192.0.0.8/", True),  # IETF protocol assignments
        ("http://10.1.2.3/oa/", True),  # intranet
        ("http://127.0.0.1:8080/", True),  # loopback
        ("http://[::1]/", True),
        ("http://[fec0::1]/", True),  # IPv6 site-local
        ("http://[::ffff:127.0.0.1]/", True),  # IPv4-mapped
        ("http://[2002:7f00:1::1]/", True),  # 6to4 of 127.0.0.1
        ("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", True),  # Teredo
        ("http://[64:ff9b::a9fe:a9fe]/", True),  # NAT64 of 169.254.169.254
        ("http://localhost/", True),  # a name that resolves to loopback
        ("http://202.96.128.86/", False),  # a public address
        ("http://[2002:ca60:8056::1]/", False),  # 6to4 of that public address
    ],
)
def test_a_public_site_cannot_make_the_auditor_probe_internal_addresses(target, refused):
    import asyncio
    from types import SimpleNamespace

    from scrapy import Request

    from crawler.crawl.middlewares import AddressGuardMiddleware, InternalAddressRefused

    guard = AddressGuardMiddleware(
        SimpleNamespace(spider=SimpleNamespace(site_hosts={"www.example.gov.cn"}, site_ports={80, 443}))
    )
    if refused:
        with pytest.raises(InternalAddressRefused):
            asyncio.run(guard.process_request(Request(target)))
    else:
        assert asyncio.run(guard.process_request(Request(target))) is None


def test_a_name_is_resolved_once_and_connected_to_as_checked(monkeypatch):
    """DNS rebinding: a name that answers a public address to the check and an internal one to a
    second lookup is connected to at the address checked — there is no second lookup."""
    import asyncio
    import socket
    from types import SimpleNamespace

    from scrapy import Request
    from twisted.internet import reactor

    from crawler.crawl.middlewares import AddressGuardMiddleware, GuardedResolver

    answers = iter(["202.96.128.86", "127.0.0.1", "127.0.0.1"])
    lookups = []

    def rebinding(host, *args, **kwargs):
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), 0))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    guard = AddressGuardMiddleware(
        SimpleNamespace(spider=SimpleNamespace(site_hosts={"www.example.gov.cn"}, site_ports={80, 443}))
    )
    assert asyncio.run(guard.process_request(Request("http://rebind.example.gov.cn/a.html"))) is None
    assert asyncio.run(guard.process_request(Request("http://REBIND.example.gov.cn/b.html"))) is None
    connected = []
    GuardedResolver(reactor, 100, 5).getHostByName("Rebind.Example.gov.cn").addCallback(connected.append)
    assert connected == ["202.96.128.86"] and lookups == ["rebind.example.gov.cn"]


def test_a_public_portal_cannot_redirect_or_link_the_auditor_inside(tmp_path):
    """A public portal (202.96.128.86, reached through an HTTP proxy on 127.0.0.1 as on a locked-down
    office network) redirects and links to cloud metadata and other internal addresses in several
    spellings, to another port of its own host (by a link and by a 302 from a page and from an
    attachment) and to a name that does not resolve locally. None of these reaches the proxy as a
    fetch; each internal one is reported as a link that cannot be opened."""
    import os

    from fault_server import (
        INTERNAL_TARGETS,
        OTHER_PORT,
        PORT_REDIRECTS,
        PUBLIC_HOST,
        UNRESOLVABLE,
        public_portal_proxy,
    )

    env = {key: value for key, value in os.environ.items() if "proxy" not in key.lower()}
    with public_portal_proxy() as proxy:
        env["http_proxy"] = f"http://127.0.0.1:{proxy.server_address[1]}"
        done = govaudit(
            "audit",
            f"http://{PUBLIC_HOST}/",
            "--as-of",
            "2022-10-15",
            "--out",
            str(tmp_path / "out"),
            "--db",
            f"sqlite:///{tmp_path / 'p.sqlite'}",
            "--quiet",
            "--timeout",
            "5",
            env=env,
        )
        requests = list(proxy.requests)
    assert done.returncode == 0, done.stderr
    # Nothing but the public host went out; its other port was only checked (headers), never crawled.
    assert {netloc for _, netloc, _ in requests} <= {PUBLIC_HOST, f"{PUBLIC_HOST}:8080"}
    assert {method for method, netloc, _ in requests if netloc.endswith(":8080")} <= {"HEAD"}
    with readable(sqlite3.connect(tmp_path / "p.sqlite")) as db:
        assert db.execute("select count(*) from page_read where text like '%INTERNAL SECRET%'").fetchone() == (0,)
        assert db.execute("select count(*) from page where url like '%:8080%'").fetchone() == (0,)
    findings = json.loads((tmp_path / "out" / "findings.json").read_text("utf-8"))
    broken = {f["url"]: f["message"] for f in findings if f["rule"] == "link.broken"}
    for target in INTERNAL_TARGETS.values():
        assert "指向内网地址" in broken[canonical_url(target)], target
    assert "域名解析失败" in broken[canonical_url(UNRESOLVABLE)]
    assert canonical_url(OTHER_PORT) not in broken
    # A 302 to the other port is stored as the redirect it answered, its target checked like the link.
    with sqlite3.connect(tmp_path / "p.sqlite") as db:
        redirects = dict(db.execute("select url, final_url from page where url like '%other-port%'").fetchall())
        checked = {url for (url,) in db.execute("select url from link_check where url like '%:8080%'")}
    assert redirects == {
        canonical_url(f"http://{PUBLIC_HOST}{path}"): canonical_url(target) for path, target in PORT_REDIRECTS.items()
    }
    assert {canonical_url(target) for target in PORT_REDIRECTS.values()} <= checked


def test_only_a_redirect_to_another_port_of_the_audited_host_is_held_back():
    from audit.config import load_settings
    from crawler.crawl.spiders.portal import PortalSpider
    from crawler.vocabulary.columns import PageRole

    site = "http://202.96.128.86"
    spider = PortalSpider(url=f"{site}/", config=load_settings(None))
    page = spider._request(f"{site}/a.html", clicks=1, column=None, role=PageRole.PAGE)
    document = spider._check(f"{site}/files/a.pdf")
    assert spider.redirect_leaves_site(page, f"{site}:8080/admin.html")
    assert spider.redirect_leaves_site(document, f"{site}:6379/")
    # Traps: the site's other web port, another host, the home page (its redirect says where the
    # site is) and a link check (it only asks for the headers) follow their redirects as before.
    assert not spider.redirect_leaves_site(page, "https://202.96.128.86/a.html")
    assert not spider.redirect_leaves_site(page, "http://www.example.gov.cn:8080/a.html")
    home = spider._request(f"{site}/", clicks=0, column=None, role=PageRole.HOME)
    assert not spider.redirect_leaves_site(home, f"{site}:8080/")
    check = spider._check("http://www.example.gov.cn/")
    assert not spider.redirect_leaves_site(check, f"{site}:8080/")


@pytest.mark.parametrize(
    "spelling, canonical",
    [
        ("HTTP://WWW.Example.GOV.cn:80/a/B.html#frag", "http://www.example.gov.cn/a/B.html"),
        (
            "http://x.gov.cn/a.jsp;jsessionid=0A1B?page=2&sid=9F3A0C2E71BD44A8&utm_source=wx",
            "http://x.gov.cn/a.jsp?page=2",
        ),
        # A short number under sid names the site (gkmlpt's list API), not a session.
        ("http://x.gov.cn/gkmlpt/api/all/7?page=2&sid=755", "http://x.gov.cn/gkmlpt/api/all/7?page=2&sid=755"),
        ("https://x.gov.cn:443/p?b=2&a=1", "https://x.gov.cn/p?b=2&a=1"),
        ("http://x.gov.cn", "http://x.gov.cn/"),
    ],
)
def test_canonical_url(spelling, canonical):
    assert canonical_url(spelling) == canonical


def _limit_file_size(limit: int):
    def preexec():
        import resource
        import signal

        # Writing past the limit fails with EFBIG instead of killing the process: a full disk.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return preexec


def test_a_full_disk_stops_the_run_cleanly_and_keeps_what_was_stored(tmp_path):
    import subprocess
    import sys

    from audit.cli.demo.server import SAMPLE_PORTAL, serve_portal

    db = tmp_path / "full.sqlite"
    with serve_portal(SAMPLE_PORTAL) as portal:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "audit.cli",
                "audit",
                portal.base_url,
                "--as-of",
                "2022-10-15",
                "--quiet",
                "--out",
                str(tmp_path / "out"),
                "--db",
                f"sqlite:///{db}",
            ],
            capture_output=True,
            text=True,
            timeout=300,
            preexec_fn=_limit_file_size(600_000),
        )
    assert done.returncode == 1
    assert "数据库写入失败" in done.stderr and "Traceback" not in done.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
        stored = conn.execute("select count(*) from page").fetchone()[0]
    assert stored > 0


def test_the_database_file_is_readable_by_its_owner_only(tmp_path):
    import stat

    from audit.store import Store

    Store(f"sqlite:///{tmp_path / 'new.sqlite'}")
    assert stat.S_IMODE((tmp_path / "new.sqlite").stat().st_mode) == 0o600


def test_two_runs_at_once_on_one_database(tmp_path):
    import subprocess
    import sys

    from audit.cli.demo.server import SAMPLE_PORTAL, serve_portal

    db_url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    with serve_portal(SAMPLE_PORTAL) as first, serve_portal(SAMPLE_PORTAL) as second:
        runs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "audit.cli",
                    "audit",
                    portal.base_url,
                    "--as-of",
                    "2022-10-15",
                    "--quiet",
                    "--out",
                    str(tmp_path / name),
                    "--db",
                    db_url,
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for name, portal in (("a", first), ("b", second))
        ]
        outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    findings = [json.loads((tmp_path / name / "findings.json").read_text("utf-8")) for name in ("a", "b")]
    assert len(findings[0]) == len(findings[1]) > 0
    with sqlite3.connect(tmp_path / "shared.sqlite") as conn:
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
        per_run = dict(conn.execute("select run_id, count(*) from page group by run_id").fetchall())
        assert conn.execute("select count(*) from audit_run where status = 'done'").fetchone() == (2,)
    assert len(per_run) == 2 and len(set(per_run.values())) == 1
