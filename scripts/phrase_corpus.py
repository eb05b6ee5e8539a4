"""Candidate fixed phrases of 公文 from a corpus of real pages, for rules/data/fixed_phrases.yaml.

Reads every .html/.htm/.xml/.txt file under the folders given, takes each page's visible text,
cuts it into words with jieba and counts every run of 1–4 whole words of 4–8 characters by the
number of documents it stands in (a phrase a page repeats counts once). Prints the runs found in
at least --min-docs documents, most widespread first, as `phrase<TAB>documents<TAB>occurrences`.

A person picks the fixed expressions from this list (决策部署, 通知如下, 加强组织领导 — not names or
fragments such as 国务院各部委 or 十九大和); the pick and the corpus it came from are recorded in
the YAML file's comments.

    .venv/bin/python scripts/phrase_corpus.py ../shared/real-pages --min-docs 4
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

import jieba
from lxml import html

_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_SUFFIXES = (".html", ".htm", ".xml", ".txt")


def page_text(path: Path) -> str:
    raw = path.read_bytes().decode("utf-8", errors="replace")
    if path.suffix == ".txt" or not raw.strip():
        return raw
    return html.fromstring(raw).text_content()


def phrases_of(text: str, shortest: int = 4, longest: int = 8, most_words: int = 4) -> Counter[str]:
    """Runs of whole words in `text` (1 to `most_words` words, `shortest`–`longest` characters): a
    four-character idiom jieba keeps as one word (贯彻落实) counts as well as 加强+组织+领导."""
    found: Counter[str] = Counter()
    for run in _HAN_RUN.findall(text):
        words = list(jieba.cut(run))
        for start in range(len(words)):
            span = words[start]
            if shortest <= len(span) <= longest:
                found[span] += 1
            for end in range(start + 1, min(start + most_words, len(words))):
                span += words[end]
                if len(span) > longest:
                    break
                if len(span) >= shortest:
                    found[span] += 1
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--min-docs", type=int, default=4)
    args = parser.parse_args(argv)
    jieba.setLogLevel(60)
    documents: Counter[str] = Counter()
    occurrences: Counter[str] = Counter()
    files = sorted(p for folder in args.folders for p in folder.rglob("*") if p.suffix.lower() in _SUFFIXES)
    for path in files:
        counted = phrases_of(page_text(path))
        documents.update(counted.keys())
        occurrences.update(counted)
    print(f"# {len(files)} documents", file=sys.stderr)
    for phrase, docs in sorted(documents.items(), key=lambda item: (-item[1], -occurrences[item[0]], item[0])):
        if docs >= args.min_docs:
            print(f"{phrase}\t{docs}\t{occurrences[phrase]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
