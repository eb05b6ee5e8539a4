"""Page versions: what the reader read from a page, encoded once and shared by the runs that read
the same. A version's links, list rows and hidden links are compact lists (zlib-compressed JSON),
one value per version rather than a row per link per run: at 20k pages a row per link was 6.4 KB a
page a run (rows and two indexes), the encoded list 0.5 KB a page once.

The version's key is the SHA-256 of its encoded content (and of the body's digest), so a page
fetched again unchanged (a 304, or the same bytes read the same way) adds no version.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from datetime import date

from crawler.reading import FormRequest, PageReading
from crawler.vocabulary.urls import canonical_url

# Link fields in a version's encoded list, in order.
LINK_FIELDS = ("to_url", "text", "tag", "on_site", "is_click", "region")


def pack(value) -> bytes | None:
    """A JSON-able value as compact zlib-compressed JSON (None for an empty list or None)."""
    if value is None or value == []:
        return None
    return zlib.compress(json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_iso).encode())


def unpack(data: bytes | None, empty=()):
    return json.loads(zlib.decompress(data)) if data else empty


def pack_text(text: str | None, body: bytes | None = None, encoding: str | None = None) -> bytes | None:
    """A page's text compressed, against its body (as received) when there is one: the text is mostly
    the body's own words, so it then costs a tenth of compressing it alone (0.24 KB a page instead
    of 1.8 at 2k pages). The first byte says which."""
    if text is None:
        return None
    data = text.encode("utf-8", "surrogatepass")
    if body is None:
        return _PLAIN + zlib.compress(data)
    packer = zlib.compressobj(zdict=_text_dictionary(body, encoding))
    return _AGAINST_BODY + packer.compress(data) + packer.flush()


def unpack_text(data: bytes | None, kept_body: bytes | None = None, encoding: str | None = None) -> str | None:
    """The text pack_text packed; `kept_body` is the page's body as stored (compressed)."""
    if data is None:
        return None
    if data[:1] == _AGAINST_BODY:
        unpacker = zlib.decompressobj(zdict=_text_dictionary(zlib.decompress(kept_body), encoding))
        text = unpacker.decompress(data[1:]) + unpacker.flush()
    else:
        text = zlib.decompress(data[1:])
    return text.decode("utf-8", "surrogatepass")


# pack_text's first byte: compressed alone, or against the body.
_PLAIN = b"\x00"
_AGAINST_BODY = b"\x01"
# zlib looks back 32 KB: the end of the body is the dictionary.
_WINDOW = 32768


def _text_dictionary(body: bytes, encoding: str | None) -> bytes:
    """The body as UTF-8 text (as the text is stored), its last 32 KB."""
    try:
        decoded = body.decode(encoding or "utf-8", "replace")
    except LookupError:
        decoded = body.decode("utf-8", "replace")
    return decoded.encode("utf-8", "surrogatepass")[-_WINDOW:]


def body_digest(body: bytes) -> str:
    """SHA-256 (hex) of a body as received, after transfer decoding."""
    return hashlib.sha256(body).hexdigest()


def _iso(value):
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def list_row_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def version_of(
    reading: PageReading | None, text: str | None, body: bytes | None, digest: str | None, site_hosts: set[str], host_of
) -> dict | None:
    """The page_version row of a fetch (without its id), keyed by the digest of its content; None
    when nothing was received or read (an error). `body` is the HTML body as received, kept under
    `digest`."""
    if reading is None and text is None and digest is None:
        return None
    version = dict(
        digest=digest,
        cms=None,
        encoding=None,
        title=None,
        publish_date=None,
        publish_date_source=None,
        written_date=None,
        doc_number=None,
        publisher=None,
        index_number=None,
        topic=None,
        validity=None,
        disclosure_mode=None,
        labels=[],
        is_list=False,
        empty_notice=False,
        total_pages=None,
        total_records=None,
        redirect_to=None,
        more_requests=None,
        lists=None,
        breadcrumb=None,
    )
    links: list[list] = []
    list_rows: list[list] = []
    hidden: list[list] = []
    meta_tags: dict = {}
    if reading is not None:
        text = reading.text
        meta_tags = dict(reading.meta_tags)
        redirect_to = canonical_url(reading.redirect_to) if reading.redirect_to else None
        version.update(
            cms=reading.cms,
            encoding=reading.encoding,
            title=reading.title,
            publish_date=reading.publish_date.value if reading.publish_date is not None else None,
            publish_date_source=reading.publish_date.source if reading.publish_date is not None else None,
            written_date=reading.written_date,
            doc_number=reading.doc_number,
            publisher=reading.publisher,
            index_number=reading.index_number,
            topic=reading.topic,
            validity=reading.validity,
            disclosure_mode=reading.disclosure_mode,
            labels=list(reading.labels),
            is_list=bool(reading.list_items),
            empty_notice=reading.empty_notice,
            total_pages=reading.total_pages,
            total_records=reading.total_records,
            redirect_to=redirect_to,
            breadcrumb=[{"text": crumb.text, "url": crumb.url} for crumb in reading.breadcrumb],
            more_requests=form_records(reading.more_requests),
            lists=[
                {
                    "rows": len(part.list_items),
                    "next_pages": [canonical_url(url) for url in part.next_pages],
                    "total_pages": part.total_pages,
                    "total_records": part.total_records,
                    "more_requests": form_records(part.more_requests),
                }
                for part in reading.lists
            ]
            or None,
        )
        next_pages = {canonical_url(url) for url in reading.next_pages}
        for link in reading.links:
            target = canonical_url(link.url)
            links.append(
                [
                    target,
                    link.text[:500],
                    link.tag,
                    host_of(target) in site_hosts,
                    link.tag == "a" and target not in next_pages,
                    str(link.region),
                ]
            )
        if redirect_to:
            links.append([redirect_to, "", "redirect", host_of(redirect_to) in site_hosts, False, None])
        list_rows = [
            [main_list, entry.title[:1000], canonical_url(entry.url), entry.date, entry.date_source]
            for main_list, entries in ((True, reading.list_items), (False, reading.dated_links))
            for entry in entries
        ]
        hidden = [[link.url[:2048], link.text[:500], link.how[:64]] for link in reading.hidden_links]
    return encode_version(version, text, meta_tags, links, list_rows, hidden, body)


def encode_version(
    version: dict, text: str | None, meta_tags: dict, links: list, list_rows: list, hidden: list, body: bytes | None
) -> dict:
    """`version` (its plain columns) completed with its key and its encoded text (against `body`, the
    body as received, kept under version["digest"]), meta tags and lists: the page_version row as
    stored."""
    content = json.dumps(
        [version, text, meta_tags, links, list_rows, hidden],
        ensure_ascii=False,
        separators=(",", ":"),
        default=_iso,
        sort_keys=True,
    ).encode("utf-8", "surrogatepass")
    return dict(
        version,
        key=hashlib.sha256(content).hexdigest(),
        text=pack_text(text, body, version["encoding"]),
        meta_tags=pack(meta_tags or None),
        links=pack(links),
        list_rows=pack(list_rows),
        hidden_links=pack(hidden),
    )


def form_records(requests: list[FormRequest]) -> list[dict]:
    return [{"url": more.url, "formdata": dict(more.formdata)} for more in requests]


def form_requests(records: list[dict] | None) -> list[FormRequest]:
    return [FormRequest(more["url"], dict(more["formdata"])) for more in records or ()]
