"""site.certificate: an HTTPS portal's certificate must verify as a browser checks it; the audit
goes on either way."""

import datetime
import functools
import ipaddress
import json
import os
import ssl
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from portal_kit import page, write_portal


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _certificate(subject: str, san: x509.GeneralName, issuer_key, issuer_name, key, *, ca=False, days=(-1, 30)):
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + datetime.timedelta(days=days[0]))
        .not_valid_after(now + datetime.timedelta(days=days[1]))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:
        builder = builder.add_extension(x509.SubjectAlternativeName([san]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """A private CA, and leaf certificates: for 127.0.0.1, for another host, expired, self-signed."""
    folder = tmp_path_factory.mktemp("pki")
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate("测试根证书", None, ca_key, _name("测试根证书"), ca_key, ca=True, days=(-1, 365))
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    loopback = x509.IPAddress(ipaddress.ip_address("127.0.0.1"))
    leaves = {
        "good": (_name("测试根证书"), ca_key, loopback, (-1, 30)),
        "wrong_host": (_name("测试根证书"), ca_key, x509.DNSName("www.other.gov.cn"), (-1, 30)),
        "expired": (_name("测试根证书"), ca_key, loopback, (-30, -2)),
    }
    for name, (issuer, issuer_key, san, days) in leaves.items():
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _certificate("127.0.0.1", san, issuer_key, issuer, key, days=days)
        _write_pair(folder, name, cert, key)
    self_key = ec.generate_private_key(ec.SECP256R1())
    _write_pair(
        folder, "self_signed", _certificate("127.0.0.1", loopback, self_key, _name("127.0.0.1"), self_key), self_key
    )
    return folder


def _write_pair(folder, name, cert, key):
    (folder / f"{name}.pem").write_bytes(
        cert.public_bytes(serialization.Encoding.PEM)
        + key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _audit_over_https(tmp_path, pki, leaf):
    root = write_portal(
        tmp_path / "site",
        {
            "/index.html": page(
                "首页", '<ul><li><a href="/n/1.html">县政府召开常务会议</a><span>2022-10-10</span></li></ul>'
            ),
            "/n/1.html": page("县政府召开常务会议", "<p>会议</p>"),
        },
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(pki / f"{leaf}.pem")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"https://127.0.0.1:{server.server_address[1]}/"
    try:
        # The private CA stands in for the public ones a browser trusts.
        env = {**os.environ, "SSL_CERT_FILE": str(pki / "ca.pem")}
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "audit.cli",
                "audit",
                base,
                "--as-of",
                "2022-10-15",
                "--quiet",
                "--out",
                str(tmp_path / "out"),
                "--db",
                f"sqlite:///{tmp_path / 'a.sqlite'}",
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
    finally:
        server.shutdown()
        server.server_close()
    findings = json.loads((tmp_path / "out" / "findings.json").read_text("utf-8"))
    return done, findings


@pytest.mark.parametrize(
    "leaf, words",
    [
        ("self_signed", "自签名证书"),
        ("expired", "证书已过期"),
        ("wrong_host", "证书与域名不符"),
    ],
)
def test_fires_for_a_bad_certificate_and_the_audit_goes_on(tmp_path, pki, leaf, words):
    done, findings = _audit_over_https(tmp_path, pki, leaf)
    assert done.returncode == 0, done.stderr
    [finding] = [f for f in findings if f["rule"] == "site.certificate"]
    assert words in finding["message"]
    assert not [f for f in findings if f["rule"] in ("site.unreachable", "site.stale")]


def test_quiet_for_a_trusted_certificate_for_the_right_host(tmp_path, pki):
    done, findings = _audit_over_https(tmp_path, pki, "good")
    assert done.returncode == 0, done.stderr
    assert not [f for f in findings if f["rule"] == "site.certificate"]
