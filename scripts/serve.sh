#!/usr/bin/env bash
# Installs what is missing, builds the app and serves it on http://127.0.0.1:8080
# with the default article. Ctrl+C stops it.
set -euo pipefail
source "$(dirname "$0")/tools.sh"
ensure_build_tools || exit 1
cd "$ROOT"
log "serving on http://127.0.0.1:${PORT:-8080}/"
# Trunk.toml's [watch] ignore names these; trunk serve refuses to start when one is missing
# (a fresh clone has none of them). They are git-ignored.
mkdir -p .tools bench-results dist-bench dist-single
# A separate output folder: the tests build and read dist/.
exec trunk serve --release --offline --dist dist-serve --address 127.0.0.1 --port "${PORT:-8080}"
