#!/usr/bin/env bash
# Fresh clone → demo: installs into .venv, serves the bundled sample portal on 127.0.0.1 and audits it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/govaudit demo "$@"
