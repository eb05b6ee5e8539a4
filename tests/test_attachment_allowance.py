"""A lying archive (issue 27, item 9): a 141-byte .xlsx whose member claims 4 GB unpacked. It is judged
by its own size limits before the site's allowance of unpacked bytes is charged, so it cannot spend
that allowance and make every later attachment 未能读取（过大）; and what is left unread is named in the
bulletin's coverage section."""

import json
import sqlite3

import pytest
from hostile_server import ID_NUMBER, lying_attachments_portal, lying_zip, register_xlsx
from portal_kit import govaudit
from stored_views import readable

from crawler.crawl.budget import TOO_BIG


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    work = tmp_path_factory.mktemp("liar")
    with lying_attachments_portal() as server:
        done = govaudit(
            "audit",
            server.base_url,
            "--as-of",
            "2022-10-15",
            "--out",
            str(work / "out"),
            "--db",
            f"sqlite:///{work / 'a.sqlite'}",
            "--quiet",
            "--timeout",
            "10",
        )
        base = server.base_url
    db = readable(sqlite3.connect(work / "a.sqlite"))
    pages = {
        url.removeprefix(base): (unread, text)
        for url, unread, text in db.execute("select url, unread, text from page_read")
    }
    findings = json.loads((work / "out" / "findings.json").read_text("utf-8"))
    return {
        "done": done,
        "pages": pages,
        "findings": findings,
        "base": base,
        "bulletin": (work / "out" / "technical.html").read_text("utf-8"),
    }


def test_the_lying_archive_is_unread_and_spends_nothing(audited):
    assert audited["done"].returncode == 0, audited["done"].stderr
    assert audited["pages"]["files/liar.xlsx"][0] == TOO_BIG
    # The honest spreadsheet after it is read, and the ID number in it found.
    unread, text = audited["pages"]["files/list.xlsx"]
    assert unread is None and ID_NUMBER in text
    found = [f["url"].removeprefix(audited["base"]) for f in audited["findings"] if f["rule"] == "privacy.id_number"]
    assert found == ["files/list.xlsx"]


def test_the_bulletin_names_what_was_left_unread(audited):
    coverage = audited["bulletin"]
    assert "未能读取的附件和页面" in coverage
    assert "files/liar.xlsx" in coverage and TOO_BIG in coverage
    # Trap: what was read is not listed as unread.
    unread_section = coverage[coverage.index("未能读取的附件和页面") :]
    assert "files/list.xlsx" not in unread_section.split("</table>")[0]


@pytest.mark.parametrize(
    "body, charged",
    [
        (lying_zip(), None),  # claims 4 GB: over the per-file cap, never charged
        (
            lying_zip(200 * 1024 * 1024),
            13 * 1032 + 1024,
        ),  # claims 200 MB in 13 deflated bytes: charged what they can hold
        (register_xlsx(), "declared"),  # an honest workbook: charged what it declares
        (b"plain text " * 100, 1100),  # not an archive: its own size
    ],
)
def test_an_archive_is_charged_what_it_can_unpack(body, charged):
    import io
    import zipfile

    from crawler.crawl.attachments import allowance_charge

    if charged == "declared":
        charged = max(len(body), sum(m.file_size for m in zipfile.ZipFile(io.BytesIO(body)).infolist()))
    assert allowance_charge(body) == charged
