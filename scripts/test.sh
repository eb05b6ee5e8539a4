#!/usr/bin/env bash
# Fresh clone → tests: installs into .venv (and Debian's chromium, PostgreSQL and Redis when they
# are missing and we may install packages), starts PostgreSQL and Redis on 127.0.0.1, runs the suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The report tests open the bulletin in Chromium; a CJK font makes its screenshot legible.
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  [ -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || missing+=(fonts-wqy-zenhei)
  # pdftoppm: the print tests look at the bulletin's PDF pages as images (lone 落款, red title).
  command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
  if [ ${#missing[@]} -gt 0 ]; then
    apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null; }
  fi
fi
# PostgreSQL and Redis on 127.0.0.1 for the tests that need the real servers.
source scripts/services.sh
# Lint, import order and format first: a red ruff is a red CI (pyproject.toml [tool.ruff]).
.venv/bin/ruff check .
.venv/bin/ruff format --check .
exec .venv/bin/python -m pytest -q "$@"
