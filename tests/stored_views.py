"""Readable views of a govaudit SQLite database for tests that check what a crawl stored with plain
SQL: page_read (a run's page rows with what was read, the text decompressed), link and list_item
(a row per link and list row of each run's pages, from the versions' encoded lists)."""

from __future__ import annotations

import sqlite3
import zlib

from audit.store.versions import unpack_text

_READ = (
    "digest, cms, encoding, title, publish_date, publish_date_source, written_date, doc_number, publisher, "
    "index_number, topic, validity, disclosure_mode, labels, is_list, empty_notice, total_pages, total_records, "
    "redirect_to, more_requests, lists, breadcrumb"
)


def _unzip(data: bytes | None) -> str | None:
    return zlib.decompress(data).decode("utf-8", "surrogatepass") if data is not None else None


def readable(connection: sqlite3.Connection) -> sqlite3.Connection:
    """`connection` with the views page_read, link and list_item (temporary, its own)."""
    connection.create_function("unzip", 1, _unzip, deterministic=True)
    connection.create_function("page_text", 3, unpack_text, deterministic=True)
    connection.executescript(
        f"""
        CREATE TEMP VIEW IF NOT EXISTS page_read AS
            SELECT page.*, {", ".join(f"v.{name.strip()}" for name in _READ.split(","))},
                   page_text(v.text, c.body, v.encoding) AS text, unzip(v.meta_tags) AS meta_tags
            FROM page LEFT JOIN page_version v ON v.id = page.version_id
            LEFT JOIN page_content c ON c.digest = v.digest;
        CREATE TEMP VIEW IF NOT EXISTS link AS
            SELECT page.run_id, page.url AS from_url, json_extract(j.value, '$[0]') AS to_url,
                   json_extract(j.value, '$[1]') AS text, json_extract(j.value, '$[2]') AS tag,
                   json_extract(j.value, '$[3]') AS on_site, json_extract(j.value, '$[4]') AS is_click,
                   json_extract(j.value, '$[5]') AS region
            FROM page JOIN page_version v ON v.id = page.version_id, json_each(unzip(v.links)) j;
        CREATE TEMP VIEW IF NOT EXISTS list_item AS
            SELECT page.run_id, page.url AS page_url, j.key AS position, json_extract(j.value, '$[0]') AS main_list,
                   json_extract(j.value, '$[1]') AS title, json_extract(j.value, '$[2]') AS url,
                   json_extract(j.value, '$[3]') AS date, json_extract(j.value, '$[4]') AS date_source
            FROM page JOIN page_version v ON v.id = page.version_id, json_each(unzip(v.list_rows)) j;
        """
    )
    return connection
