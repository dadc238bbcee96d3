"""Where the release wasm's bytes go (issue 15: "measure each part and print
the breakdown in the benchmark").

The shipped wasm has no function names (wasm-opt strips them). wasm-bindgen's
output, which trunk leaves in `<target>/wasm-bindgen/release/`, still has
them; this module runs the same `wasm-opt -Oz -Oz` on it with `-g` (keep names),
so every function is measured as shipped, then sums the code of each part of
the app by the function's Rust path. A part's gzip figure compresses that
part's code alone (so the parts' gzip figures add up to a little more than the
whole file's). Functions inlined into another part count there: the views of
`html!` are inlined into yew's component code, so "UI views" holds most of
what `src/components/` draws.

    python3 bench/size.py [names.wasm]    # prints the table
"""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# (part, patterns on the demangled path); the first match wins.
PARTS = [
    ("team sync (core sync, effects, panel, bridge)", r"^annotator_core::sync|^annotator::effects::team|^annotator::components::team|^annotator::browser::team|^annotator::hooks::team|^annotator_core::app::team"),
    ("formats: W3C, brat, CSV, ClaimReview, HTML page, import", r"^annotator_core::formats|^annotator_core::app::import"),
    ("re-anchoring (anchor)", r"^annotator_core::anchor"),
    ("compare: agreement, differences, panel", r"^annotator_core::agreement|^annotator_core::app::compare|^annotator::components::compare"),
    ("UI views (html!, components)", r"^yew::html::component|^annotator::components"),
    ("UI hooks (yew functional, app hooks)", r"^yew::functional|^annotator::hooks"),
    ("yew runtime (DOM diff, scheduler)", r"^yew::"),
    ("effects and browser edge (storage, files, caret)", r"^annotator::"),
    ("reducer (core app)", r"^annotator_core::app"),
    ("core model (model, plan, merge, store, history, library, JSON)", r"^annotator_core::"),
    ("serde / serde_json", r"serde"),
    ("wasm-bindgen, js-sys, web-sys, gloo", r"wasm_bindgen|js_sys|web_sys|gloo"),
    ("std collections (BTreeMap, HashMap, Vec, Rc)", r"^alloc::|hashbrown"),
    ("std other (fmt, str, iterators, sort, malloc)", r""),
]


def _uleb(b: bytes, i: int) -> tuple[int, int]:
    r = s = 0
    while True:
        x = b[i]
        i += 1
        r |= (x & 0x7F) << s
        s += 7
        if not x & 0x80:
            return r, i


def _demangle(s: str) -> str:
    m = re.match(r"_ZN(.*)E$", s)
    if m:
        body, parts, i = m.group(1), [], 0
        while i < len(body) and body[i].isdigit():
            j = i
            while body[j].isdigit():
                j += 1
            n = int(body[i:j])
            parts.append(body[j:j + n])
            i = j + n
        s = "::".join(p for p in parts if not re.fullmatch(r"h[0-9a-f]{16}", p))
    for a, b in (("$LT$", "<"), ("$GT$", ">"), ("$u20$", " "), ("..", "::"), ("$C$", ","), ("$RF$", "&")):
        s = s.replace(a, b)
    s = re.sub(r"\[[0-9a-f]{16}\]", "", s)  # crate disambiguators in v0 names
    s = s.lstrip("_<&* ")  # `<&mut T as Trait>::f` is summed with T
    return s[4:] if s.startswith("mut ") else s


