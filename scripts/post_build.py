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
Fails (non-zero exit, so the build fails) when a placeholder is missing.
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
    version = build_version(root, files)

    sw_path = root / "sw.js"
    sw = sw_path.read_text(encoding="utf-8")
    shell = ["./"] + [f for f in files if f != "sw.js"]
    if '"__VERSION__"' not in sw or "[/*SHELL*/]" not in sw:
        raise SystemExit("post_build: sw.js lacks its VERSION or SHELL placeholder")
    sw = sw.replace('"__VERSION__"', json.dumps(version)).replace("[/*SHELL*/]", json.dumps(shell))
    sw_path.write_text(sw, encoding="utf-8")

    index_path = root / "index.html"
    html = index_path.read_text(encoding="utf-8")
    serving = SERVE_MARKER in html
    if serving:
        html = fill_csp(html, ["'unsafe-inline'"])
    else:
        html = fill_csp(html, [csp_hash(s) for s in inline_scripts(html)])
    meta = f'<meta name="annotator-version" content="{version}">'
    html, n = re.subn(r"(<meta\s+charset=[^>]*>)", lambda m: m.group(1) + "\n  " + meta, html, count=1, flags=re.I)
    if n != 1:
        raise SystemExit("post_build: index.html has no <meta charset>")
    index_path.write_text(html, encoding="utf-8")
    mode = "trunk serve: inline scripts allowed" if serving else "inline scripts allowed by hash"
    print(f"post_build: version {version}, {len(shell)} shell entries, CSP ({mode})", file=sys.stderr)


if __name__ == "__main__":
    main()
