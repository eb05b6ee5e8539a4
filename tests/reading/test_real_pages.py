"""The hand-read facts of the shared real-pages folder (skipped when it is absent).

The folder sits beside the project checkout (../shared/real-pages); a clone elsewhere (CI clones
into a temporary folder) finds it through GOVAUDIT_REAL_PAGES or the workspace's /work/shared.
"""

import json
import os
from pathlib import Path

import pytest

from crawler.reading import read_page

_CANDIDATES = [Path(os.environ["GOVAUDIT_REAL_PAGES"])] if os.environ.get("GOVAUDIT_REAL_PAGES") else []
_CANDIDATES += [Path(__file__).resolve().parents[2].parent / "shared" / "real-pages", Path("/work/shared/real-pages")]
REAL = next((path for path in _CANDIDATES if (path / "EXPECTED.json").is_file()), _CANDIDATES[0])
EXPECTED = (
    json.loads((REAL / "EXPECTED.json").read_text(encoding="utf-8")) if (REAL / "EXPECTED.json").is_file() else {}
)
DETAIL_FIELDS = (
    "title",
    "publish_date",
    "written_date",
    "doc_number",
    "publisher",
    "index_number",
    "topic",
    "validity",
)


def _norm(value):
    return "".join(str(value).split()) if value is not None else None


@pytest.mark.skipif(not EXPECTED, reason="real-pages folder absent")
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_page_facts(name):
    entry = EXPECTED[name]
    url = entry["url"] or (REAL / name).resolve().as_uri()
    out = read_page((REAL / name).read_bytes(), url).to_json()
    expect, alternatives = entry["expect"], entry.get("also_accept", {})
    dates = [i["date"] for i in out["list_items"] if i["date"]]
    got = {
        **{f: out[f] for f in DETAIL_FIELDS},
        "labels": set(out["labels"]),
        "list_count": len(out["list_items"]),
        "newest_date": max(dates, default=None),
        "oldest_date": min(dates, default=None),
        "total_pages": out["total_pages"] or len(out["next_pages"]) + 1,
        "page2_url_suffix": (out["next_pages"] or [""])[0],
    }
    for field, want in expect.items():
        have = got[field]
        if field == "labels":
            assert have == set(want), field
        elif field == "page2_url_suffix":
            assert have.endswith("/" + want), field
        elif field in DETAIL_FIELDS:
            assert _norm(have) in {_norm(want), *map(_norm, alternatives.get(field, []))}, field
        else:
            assert have == want, field
