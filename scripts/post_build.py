#!/usr/bin/env python3
"""Trunk post_build hook (Trunk.toml): finishes the build for offline use and a strict CSP.

Works on $TRUNK_STAGING_DIR (or the directory given as the only argument), stdlib only:
1. VERSION = sha256 over every file's path and bytes, before the edits below (16 hex digits);
2. sw.js: fills in VERSION and SHELL ("./" and every file of the build but sw.js itself);
3. index.html: adds <meta name="annotator-version" content=VERSION> (the page compares it with
   the version it last ran, src/browser/offline.rs) and replaces __INLINE_SCRIPT_HASHES__ in
   the Content-Security-Policy meta with the 'sha256-…' of every inline script, i.e. trunk's
   module loader. Under `trunk serve`, trunk also injects a live-reload script that it rewrites
   on every request (host and path), so no hash can match it: there, and only there, the
   placeholder becomes 'unsafe-inline'. Release files (`trunk build`) never get it.
4. the wasm-bindgen glue (`annotator-*.js`, before 1.): strings of up to 32 ASCII bytes coming
   from wasm are built by a loop (scripts/fast_decode.js) instead of TextDecoder, whose fixed
   cost per call was the largest single item (~80 ms of ~400) when 10,000 highlights'
   attributes were set at an import (Chromium CPU profile, bench/profile_edits.py). Interning
   the highlights' shared strings (wasm-bindgen's enable-interning) and one attribute fewer cut
   the strings decoded at that import from 151,127 to 36,492, but measured the loop still saves
   CPU time in Chromium (README, "Strings from wasm"); tests/build/decoder.test.mjs compares it
   with TextDecoder. The file's integrity hash in index.html is recomputed. The glue's function
   is matched exactly (wasm-bindgen is pinned in Cargo.toml): if a new wasm-bindgen writes it
   differently, the build fails here.
Every step must apply: a missing placeholder, a glue function or integrity attribute not found
exactly once, a release page without its inline loader, or any integrity hash in index.html
that does not match its file at the end fails the hook (non-zero exit, so the build fails).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import sys
from pathlib import Path

CSP_PLACEHOLDER = "__INLINE_SCRIPT_HASHES__"
# Only `trunk serve` puts this into index.html (its live-reload script; the server fills it in).
SERVE_MARKER = "{{__TRUNK_ADDRESS__}}"
SCRIPT_RE = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.S | re.I)
JS_TYPES = {"", "module", "text/javascript", "application/javascript"}


def csp_hash(text: str) -> str:
    """The CSP source expression allowing an inline element whose content is `text`."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def inline_scripts(html: str) -> list[str]:
    """Contents of the inline scripts the browser would execute (no src, a JavaScript type)."""
    out = []
    for m in SCRIPT_RE.finditer(html):
        attrs = m.group("attrs")
        if re.search(r"\bsrc\s*=", attrs, re.I):
            continue
        t = re.search(r"""\btype\s*=\s*["']?([^"'\s>]*)""", attrs, re.I)
        if (t.group(1).lower() if t else "") in JS_TYPES:
            out.append(m.group("body"))
    return out


def fill_csp(html: str, sources: list[str]) -> str:
    """Replaces the placeholder in the CSP meta with `sources` (space-separated)."""
    if html.count(CSP_PLACEHOLDER) != 1:
        raise SystemExit(f"post_build: expected one {CSP_PLACEHOLDER} in the Content-Security-Policy meta of index.html")
    return html.replace(CSP_PLACEHOLDER, " ".join(sources))


GLUE_DECODE = """function getStringFromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return decodeText(getUint8ArrayMemory0().subarray(ptr, ptr + len));
}"""
FAST_DECODE = (Path(__file__).resolve().parent / "fast_decode.js").read_text(encoding="utf-8").strip()
GLUE_RE = re.compile(r"^annotator-[0-9a-f]+\.js$")
# An element's integrity attribute and the file it names (href or src, either order).
INTEGRITY_RE = re.compile(
    r"""<(?:link|script)\b(?=[^>]*\b(?:href|src)=["'](?:\./)?(?P<file>[^"']+)["'])(?=[^>]*\bintegrity=["'](?P<hash>[^"']+)["'])[^>]*>""",
    re.I,
)


