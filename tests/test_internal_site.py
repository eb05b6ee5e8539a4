"""SSRF when the audited site is itself internal (issue 27, item 4): the policy does not depend on what
the portal's own name resolves to. Internal targets other than the audited host's own address and
port stay refused, cloud metadata always. The DNS cases answer from a resolver patched in-process
(no real DNS); the audit runs against servers on 127.0.0.1 only."""

import asyncio
import json
import socket
import sqlite3
from contextlib import contextmanager
from http.server import ThreadingHTTPServer
from types import SimpleNamespace

import pytest
from fault_server import ProxyHandler, fault_portal, serving
from portal_kit import govaudit
from scrapy import Request

from crawler.crawl.middlewares import AddressGuardMiddleware, GuardedResolver, InternalAddressRefused
from crawler.vocabulary.urls import canonical_url

SITE = "portal.example.gov.cn"
PUBLIC = "202.96.128.86"
# What a page of the site links or redirects to, refused whatever the site's name resolved to.
REFUSED = [
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://100.100.100.200/latest/meta-data/",  # Alibaba Cloud metadata
    "http://[fd00:ec2::254]/latest/meta-data/",  # AWS metadata over IPv6
    "http://[::ffff:169.254.169.254]/",  # IPv4-mapped metadata
    "http://100.64.0.1/",  # shared address space
    "http://10.9.9.9/",  # another intranet host
    "http://127.0.0.1:8099/secret",  # another service of the loopback host
    "http://oa.example.local/",  # a name only an intranet resolves
]


def _guard(hosts=frozenset({SITE}), ports=frozenset({80, 443})) -> AddressGuardMiddleware:
    return AddressGuardMiddleware(SimpleNamespace(spider=SimpleNamespace(site_hosts=set(hosts), site_ports=set(ports))))


def _allowed(guard: AddressGuardMiddleware, url: str) -> bool:
    try:
        return asyncio.run(guard.process_request(Request(url))) is None
    except InternalAddressRefused:
        return False


@pytest.fixture
def dns(monkeypatch):
    """A resolver answering each name from its list of answers in turn (the last one ever after),
    recording the lookups."""
    answers: dict[str, list[list[str]]] = {"oa.example.local": [[PUBLIC]], "www.example.gov.cn": [[PUBLIC]]}
    lookups: list[str] = []

    def lookup(host, *args, **kwargs):
        lookups.append(host)
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "unknown")
        turns = answers[host]
        found = turns.pop(0) if len(turns) > 1 else turns[0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, 0)) for address in found]

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    return SimpleNamespace(answers=answers, lookups=lookups)


@pytest.mark.parametrize(
    "site_answers, pinned",
    [
        ([["127.0.0.1"], [PUBLIC]], "127.0.0.1"),  # internal on its first lookup only
        ([[PUBLIC], ["127.0.0.1"]], PUBLIC),  # internal on a later lookup only
        ([["127.0.0.1", PUBLIC]], "127.0.0.1"),  # two A records, the internal one first
        ([[PUBLIC, "10.9.9.9"]], PUBLIC),  # two A records, the public one first
    ],
)
def test_an_audited_name_resolving_inside_opens_nothing_else_inside(dns, site_answers, pinned):
    from twisted.internet import reactor

    dns.answers[SITE] = site_answers
    guard = _guard()
    # The audited site itself is audited, however its name resolves, and connected to as checked.
    assert _allowed(guard, f"http://{SITE}/") and _allowed(guard, f"http://{SITE}/robots.txt")
    connected = []
    GuardedResolver(reactor, 100, 5).getHostByName(SITE).addCallback(connected.append)
    assert connected == [pinned] and dns.lookups.count(SITE) == 1
    for target in REFUSED:
        assert not _allowed(guard, target), target
    # Its own address and port by another spelling is the site; by another port it is not.
    assert _allowed(guard, "http://127.0.0.1/index.html") == (pinned == "127.0.0.1")
    assert not _allowed(guard, "http://127.0.0.1:8080/")
    # Traps: a public host stays open, and an internal-sounding word inside a public name is no suffix.
    assert _allowed(guard, "http://www.example.gov.cn/")
    assert _allowed(guard, f"http://{PUBLIC}:8080/")


