"""The 大汉 Hanweb jpage list loader, served from a portal folder's own record data.

A Hanweb column page carries only its first group of records; a browser loads the others with
``POST /module/web/jpage/dataproxy.jsp?startrecord=N&endrecord=M&perpage=K`` and the jpage form
fields (columnid, unitid, webid, ...). This module answers that POST the way jcms does, from
``_jpage/<columnid>.xml`` in the portal folder: a ``<datastore>`` holding every record of the
column, newest first. The answer is the requested slice, with ``<totalrecord>``/``<totalpage>``::

    with serve_portal(HANWEB_PORTAL) as portal:
        install_dataproxy(portal)

Like the servlet it imitates, it reads parameters from the query string first, then the form body.
A request without columnid or a record range is a 400; an unknown column has no records.
"""
from __future__ import annotations

import argparse
import math
import re
import threading
from pathlib import Path
from urllib.parse import parse_qsl

from audit.demo.server import PortalRequest, PortalResponse, PortalServer

HANWEB_PORTAL = Path(__file__).resolve().parent / "hanweb"
DATAPROXY_PATH = "/module/web/jpage/dataproxy.jsp"
RECORDS_DIR = "_jpage"
_RECORD_RE = re.compile(r"<record>\s*<!\[CDATA\[.*?\]\]>\s*</record>", re.S)
_XML_TYPE = "text/xml;charset=UTF-8"


def column_records(root: Path, column_id: str) -> list[str]:
    """The <record> elements of a column, as stored in the portal's _jpage/<columnid>.xml."""
    if not column_id.isdigit():
        return []
    source = root / RECORDS_DIR / f"{column_id}.xml"
    return _RECORD_RE.findall(source.read_text("utf-8")) if source.is_file() else []


def _parameters(request: PortalRequest) -> dict[str, str]:
    """Query parameters, then form fields not already given (first value of each name wins)."""
    found: dict[str, str] = {}
    for pairs in (parse_qsl(request.query, keep_blank_values=True),
                  parse_qsl(request.body.decode("utf-8", errors="replace"), keep_blank_values=True)):
        for name, value in pairs:
            found.setdefault(name.lower(), value)
    return found


def _datastore(records: list[str], total: int, per_page: int) -> bytes:
    pages = math.ceil(total / per_page) if per_page else 0
    body = "\n".join(records)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n<totalrecord>{total}</totalrecord>\n'
            f"<totalpage>{pages}</totalpage>\n<recordset>\n{body}\n</recordset>\n</datastore>\n").encode("utf-8")


def dataproxy(root: Path, request: PortalRequest) -> PortalResponse:
    """Records startrecord..endrecord (1-based, inclusive) of the requested column."""
    params = _parameters(request)
    start, end, per_page = params.get("startrecord", ""), params.get("endrecord", ""), params.get("perpage", "")
    column_id = params.get("columnid", "")
    if not (start.isdigit() and end.isdigit() and column_id) or int(start) < 1 or int(end) < int(start):
        return PortalResponse(400, {"Content-Type": "text/plain;charset=UTF-8"}, b"bad jpage request")
    records = column_records(root, column_id)
    chosen = records[int(start) - 1:int(end)]
    size = int(per_page) if per_page.isdigit() and int(per_page) > 0 else int(end) - int(start) + 1
    return PortalResponse(200, {"Content-Type": _XML_TYPE}, _datastore(chosen, len(records), size))


def install_dataproxy(server: PortalServer) -> None:
    """Answer POST dataproxy.jsp on `server` from the records in its portal folder."""
    server.add_route("POST", DATAPROXY_PATH, lambda request: dataproxy(server.root, request))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve a Hanweb-style portal with its jpage dataproxy.jsp.")
    parser.add_argument("root", nargs="?", default=str(HANWEB_PORTAL))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    server = PortalServer(args.root, args.host, args.port)
    install_dataproxy(server)
    server.start()
    print(f"Serving {server.root} at {server.base_url} (Ctrl-C to stop)")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
