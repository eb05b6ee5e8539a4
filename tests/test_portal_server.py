"""audit.cli.demo.server: real HTTP against a temporary portal directory."""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from audit.cli.demo.server import SAMPLE_PORTAL, PortalResponse, PortalServer, serve_portal


def fetch(url: str, method: str = "GET", data: bytes | None = None):
    """(status, headers, body) without raising on 4xx/5xx and without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    req = urllib.request.Request(url, method=method, data=data)
    try:
        with opener.open(req, timeout=5) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def raw_get(base_url: str, raw_path: str):
    """Send a request line verbatim (urllib may normalise dot segments)."""
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    try:
        conn.putrequest("GET", raw_path, skip_accept_encoding=True)
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


@pytest.fixture()
def portal(tmp_path: Path) -> Path:
    root = tmp_path / "portal"
    (root / "zwdt").mkdir(parents=True)
    (root / "empty").mkdir()
    (root / "files").mkdir()
    (root / "index.html").write_text("<html><body>首页 home</body></html>", encoding="utf-8")
    (root / "zwdt" / "index.html").write_text("<p>政务动态</p>", encoding="utf-8")
    (root / "gbk.html").write_bytes("<p>马关县</p>".encode("gbk"))
    (root / "files" / "a.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (root / "files" / "b.docx").write_bytes(b"PK\x03\x04")
    (root / "style.css").write_text("body{}", encoding="utf-8")
    (root / ".hidden").write_text("nope", encoding="utf-8")
    (root / "_headers.json").write_text(
        json.dumps(
            {
                "/gbk.html": {"Content-Type": "text/html; charset=gbk", "X-Extra": "1"},
                "/old/index.html": {"status": 301, "Location": "/zwdt/index.html"},
                "/zwdt/": {"X-Column": "zwdt"},
                "/broken.html": {"status": 500},
            }
        ),
        encoding="utf-8",
    )
    # a secret next to the portal root, which traversal must not reach
    (tmp_path / "secret.txt").write_text("TOP SECRET", encoding="utf-8")
    return root


def test_index_resolution(portal):
    with serve_portal(portal) as srv:
        assert srv.base_url.startswith("http://127.0.0.1:") and srv.base_url.endswith("/")
        status, headers, body = fetch(srv.base_url)
        assert status == 200
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert "首页" in body.decode("utf-8")
        for path in ("zwdt/", "zwdt/index.html", "zwdt/index.html?page=2"):
            status, _, body = fetch(srv.base_url + path)
            assert status == 200, path
            assert "政务动态" in body.decode("utf-8")
        status, headers, _ = fetch(srv.base_url + "zwdt")
        assert status == 301 and headers["Location"] == "/zwdt/"


def test_missing_is_real_404(portal):
    with serve_portal(portal) as srv:
        for path in ("nope.html", "zwdt/nope/", "empty/", ".hidden", "_headers.json"):
            status, _, _ = fetch(srv.base_url + path)
            assert status == 404, path


def test_content_types_and_head(portal):
    with serve_portal(portal) as srv:
        assert fetch(srv.base_url + "files/a.pdf")[1]["Content-Type"] == "application/pdf"
        assert fetch(srv.base_url + "files/b.docx")[1]["Content-Type"].endswith("wordprocessingml.document")
        assert fetch(srv.base_url + "style.css")[1]["Content-Type"].startswith("text/css")
        status, headers, body = fetch(srv.base_url + "index.html", method="HEAD")
        assert status == 200 and body == b""
        assert int(headers["Content-Length"]) == len((portal / "index.html").read_bytes())
        assert "Last-Modified" not in headers


def test_header_overrides(portal):
    with serve_portal(portal) as srv:
        status, headers, body = fetch(srv.base_url + "gbk.html")
        assert status == 200
        assert headers["Content-Type"] == "text/html; charset=gbk"
        assert headers["X-Extra"] == "1"
        assert body.decode("gbk") == "<p>马关县</p>"
        status, headers, _ = fetch(srv.base_url + "old/index.html")
        assert status == 301 and headers["Location"] == "/zwdt/index.html"
        assert fetch(srv.base_url + "broken.html")[0] == 500
        # a directory key applies to its index.html too
        assert fetch(srv.base_url + "zwdt/index.html")[1]["X-Column"] == "zwdt"


@pytest.mark.parametrize(
    "raw_path",
    [
        "/../secret.txt",
        "/zwdt/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/zwdt/%2E%2E/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
    ],
)
def test_traversal_refused(portal, raw_path):
    with serve_portal(portal) as srv:
        status, body = raw_get(srv.base_url, raw_path)
        assert status == 403
        assert b"TOP SECRET" not in body


def test_symlink_out_of_root_refused(portal, tmp_path):
    (portal / "link.txt").symlink_to(tmp_path / "secret.txt")
    with serve_portal(portal) as srv:
        status, body = raw_get(srv.base_url, "/link.txt")
        assert status == 403 and b"TOP SECRET" not in body


def test_only_get_and_head_until_routes_added(portal):
    server = PortalServer(portal)
    with server:
        status, headers, _ = fetch(server.url("index.html"), method="POST", data=b"a=1")
        assert status == 405 and headers["Allow"] == "GET, HEAD"
    server.add_route("POST", "/api/list", lambda req: PortalResponse(200, {"Content-Type": "text/plain"}, req.body))
    with server:
        status, _, body = fetch(server.url("api/list"), method="POST", data=b"page=2")
        assert status == 200 and body == b"page=2"


def test_stop_releases_port(portal):
    server = PortalServer(portal).start()
    url = server.base_url
    server.stop()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=2)


def test_sample_portal_home_is_served():
    with serve_portal(SAMPLE_PORTAL) as srv:
        status, headers, body = fetch(srv.base_url)
        assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
        assert "马关县人民政府" in body.decode("utf-8")
