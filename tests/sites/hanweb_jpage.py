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

Servers differ in what they return; ``install_dataproxy`` can imitate one that answers at most
``max_records`` per POST (whatever range was asked for) or one that stops answering (503) from
record ``refuse_from`` on. ``hanweb_variant`` copies the portal with other column layouts (how many
records a column page embeds, its jpage perPage × groupSize, more records, oldest first).
"""
from __future__ import annotations

import argparse
import math
import re
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

from audit.cli.demo.server import PortalRequest, PortalResponse, PortalServer

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


def dataproxy(root: Path, request: PortalRequest, max_records: int | None = None,
              refuse_from: int | None = None) -> PortalResponse:
    """Records startrecord..endrecord (1-based, inclusive) of the requested column."""
    params = _parameters(request)
    start, end, per_page = params.get("startrecord", ""), params.get("endrecord", ""), params.get("perpage", "")
    column_id = params.get("columnid", "")
    if not (start.isdigit() and end.isdigit() and column_id) or int(start) < 1 or int(end) < int(start):
        return PortalResponse(400, {"Content-Type": "text/plain;charset=UTF-8"}, b"bad jpage request")
    if refuse_from is not None and int(start) >= refuse_from:
        return PortalResponse(503, {"Content-Type": "text/plain;charset=UTF-8"}, b"service unavailable")
    records = column_records(root, column_id)
    last = int(end) if max_records is None else min(int(end), int(start) + max_records - 1)
    chosen = records[int(start) - 1:last]
    size = int(per_page) if per_page.isdigit() and int(per_page) > 0 else int(end) - int(start) + 1
    return PortalResponse(200, {"Content-Type": _XML_TYPE}, _datastore(chosen, len(records), size))


def install_dataproxy(server: PortalServer, *, max_records: int | None = None, refuse_from: int | None = None) -> None:
    """Answer POST dataproxy.jsp on `server` from the records in its portal folder."""
    server.add_route("POST", DATAPROXY_PATH,
                     lambda request: dataproxy(server.root, request, max_records, refuse_from))


@dataclass(frozen=True)
class ColumnLayout:
    """How a variant lays out one column: records embedded in its page, its jpage settings, and
    records added after the sample's own ones (older ones, as <record> elements)."""

    embedded: int
    per_page: int
    group_size: int
    extra_records: tuple[str, ...] = ()
    oldest_first: bool = False


def older_record(column_id: str, number: int, year: int = 2020) -> str:
    """A generated record (an article that was never published as a page) for a longer list."""
    month, day = number % 12 + 1, number % 28 + 1
    return (f'<record><![CDATA[\n<li class="clearfix"><a target="_blank" href="/art/{year}/{month}/{day}/'
            f'art_{column_id}_{90000 + number}.html" title="{year}年第{number}号存档信息">{year}年第{number}号存档信息</a>'
            f"<span>{year}-{month:02d}-{day:02d}</span></li>]]></record>")


def hanweb_variant(target: Path, layouts: dict[str, ColumnLayout]) -> Path:
    """A copy of the sample portal in `target` whose columns (by column id) are laid out anew."""
    shutil.copytree(HANWEB_PORTAL, target)
    for column_id, layout in layouts.items():
        records = column_records(target, column_id) + list(layout.extra_records)
        if layout.oldest_first:
            records.reverse()
        body = "\n".join(records)
        (target / RECORDS_DIR / f"{column_id}.xml").write_text(
            f'<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n<recordset>\n{body}\n</recordset>\n</datastore>\n',
            "utf-8")
        page = target / "col" / f"col{column_id}" / "index.html"
        html = page.read_text("utf-8")
        html = re.sub(r"<recordset>.*?</recordset>",
                      lambda _: "<recordset>\n" + "\n".join(records[:layout.embedded]) + "\n</recordset>", html, flags=re.S)
        html = re.sub(r"perPage:\d+", f"perPage:{layout.per_page}", html)
        html = re.sub(r"groupSize:\d+", f"groupSize:{layout.group_size}", html)
        html = re.sub(r"totalRecord:\d+", f"totalRecord:{len(records)}", html)
        page.write_text(html, "utf-8")
    return target


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
