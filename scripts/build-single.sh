#!/usr/bin/env bash
# Builds dist-single/annotator.html: the whole app in one self-contained HTML file (wasm, JS
# glue and styles inlined; the default article is compiled into the wasm) that works when
# opened from file:// with no server. Built from the same sources as the trunk build
# (index.html with its CSP, and the stylesheet it links), by scripts/inline_single.py.
# Installs what is missing first (scripts/tools.sh). Env: SINGLE_OUT (default dist-single/annotator.html).
set -euo pipefail
source "$(dirname "$0")/tools.sh"
ensure_build_tools || exit 1
ensure "apt-get install python3" "has_cmd python3" apt_install python3 || exit 1
cd "$ROOT"

OUT="${SINGLE_OUT:-$ROOT/dist-single/annotator.html}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
WORK="$TARGET_DIR/single"
mkdir -p "$WORK"
rm -f "$OUT"  # a failed build must not leave an older file behind to be tested

log "cargo build --release (wasm32, bin annotator)"
cargo build --quiet --release --target wasm32-unknown-unknown --bin annotator
log "wasm-bindgen --target no-modules"
wasm-bindgen --target no-modules --no-typescript --out-dir "$WORK" --out-name annotator \
  "$TARGET_DIR/wasm32-unknown-unknown/release/annotator.wasm"
# The same passes as the served build (index.html: data-wasm-opt="z" data-wasm-opt-params="-Oz").
log "wasm-opt -Oz -Oz"
wasm-opt -Oz -Oz "$WORK/annotator_bg.wasm" -o "$WORK/annotator_bg.opt.wasm"
# The rare parts (rare/): their own global, beside the app's `wasm_bindgen`.
log "cargo build --release (wasm32, the rare parts: package annotator-rare)"
cargo build --quiet --release --target wasm32-unknown-unknown -p annotator-rare --lib
log "wasm-bindgen --target no-modules --no-modules-global annotatorRare"
wasm-bindgen --target no-modules --no-modules-global annotatorRare --no-typescript --out-dir "$WORK" --out-name annotator_rare \
  "$TARGET_DIR/wasm32-unknown-unknown/release/annotator_rare.wasm"
wasm-opt -Oz -Oz "$WORK/annotator_rare_bg.wasm" -o "$WORK/annotator_rare_bg.opt.wasm"
log "inlining into $OUT"
python3 scripts/inline_single.py index.html "$WORK/annotator.js" "$WORK/annotator_bg.opt.wasm" \
  "$WORK/annotator_rare.js" "$WORK/annotator_rare_bg.opt.wasm" "$OUT"
log "$OUT: $(wc -c <"$OUT") bytes, $(gzip -9 -c "$OUT" | wc -c) gzipped"