def test_an_audited_site_on_a_metadata_address_is_refused(dns):
    dns.answers[SITE] = [["169.254.169.254"]]
    assert not _allowed(_guard(), f"http://{SITE}/")


@pytest.mark.parametrize(
    "host, internal",
    [
        ("oa.example.local", True),
        ("metadata.google.internal", True),
        ("intranet", True),
        ("nas.home.arpa", True),
        ("www.example.gov.cn", False),
        ("local.example.gov.cn", False),
        ("202.96.128.86", False),
        ("::1", False),
    ],
)
def test_names_only_an_intranet_resolves(host, internal):
    from crawler.crawl.middlewares import looks_internal

    assert looks_internal(host) == internal


class _IntranetPortal(ProxyHandler):
    """An intranet portal, audited as localhost, whose pages link and redirect to another local service
    (the server's `other` port), to cloud metadata, to another intranet host, and to its own address and
    port written out (127.0.0.1: the site itself). Quiet, HEAD as GET, and answers as the proxy of
    tests/fault_server.py does."""

    def do_GET(self) -> None:
        own, other = self.server.server_address[1], self.server.other
        if self.path in self.server.redirects:
            self._send(302, b"", {"Location": self.server.redirects[self.path]})
        elif self.path == "/":
            links = [
                *self.server.redirects,
                f"http://127.0.0.1:{other}/direct",
                f"http://127.0.0.1:{own}/alias.html",
                "/ok.html",
            ]
            body = "".join(f'<li><a href="{href}">链接</a><span>2022-10-10</span></li>' for href in links)
            self._send(
                200,
                f'<html><head><meta charset="utf-8"><title>内网测试县人民政府</title></head><body><ul>{body}</ul></body></html>'.encode(),
            )
        elif self.path in ("/ok.html", "/alias.html"):
            self._send(
                200,
                '<html><head><meta charset="utf-8"><title>正常页面</title></head><body><p>内容</p></body></html>'.encode(),
            )
        else:
            self._send(404, b"not found")


@contextmanager
def intranet_portal(other: int):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _IntranetPortal)
    server.daemon_threads = True
    server.other = other
    server.redirects = {
        "/go-other": f"http://127.0.0.1:{other}/secret",
        "/go-meta": "http://169.254.169.254/latest/meta-data/",
        "/go-intranet": "http://10.9.9.9/",
        "/go-cgnat": "http://100.64.0.1/",
    }
    with serving(server):
        yield server


def test_an_intranet_portal_cannot_make_the_auditor_open_other_local_services(tmp_path):
    with fault_portal() as other, intranet_portal(other.server_address[1]) as site:
        base = f"http://localhost:{site.server_address[1]}/"
        done = govaudit(
            "audit",
            base,
            "--as-of",
            "2022-10-15",
            "--out",
            str(tmp_path / "out"),
            "--db",
            f"sqlite:///{tmp_path / 'i.sqlite'}",
            "--quiet",
            "--timeout",
            "5",
        )
        reached = list(other.hits)
        redirects = site.redirects
    assert done.returncode == 0, done.stderr
    assert reached == []
    with sqlite3.connect(tmp_path / "i.sqlite") as db:
        failures = dict(db.execute("select url, error from page where error is not null").fetchall())
        failures.update(db.execute("select url, error from link_check where error is not null").fetchall())
        read = dict(db.execute("select url, status from page where error is null").fetchall())
    print(failures)
    direct = f"http://127.0.0.1:{other.server_address[1]}/direct"
    for target in redirects.values():
        assert "指向内网地址" in failures.get(canonical_url(target), ""), target
    # The site itself was audited, and its own address and port written out is the site.
    assert read[base + "ok.html"] == 200
    assert canonical_url(f"http://127.0.0.1:{site.server_address[1]}/alias.html") not in failures
    findings = json.loads((tmp_path / "out" / "findings.json").read_text("utf-8"))
    broken = {f["url"] for f in findings if f["rule"] == "link.broken"}
    # Audited from inside, a link to another internal host was not checked: it is not reported broken
    # (under split-horizon DNS every government host may have an internal address there).
    assert canonical_url(direct) not in broken and canonical_url(direct) not in failures