def functions(wasm: bytes) -> tuple[list[tuple[str, bytes]], bytes]:
    """(name, body) of every defined function, and the data section's bytes."""
    pos, imported, bodies, names, data = 8, 0, [], {}, b""
    while pos < len(wasm):
        sid = wasm[pos]
        size, pos = _uleb(wasm, pos + 1)
        end = pos + size
        if sid == 2:  # imports: functions among them shift the indices
            n, i = _uleb(wasm, pos)
            for _ in range(n):
                for _ in range(2):
                    ln, i = _uleb(wasm, i)
                    i += ln
                kind = wasm[i]
                i += 1
                if kind == 0:
                    _, i = _uleb(wasm, i)
                    imported += 1
                elif kind in (1, 2):
                    if kind == 1:
                        i += 1
                    flags, i = _uleb(wasm, i)
                    _, i = _uleb(wasm, i)
                    if flags & 1:
                        _, i = _uleb(wasm, i)
                elif kind == 3:
                    i += 2
        elif sid == 10:
            n, i = _uleb(wasm, pos)
            for _ in range(n):
                ln, j = _uleb(wasm, i)
                bodies.append(wasm[i:j + ln])
                i = j + ln
        elif sid == 11:
            data = wasm[pos:end]
        elif sid == 0:
            ln, i = _uleb(wasm, pos)
            if wasm[i:i + ln] == b"name":
                i += ln
                while i < end:
                    sub = wasm[i]
                    sl, i = _uleb(wasm, i + 1)
                    if sub == 1:
                        n, j = _uleb(wasm, i)
                        for _ in range(n):
                            idx, j = _uleb(wasm, j)
                            ln2, j = _uleb(wasm, j)
                            names[idx] = wasm[j:j + ln2].decode("utf-8", "replace")
                            j += ln2
                    i += sl
        pos = end
    return [(_demangle(names.get(imported + k, "?")), b) for k, b in enumerate(bodies)], data


def breakdown(names_wasm: Path, wasm_opt: str | None = None) -> dict:
    """The parts of `names_wasm` after `wasm-opt -Oz -Oz -g` (index.html's passes), largest first."""
    wasm_opt = wasm_opt or shutil.which("wasm-opt")
    if not wasm_opt:
        return {"error": "wasm-opt is not on PATH"}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "named.wasm"
        cmd = [wasm_opt, "-Oz", "-Oz", "-g", "--enable-bulk-memory", "--enable-nontrapping-float-to-int",
               "--enable-sign-ext", "--enable-mutable-globals", str(names_wasm), "-o", str(out)]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        if p.returncode != 0:
            return {"error": f"wasm-opt failed: {p.stderr.strip()[:300]}"}
        funcs, data = functions(out.read_bytes())
    groups: dict[str, list[bytes]] = {name: [] for name, _ in PARTS}
    patterns = [(name, re.compile(rx)) for name, rx in PARTS]
    for fname, body in funcs:
        part = next(name for name, rx in patterns if rx.search(fname))
        groups[part].append(body)
    rows = [{"part": name, "raw": sum(map(len, bs)), "gzip": len(gzip.compress(b"".join(bs), 9)), "functions": len(bs)}
            for name, bs in groups.items() if bs]
    rows.append({"part": "data (strings, tables, the sample article)", "raw": len(data),
                 "gzip": len(gzip.compress(data, 9)), "functions": 0})
    rows.sort(key=lambda r: -r["raw"])
    return {"source": str(names_wasm), "parts": rows}


def named_wasm_for(dist: Path) -> Path | None:
    """wasm-bindgen's output (with names) of the build in `dist`: the newest
    candidate written no later than the shipped file, within 15 minutes."""
    shipped = sorted(dist.glob("*.wasm"))
    if not shipped:
        return None
    t = shipped[0].stat().st_mtime
    cands = [p for p in (REPO / "target" / "bench" / "wasm-bindgen" / "release" / "annotator_bg.wasm",
                         REPO / "target" / "wasm-bindgen" / "release" / "annotator_bg.wasm")
             if p.is_file() and t - 900 <= p.stat().st_mtime <= t + 5]
    return max(cands, key=lambda p: p.stat().st_mtime) if cands else None


def table(b: dict) -> list[str]:
    if "error" in b:
        return [f"- size breakdown: {b['error']}"]
    lines = ["| part of the release wasm | code raw | gzip alone | functions |", "|---|---:|---:|---:|"]
    for r in b["parts"]:
        lines.append(f"| {r['part']} | {r['raw'] / 1024:,.1f} KB | {r['gzip'] / 1024:,.1f} KB | {r['functions']:,} |")
    return lines


if __name__ == "__main__":
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else named_wasm_for(REPO / "dist")
    if not src:
        sys.exit("no wasm-bindgen output with names next to dist/ (build with trunk first, or pass the file)")
    print("\n".join(table(breakdown(src))))
