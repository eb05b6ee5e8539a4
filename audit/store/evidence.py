"""The store's evidence queries: what the outputs show of a run beside its findings (pages as
fetched, kept copies, the pages that link a target)."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from audit.store.common import _is_html
from audit.store.models import FindingRecord, LinkCheck, ListRead, Page, PageContent, PageVersion
from audit.store.snapshot import run_versions
from audit.store.versions import unpack, unpack_text

# Kept copies read at once when a bulletin writes them.
_KEPT_PER_QUERY = 50


class EvidenceQueries:
    """Evidence queries (a part of audit.store.Store, whose sessions it uses)."""

    def read_short_columns(self, run_id: int) -> set[str]:
        """The columns with a list the run read short of what it declares (a coverage gap)."""
        with self._sessions() as session:
            return set(
                session.scalars(select(ListRead.column).where(ListRead.run_id == run_id, ListRead.complete.is_(False)))
            )

    def page_evidence(self, run_id: int) -> dict[str, tuple[datetime, str | None]]:
        """When the run fetched or checked each URL, and the page's title: what a finding's evidence
        was seen on."""
        with self._sessions() as session:
            seen: dict[str, tuple[datetime, str | None]] = {
                url: (checked_at, None)
                for url, checked_at in session.execute(
                    select(LinkCheck.url, LinkCheck.checked_at).where(LinkCheck.run_id == run_id)
                )
            }
            seen.update(
                (url, (fetched_at, title))
                for url, fetched_at, title in session.execute(
                    select(Page.url, Page.fetched_at, PageVersion.title)
                    .outerjoin(PageVersion, PageVersion.id == Page.version_id)
                    .where(Page.run_id == run_id)
                )
            )
            return seen

    def kept_urls(self, run_id: int, urls: Iterable[str]) -> set[str]:
        """Which of `urls` the run keeps a copy of (kept_pages gives them), without reading the copies."""
        wanted = list(dict.fromkeys(urls))
        kept: set[str] = set()
        with self._sessions() as session:
            for start in range(0, len(wanted), 500):
                rows = session.execute(
                    select(Page.url, Page.content_type, PageVersion.text.is_not(None), PageContent.digest.is_not(None))
                    .join(PageVersion, PageVersion.id == Page.version_id)
                    .outerjoin(PageContent, PageContent.digest == PageVersion.digest)
                    .where(Page.run_id == run_id, Page.url.in_(wanted[start : start + 500]))
                )
                kept.update(
                    url
                    for url, content_type, has_text, has_body in rows
                    if has_body or (has_text and not _is_html(content_type))
                )
        return kept

    def kept_pages(self, run_id: int, urls: Iterable[str]) -> Iterator[KeptPage]:
        """What the run stored of each of `urls` that it fetched: the body as fetched (decompressed)
        for HTML pages, the text read out of attachments, with the fetch's time, title, encoding and
        the body's SHA-256 digest. A few at a time: a bulletin of a big portal keeps hundreds of copies."""
        wanted = list(dict.fromkeys(urls))
        with self._sessions() as session:
            for start in range(0, len(wanted), _KEPT_PER_QUERY):
                batch = wanted[start : start + _KEPT_PER_QUERY]
                for url, fetched_at, title, encoding, content_type, text, truncated, digest, body in session.execute(
                    select(
                        Page.url,
                        Page.fetched_at,
                        PageVersion.title,
                        PageVersion.encoding,
                        Page.content_type,
                        PageVersion.text,
                        Page.truncated,
                        PageVersion.digest,
                        PageContent.body,
                    )
                    .join(PageVersion, PageVersion.id == Page.version_id)
                    .outerjoin(PageContent, PageContent.digest == PageVersion.digest)
                    .where(Page.run_id == run_id, Page.url.in_(batch))
                ).all():
                    if body is None and (text is None or _is_html(content_type)):
                        continue  # an HTML page stored before bodies were kept
                    if body is not None:
                        yield KeptPage(url, fetched_at, title, encoding, zlib.decompress(body), None, truncated, digest)
                    else:
                        yield KeptPage(url, fetched_at, title, encoding, None, unpack_text(text), truncated, digest)

    def referring_pages(self, run_id: int, urls: Iterable[str]) -> dict[str, str]:
        """For each of `urls` some page of the run links to, the first such page the crawl stored
        (a broken link in the footer is on every page: not all of them)."""
        wanted = set(urls)
        referring: dict[str, str] = {}
        with self._sessions() as session:
            rows = session.execute(
                run_versions(run_id, PageVersion.links).order_by(Page.id).execution_options(yield_per=500)
            )
            for from_url, packed in rows:
                for to_url, *_ in unpack(packed):
                    if to_url in wanted and to_url not in referring:
                        referring[to_url] = from_url
                if len(referring) == len(wanted):
                    break
        return referring

    def finding_counts(self) -> dict[int, int]:
        """Number of stored findings of every run."""
        counts: dict[int, int] = {}
        with self._sessions() as session:
            for run_id in session.scalars(select(FindingRecord.run_id)):
                counts[run_id] = counts.get(run_id, 0) + 1
        return counts

    def findings(self, run_id: int) -> list[FindingRecord]:
        with self._sessions() as session:
            return list(
                session.scalars(select(FindingRecord).where(FindingRecord.run_id == run_id).order_by(FindingRecord.id))
            )

    def page_answers(self, run_id: int, urls: Iterable[str]) -> dict[str, PageAnswer]:
        """What the server answered for each of `urls` the run fetched: status, headers that matter in
        a dispute and when (an evidence package's manifest)."""
        wanted = list(dict.fromkeys(urls))
        answers: dict[str, PageAnswer] = {}
        with self._sessions() as session:
            for start in range(0, len(wanted), 500):
                # final_url is stored only for a redirect: an answer from the URL itself came from it.
                answers.update(
                    (
                        row.url,
                        PageAnswer(row.url, row.final_url or (row.url if row.status is not None else None), *row[2:]),
                    )
                    for row in session.execute(
                        select(
                            Page.url,
                            Page.final_url,
                            Page.status,
                            Page.content_type,
                            Page.etag,
                            Page.last_modified,
                            Page.fetched_at,
                        ).where(Page.run_id == run_id, Page.url.in_(wanted[start : start + 500]))
                    )
                )
        return answers


@dataclass(frozen=True)
class PageAnswer:
    """The server's answer for one fetched URL, as an evidence manifest records it."""

    url: str
    final_url: str | None
    status: int | None
    content_type: str | None
    etag: str | None
    last_modified: str | None
    fetched_at: datetime


@dataclass(frozen=True)
class KeptPage:
    """A page as the run fetched it: the HTML body, or the text read out of an attachment."""

    url: str
    fetched_at: datetime
    title: str | None
    encoding: str | None
    body: bytes | None
    text: str | None
    truncated: bool
    # SHA-256 (hex) of the body as received, after transfer decoding (None on rows stored before).
    digest: str | None = None
