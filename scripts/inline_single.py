#!/usr/bin/env python3
"""Writes the single-file build: index.html with everything inlined (stdlib only).

Usage: inline_single.py INDEX_HTML GLUE_JS WASM RARE_GLUE_JS RARE_WASM OUT_HTML
  INDEX_HTML    the app's index.html (the same source trunk builds from)
  GLUE_JS       wasm-bindgen's `--target no-modules` glue (a classic script, global `wasm_bindgen`)
  WASM          the optimised wasm
  RARE_GLUE_JS  the rare parts' glue (`--target no-modules --no-modules-global annotatorRare`)
  RARE_WASM     the rare parts' optimised wasm
  OUT_HTML      the file to write

From index.html: <link data-trunk rel="css" href=…> becomes a <style> with that stylesheet;
<link data-trunk rel="rust"> becomes, at the end of <body>, the wasm, gzipped and in base64, in a
data block (<script type="application/octet-stream">, which never runs), the glue, and a small
boot script that decodes it (DecompressionStream: Chromium 80+, Firefox 113+) and starts it;
the rare parts (the second rust link, data-type="worker") go in the same way, but their wasm is
decoded and started only on first use: the boot script defines annotatorLoadRare() as
assets/rare-loader.js does for the served app (src/browser/rare.rs calls it);
<link data-trunk rel="copy-file"> and rel="copy-dir" (the service worker, which file:// cannot
use, the manifest, the icons, team sync's scripts) and HTML comments are dropped. Of the page's
own links to those files, an SVG <link rel="icon"> becomes a data: URL of its file (the CSP's
img-src allows data:); the other icons, the manifest and the apple-touch-icon are dropped (a
file:// page cannot be installed). The CSP meta is kept, with
__INLINE_SCRIPT_HASHES__ replaced by the sha256 of the inline scripts and the sha256 of the
<style> added to style-src, so the file still runs nothing but its own code.
"""

from __future__ import annotations

import base64
import gzip
import posixpath
import html
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from post_build import csp_hash, fill_csp, inline_scripts  # noqa: E402

# Decodes the gzipped wasm (base64 in the data block) with the browser's DecompressionStream
# and compiles it while it streams in.
BOOT = """(function () {
  "use strict";
  // Both data blocks are taken out of the page now (the app then owns <body>); each is
  // decoded when it is started: the app at once, the rare parts on first use.
  function take(id) {
    var data = document.getElementById(id);
    var text = data.textContent.trim();
    data.remove();
    return text;
  }
  function decoded(b64) {
    var text = atob(b64);
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    var wasm = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(wasm, { headers: { "Content-Type": "application/wasm" } });
  }
  var app = take("annotator-wasm");
  var rareData = take("annotator-rare-wasm");
  var rare = null;
  globalThis.annotatorLoadRare = function () {
    if (!rare) {
      rare = Promise.resolve().then(function () {
        return annotatorRare({ module_or_path: decoded(rareData) });
      }).then(function () { return annotatorRare; });
      rare.catch(function () { rare = null; });
    }
    return rare;
  };
  Promise.resolve().then(function () {
    return wasm_bindgen({ module_or_path: decoded(app) });
  }).catch(function (e) {
    var p = document.createElement("p");
    p.textContent = "The annotator could not start in this browser: " + e;
    document.body.appendChild(p);
  });
})();"""

LINK_RE = re.compile(r"<link\b[^>]*\bdata-trunk\b[^>]*>", re.I)
PAGE_LINK_RE = re.compile(r"<link\b(?![^>]*\bdata-trunk\b)[^>]*>", re.I)


