"""The evidence package of a run (issue 26): for every problem page, the bytes as the server sent them,
the masked copy that goes out with the bulletin, and what the server answered (status, Content-Type,
ETag, Last-Modified, when), with a SHA-256 manifest any third party checks with `sha256sum -c`.

The package holds originals, personal data included: it is for the office, never distributed. The zip
is written readable by its owner only (mode 0600 whatever the umask), and each member carries mode 0600
so that `unzip` restores the originals the same way.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from audit.store import Store
from audit.store.evidence import PageAnswer
from audit.store.store import KeptPage
from reports.data import BulletinData, ReportRow
from reports.evidence import copy_name, copy_pages, copy_view
from reports.files import OutputError, atomic_path, describe
from reports.render import render_kept_copy
from reports.times import beijing_time, utc_time

MANIFEST = "manifest.json"
DIGESTS = "MANIFEST.sha256"
# Each member of the zip: a regular file readable by its owner only.
_PRIVATE_MEMBER = (0o100600) << 16


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def original_suffix(content_type: str | None) -> str:
    """The file extension of an original by its Content-Type (html when it says nothing)."""
    media = (content_type or "text/html").split(";")[0].strip().lower()
    if media in ("text/html", "application/xhtml+xml", ""):
        return "html"
    return (mimetypes.guess_extension(media) or ".bin").lstrip(".")


def write_private(path: Path, data: bytes) -> Path:
    """`path` written whole, readable by its owner only (mode 0600 whatever the umask)."""
    with atomic_path(path, private=True) as temporary:
        temporary.write_bytes(data)
    return path


@dataclass(frozen=True)
class PackageSummary:
    path: Path
    pages: int
    originals: int


def _problems_by_page(rows: Iterable[ReportRow], page_of: dict[str, str]) -> dict[str, list[ReportRow]]:
    problems: dict[str, list[ReportRow]] = {}
    for row in rows:
        if row.url in page_of:
            problems.setdefault(page_of[row.url], []).append(row)
    return problems


def _add(archive: zipfile.ZipFile, name: str, data: bytes, digests: list[tuple[str, str]]) -> None:
    member = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    member.external_attr = _PRIVATE_MEMBER
    member.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(member, data)
    digests.append((sha256(data), name))


def _entry(number: int, page: KeptPage, answer: PageAnswer, problems: list[ReportRow], original: str | None) -> dict:
    return {
        "n": number,
        "url": page.url,
        "final_url": answer.final_url,
        "status": answer.status,
        "content_type": answer.content_type,
        "etag": answer.etag,
        "last_modified": answer.last_modified,
        "fetched_at_utc": utc_time(answer.fetched_at),
        "fetched_at_beijing": beijing_time(answer.fetched_at),
        "original": original,
        "sha256": sha256(page.body) if page.body is not None else None,
        "size": len(page.body) if page.body is not None else None,
        "truncated": page.truncated,
        "copy": f"copies/{Path(copy_name(page.url)).name}",
        "problems": [{"fingerprint": row.fingerprint, "rule": row.rule, "problem": row.problem} for row in problems],
    }


def write_package(store: Store, data: BulletinData, out_dir: Path) -> PackageSummary:
    """out_dir/evidence-<run>.zip: originals/<n>.<ext> (the body as received, for every problem page the
    run kept one of), copies/page-<hash>.html (the masked copy, as beside the bulletin), manifest.json
    and MANIFEST.sha256 over every other member. Written whole or not at all, mode 0600."""
    page_of = copy_pages(store, data.run_id, [row.url for row in data.rows])
    problems = _problems_by_page(data.rows, page_of)
    pages = sorted(set(page_of.values()))
    answers = store.page_answers(data.run_id, pages)
    path = out_dir / f"evidence-{data.run_id}.zip"
    digests: list[tuple[str, str]] = []
    entries: list[dict] = []
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"无法写入 / cannot write {out_dir}: {describe(exc)}") from exc
    with atomic_path(path, private=True) as temporary, zipfile.ZipFile(temporary, "w") as archive:
        kept = {page.url: page for page in store.kept_pages(data.run_id, pages)}
        for number, url in enumerate(pages, start=1):
            page, answer = kept.get(url), answers.get(url)
            if page is None or answer is None:
                continue
            original = None
            if page.body is not None:
                original = f"originals/{number}.{original_suffix(answer.content_type)}"
                _add(archive, original, page.body, digests)
            copy = render_kept_copy(copy_view(page, tuple(problems.get(url, ()))))
            entry = _entry(number, page, answer, problems.get(url, []), original)
            _add(archive, entry["copy"], copy.encode("utf-8"), digests)
            entries.append(entry)
        manifest = {
            "run": data.run_id,
            "site": data.site_url,
            "quarter": str(data.quarter),
            "as_of": data.as_of.isoformat(),
            "written_at_beijing": beijing_time(datetime.now(timezone.utc)),
            "note": "originals/ 为服务器发送的原始字节（含个人信息，仅供本办留存，不得分发）；"
            "copies/ 为已去标识化的留存副本；用 sha256sum -c MANIFEST.sha256 核验",
            "pages": entries,
        }
        _add(archive, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"), digests)
        listing = "".join(f"{digest}  {name}\n" for digest, name in digests)
        _add(archive, DIGESTS, listing.encode("utf-8"), [])
    originals = sum(1 for entry in entries if entry["original"])
    return PackageSummary(path, len(entries), originals)
