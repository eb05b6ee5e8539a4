"""Whether a site's HTTPS certificate is one a visitor's browser accepts.

Scrapy fetches HTTPS without verifying certificates (so a portal with a bad certificate is still
audited); this check verifies the home host's certificate once, the way a browser would.
"""

from __future__ import annotations

import socket
import ssl


def certificate_problem(host: str, port: int, timeout: float) -> str | None:
    """None when the certificate verifies for `host`; else what is wrong with it, in words."""
    context = ssl.create_default_context()
    try:
        with socket.create_connection((host, port), timeout=timeout) as raw:
            with context.wrap_socket(raw, server_hostname=host):
                return None
    except ssl.SSLCertVerificationError as exc:
        return _describe(exc)
    except ssl.SSLError as exc:
        return f"加密连接失败（{exc.reason or exc}）"
    except OSError:
        # Not reachable at all: that is site.unreachable's finding, not a certificate problem.
        return None


def _describe(exc: ssl.SSLCertVerificationError) -> str:
    message = (exc.verify_message or str(exc)).lower()
    if "expired" in message:
        return f"证书已过期（{exc.verify_message}）"
    if "self-signed" in message or "self signed" in message:
        return f"自签名证书，浏览器不信任（{exc.verify_message}）"
    if "hostname" in message or "ip address mismatch" in message:
        return f"证书与域名不符（{exc.verify_message}）"
    if "unable to get local issuer" in message:
        return f"证书签发机构不受信任（{exc.verify_message}）"
    return f"证书无法验证（{exc.verify_message or exc}）"