def attr(tag: str, name: str) -> str | None:
    m = re.search(rf"""\b{name}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", tag, re.I)
    return None if not m else html.unescape(next(g for g in m.groups() if g is not None))


def raw_text(content: str, tag: str) -> str:
    """`content` for a raw-text element <tag>: it must not contain the closing tag."""
    if re.search(rf"</{tag}", content, re.I):
        raise SystemExit(f"inline_single: the inlined {tag} contains '</{tag}'")
    return content


def main() -> None:
    if len(sys.argv) != 7:
        raise SystemExit(__doc__)
    index, glue_path, wasm_path, rare_glue_path, rare_wasm_path, out = (Path(a) for a in sys.argv[1:])
    page = index.read_text(encoding="utf-8")
    glue = raw_text(glue_path.read_text(encoding="utf-8"), "script")
    rare_glue = raw_text(rare_glue_path.read_text(encoding="utf-8"), "script")
    if "let annotatorRare" not in rare_glue:
        raise SystemExit("inline_single: the rare parts' glue should define the global annotatorRare (--no-modules-global)")

    # gzip first: base64 of the raw wasm would be 2.5 times larger on disk.
    def b64_gzip(path: Path) -> str:
        return base64.b64encode(gzip.compress(path.read_bytes(), 9, mtime=0)).decode("ascii")

    wasm_b64, rare_b64 = b64_gzip(wasm_path), b64_gzip(rare_wasm_path)

    page = re.sub(r"<!--.*?-->\s*", "", page, flags=re.S)
    css_parts: list[str] = []
    rust_links = 0

    def replace_link(m: re.Match) -> str:
        nonlocal rust_links
        tag = m.group(0)
        rel = (attr(tag, "rel") or "").lower()
        if rel == "css":
            css = raw_text((index.parent / (attr(tag, "href") or "")).read_text(encoding="utf-8"), "style")
            css_parts.append(css)
            return f"\0STYLE{len(css_parts) - 1}\0"
        if rel == "rust":
            rust_links += 1
            kind = (attr(tag, "data-type") or "main").lower()
            if (kind == "worker") != ("rare" in (attr(tag, "href") or "")):
                raise SystemExit(f"inline_single: unexpected rust link {tag}")
            return ""
        if rel in ("copy-file", "copy-dir"):
            return ""
        raise SystemExit(f"inline_single: no single-file equivalent for {tag}")

    # Where trunk's copy links put each file of the build (dist path -> source file).
    copied: dict[str, Path] = {}
    for tag in LINK_RE.findall(page):
        rel, href = (attr(tag, "rel") or "").lower(), attr(tag, "href") or ""
        if rel in ("copy-file", "copy-dir"):
            copied[posixpath.basename(href.rstrip("/"))] = index.parent / href

    def source_of(href: str) -> Path:
        first, _, rest = href.removeprefix("./").partition("/")
        if first not in copied:
            raise SystemExit(f"inline_single: {href} is not a file that index.html copies into the build")
        return copied[first] / rest if rest else copied[first]

    def replace_page_link(m: re.Match) -> str:
        tag = m.group(0)
        rel, href = (attr(tag, "rel") or "").lower(), attr(tag, "href") or ""
        if rel == "icon" and href.endswith(".svg"):
            data = base64.b64encode(source_of(href).read_bytes()).decode("ascii")
            return f'<link rel="icon" href="data:image/svg+xml;base64,{data}" type="image/svg+xml">'
        if rel in ("icon", "manifest", "apple-touch-icon"):
            source_of(href)  # (a link to a file the build lacks fails here as in the build)
            return ""
        raise SystemExit(f"inline_single: no single-file equivalent for {tag}")

    page = PAGE_LINK_RE.sub(replace_page_link, page)
    page = LINK_RE.sub(replace_link, page)
    if rust_links != 2 or not css_parts:
        raise SystemExit("inline_single: index.html should link the app, its rare parts and at least one stylesheet")
    # Blank lines left by the removed links and comments (before any inlined code goes in).
    page = re.sub(r"\n\s*\n", "\n", page)
    for i, css in enumerate(css_parts):
        page = page.replace(f"\0STYLE{i}\0", f"<style>{css}</style>")
    scripts = (
        f'<script type="application/octet-stream" id="annotator-wasm">{wasm_b64}</script>\n'
        f'<script type="application/octet-stream" id="annotator-rare-wasm">{rare_b64}</script>\n'
        f"<script>{glue}</script>\n<script>{rare_glue}</script>\n<script>{BOOT}</script>\n"
    )
    if page.count("</body>") != 1:
        raise SystemExit("inline_single: index.html should have one </body>")
    page = page.replace("</body>", scripts + "</body>")

    page = fill_csp(page, [csp_hash(s) for s in inline_scripts(page)])
    style_hashes = " ".join(csp_hash(c) for c in css_parts)
    page, n = re.subn(r"(style-src\b[^;\"]*)", lambda m: m.group(1).rstrip() + " " + style_hashes, page, count=1)
    if n != 1:
        raise SystemExit("inline_single: the Content-Security-Policy has no style-src")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")


if __name__ == "__main__":
    main()
