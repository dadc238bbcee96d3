#!/usr/bin/env bash
# Installs what is missing, builds the app and serves it on http://127.0.0.1:8080
# with the default article. Ctrl+C stops it.
set -euo pipefail
source "$(dirname "$0")/tools.sh"
ensure_build_tools || exit 1
cd "$ROOT"
log "serving on http://127.0.0.1:${PORT:-8080}/"
# The tools and the output of the tests and the benchmark are not sources: no rebuild when they
# change. trunk refuses to start when an ignored path is missing, hence the mkdir (they are
# git-ignored; Trunk.toml lists none, so plain `trunk serve` works on a fresh clone).
mkdir -p .tools bench-results dist-bench dist-single
# A separate output folder: the tests build and read dist/.
exec trunk serve --release --offline --dist dist-serve --address 127.0.0.1 --port "${PORT:-8080}" \
  --ignore .tools --ignore bench-results --ignore dist-bench --ignore dist-single
