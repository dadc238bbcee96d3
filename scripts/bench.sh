#!/usr/bin/env bash
# The benchmark of issue 4 (not a timed test): builds the release app, generates
# the deterministic workloads, times the model natively, then drives headless
# Chromium (and Firefox where a step is supported) over WebDriver on 127.0.0.1.
# Prints a markdown table; writes bench-results/results.json and results.md.
#
# Env (all optional):
#   BENCH_BROWSERS=chromium,firefox   browsers, in order (Chromium gets 65% of the budget first)
#   BENCH_SIZES=50k,1m,5m             text sizes;  BENCH_COUNTS=100,1000,10000 annotation counts
#   BENCH_BUDGET_S=600                seconds for all browser steps (each step also has its own timeout)
#   BENCH_DIST=path                   benchmark an existing build instead of building (skips trunk)
#   BENCH_SKIP_HOST=1                 skip the native timings (core/examples/plan_bench.rs)
#   BENCH_EMBED_SIZES=1m              also build copies of the app whose default article is the generated
#                                     text of these sizes (sources in target/bench-embed-src-*, own target dir: the
#                                     first build takes a few minutes) and measure import/edits/scroll/
#                                     memory/export there; for when the "Open text file" step is missing
#   BENCH_SEED=1                      workload seed
#   BENCH_ONLY=sync                   run only these browser steps (known: sync = Team sync, bench/sync.py,
#                                     with a local pouchdb-server); also skips the native timings
set -euo pipefail
source "$(dirname "$0")/tools.sh"
# A binaryen already on this machine (e.g. /opt/binaryen) saves the npm install.
for d in /opt/binaryen/node_modules/.bin; do
  if ! command -v wasm-opt >/dev/null && [ -x "$d/wasm-opt" ]; then export PATH="$PATH:$d"; fi
done
ensure_test_tools || exit 1
cd "$ROOT"

OUT="$ROOT/bench-results"
WL="$OUT/workloads"
mkdir -p "$OUT"
started=$(date +%s)

if [ -n "${BENCH_DIST:-}" ]; then
  DIST="$(cd "$BENCH_DIST" && pwd)"
  log "using the existing build in $DIST"
else
  # Its own dist and target directories: trunk's intermediate files (target/wasm-bindgen/...)
  # are shared by every build using a target dir, and a concurrent build (e.g. the e2e
  # suite's) can corrupt them mid-copy. The first build here compiles the dependencies once.
  DIST="$ROOT/dist-bench"
  log "trunk build --release --offline --dist dist-bench (CARGO_TARGET_DIR=target/bench)"
  CARGO_TARGET_DIR="$ROOT/target/bench" trunk build --release --offline --dist "$DIST"
fi
wasm_file="$(ls "$DIST"/*.wasm 2>/dev/null | head -1)"
if [ -z "$wasm_file" ] || [ "$(head -c 4 "$wasm_file" | od -An -tx1 | tr -d ' \n')" != "0061736d" ]; then
  echo "$DIST has no valid .wasm (${wasm_file:-none}); rebuild" >&2
  exit 1
fi

log "generating workloads (seed ${BENCH_SEED:-1}) into $WL"
python3 "$ROOT/bench/workload.py" "$WL" --seed "${BENCH_SEED:-1}" \
  --sizes "seed,${BENCH_SIZES:-50k,1m,5m}" --counts "${BENCH_COUNTS:-100,1000,10000}"

embedded_args=()
for size in ${BENCH_EMBED_SIZES:+${BENCH_EMBED_SIZES//,/ }}; do
  src="$ROOT/target/bench-embed-src-$size"
  if [ ! -f "$WL/text-$size.txt" ]; then echo "no workload text-$size.txt (BENCH_SIZES?)" >&2; continue; fi
  log "build with text-$size.txt as the default article (target/bench-embed)"
  rm -rf "$src" && mkdir -p "$src"
  git -C "$ROOT" ls-files -z -co --exclude-standard | (cd "$ROOT" && tar -cf - --null --ignore-failed-read -T -) | tar -xf - -C "$src"
  cp "$WL/text-$size.txt" "$src/assets/seed-article.txt"
  if (cd "$src" && CARGO_TARGET_DIR="$ROOT/target/bench-embed" trunk build --release --offline --dist "$ROOT/dist-bench-embed-$size"); then
    embedded_args+=(--embedded "$size=$ROOT/dist-bench-embed-$size")
  else
    echo "the build with the embedded $size text failed (continuing without it)" >&2
  fi
done

HOST_JSON="$OUT/host.json"
rm -f "$HOST_JSON"
if [ "${BENCH_SKIP_HOST:-0}" != 1 ] && [ -z "${BENCH_ONLY:-}" ]; then
  log "native model timings (cargo run --release --example plan_bench)"
  files=()
  for f in "$WL"/ann-*-10000.annotations.json "$WL"/ann-seed-*.annotations.json; do [ -f "$f" ] && files+=("$f"); done
  if ! timeout 600 cargo run --quiet --release -p annotator-core --example plan_bench -- --json "${files[@]}" > "$HOST_JSON.tmp"; then
    echo "native timings failed (continuing with the browser benchmark)" >&2
  else
    mv "$HOST_JSON.tmp" "$HOST_JSON"
  fi
  rm -f "$HOST_JSON.tmp"
fi

budget="${BENCH_BUDGET_S:-600}"
log "browser benchmark (budget ${budget} s)"
export SE_OFFLINE=true
timeout --kill-after=30 $((budget + 300)) python3 "$ROOT/bench/run.py" --dist "$DIST" --workloads "$WL" --out "$OUT" \
  --budget "$budget" --host-json "$HOST_JSON" --only "${BENCH_ONLY:-}" ${embedded_args[@]+"${embedded_args[@]}"} \
  --browsers "${BENCH_BROWSERS:-chromium,firefox}" --sizes "${BENCH_SIZES:-50k,1m,5m}" --counts "${BENCH_COUNTS:-100,1000,10000}"
log "done in $(( $(date +%s) - started )) s: $OUT/results.md, $OUT/results.json"