def sri(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


def patch_glue(root: Path, html: str) -> str:
    """Step 4: patches the glue in place and returns `html` with its new integrity hash."""
    glue = [p for p in root.iterdir() if GLUE_RE.match(p.name)]
    if len(glue) != 1:
        raise SystemExit(f"post_build: expected one wasm-bindgen glue annotator-*.js in {root}, found {len(glue)}")
    path = glue[0]
    js = path.read_text(encoding="utf-8")
    if js.count(FAST_DECODE) == 1 and GLUE_DECODE not in js:
        return html  # patched by an earlier run on these files; check_integrity still checks its hash
    if js.count(GLUE_DECODE) != 1:
        raise SystemExit(f"post_build: {path.name} has no getStringFromWasm0 as wasm-bindgen 0.2.130 writes it")
    before = sri(path.read_bytes())
    old = f'integrity="{before}"'
    if html.count(old) != 1:
        raise SystemExit(f"post_build: index.html has {html.count(old)} integrity attributes with {path.name}'s hash, expected 1")
    path.write_text(js.replace(GLUE_DECODE, FAST_DECODE), encoding="utf-8")
    return html.replace(old, f'integrity="{sri(path.read_bytes())}"')


def check_integrity(root: Path, html: str) -> None:
    """Every integrity hash in `html` matches its file in `root`, and the glue has one."""
    found = {m.group("file"): m.group("hash") for m in INTEGRITY_RE.finditer(html)}
    if html.count("integrity=") != len(found):
        raise SystemExit("post_build: index.html has an integrity attribute whose file this hook cannot tell")
    if not any(GLUE_RE.match(f) for f in found):
        raise SystemExit("post_build: index.html has no integrity hash of the wasm-bindgen glue")
    for name, want in found.items():
        f = root / name
        if not f.is_file():
            raise SystemExit(f"post_build: index.html has an integrity hash of {name}, which the build lacks")
        algo = want.split("-", 1)[0]
        if algo not in ("sha256", "sha384", "sha512"):
            raise SystemExit(f"post_build: {name}'s integrity uses {algo}, not a SHA-2 this hook can check")
        got = algo + "-" + base64.b64encode(hashlib.new(algo, f.read_bytes()).digest()).decode("ascii")
        if got != want:
            raise SystemExit(f"post_build: {name}'s integrity hash in index.html does not match the file")


def build_version(root: Path, files: list[str]) -> str:
    h = hashlib.sha256()
    for name in files:
        h.update(name.encode("utf-8") + b"\0")
        h.update((root / name).read_bytes() + b"\0")
    return h.hexdigest()[:16]


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ["TRUNK_STAGING_DIR"])
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    if "index.html" not in files or "sw.js" not in files:
        raise SystemExit(f"post_build: {root} lacks index.html or sw.js")
    index_path = root / "index.html"
    index_path.write_text(patch_glue(root, index_path.read_text(encoding="utf-8")), encoding="utf-8")
    version = build_version(root, files)

    sw_path = root / "sw.js"
    sw = sw_path.read_text(encoding="utf-8")
    shell = ["./"] + [f for f in files if f != "sw.js"]
    if '"__VERSION__"' not in sw or "[/*SHELL*/]" not in sw:
        raise SystemExit("post_build: sw.js lacks its VERSION or SHELL placeholder")
    sw = sw.replace('"__VERSION__"', json.dumps(version)).replace("[/*SHELL*/]", json.dumps(shell))
    sw_path.write_text(sw, encoding="utf-8")

    html = index_path.read_text(encoding="utf-8")
    serving = SERVE_MARKER in html
    if serving:
        html = fill_csp(html, ["'unsafe-inline'"])
    else:
        scripts = inline_scripts(html)
        if not scripts:
            raise SystemExit("post_build: index.html has no inline script (trunk's module loader) to allow by hash")
        html = fill_csp(html, [csp_hash(s) for s in scripts])
    meta = f'<meta name="annotator-version" content="{version}">'
    html, n = re.subn(r"(<meta\s+charset=[^>]*>)", lambda m: m.group(1) + "\n  " + meta, html, count=1, flags=re.I)
    if n != 1:
        raise SystemExit("post_build: index.html has no <meta charset>")
    check_integrity(root, html)
    index_path.write_text(html, encoding="utf-8")
    mode = "trunk serve: inline scripts allowed" if serving else "inline scripts allowed by hash"
    print(f"post_build: version {version}, {len(shell)} shell entries, CSP ({mode})", file=sys.stderr)


if __name__ == "__main__":
    main()
