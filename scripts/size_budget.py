#!/usr/bin/env python3
"""Checks a release build against the size budget written in bench/budget.toml (stdlib only).

    python3 scripts/size_budget.py DIST [--budget FILE]

Sizes are bytes after gzip -9, as a static host sends them (and as bench/run.py counts them).
The first load is exactly what DIST/index.html loads at start: its module scripts (inline or
`src`) and every module they import statically (followed through the JS files), its
`modulepreload`/`preload` links, the wasm its loader names, and its stylesheets. Those files
are summed by kind (JS, wasm, CSS) and, with index.html, into the total; each has its limit in
[first_load]. Every other .js and .wasm file in DIST is loaded later (a dynamic import, team
sync's scripts, the service worker): each must match the `files` pattern (fnmatch, on its path
in DIST) of a [[lazy]] line and stay under that line's limit.

Prints a table (part, files, gzip bytes, limit, headroom) and exits 1 naming each part over
its limit and by how much, and each later-loaded file that no budget line names; 2 when DIST
or the budget cannot be read. How to read a failure and change a number: docs/delivery.md.
"""

from __future__ import annotations

import argparse
import fnmatch
import gzip
import html.parser
import posixpath
import re
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_BUDGET = REPO / "bench" / "budget.toml"
FIRST_LOAD = {  # key in [first_load] -> what the table calls it
    "html": "index.html",
    "js": "first-load JS",
    "wasm": "first-load wasm",
    "css": "CSS",
    "total": "first load, total",
}
# Static imports and re-exports: `import x from "./a.js"`, `import "./a.js"`, `export … from "./a.js"`.
# (`import("./a.js")`, a dynamic import, is a later load and does not match.)
STATIC_IMPORT_RE = re.compile(r"""(?:^|[;\n}])\s*(?:import|export)\b(?!\s*\()[^'";]*?\bfrom\s*['"]([^'"]+)['"]"""
                              r"""|(?:^|[;\n}])\s*import\s*['"]([^'"]+)['"]""")
WASM_LITERAL_RE = re.compile(r"""['"]([^'"]+\.wasm)['"]""")


class BudgetError(Exception):
    """The build or the budget cannot be read (exit 2)."""


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 9, mtime=0))


class Page(html.parser.HTMLParser):
    """What index.html loads at start: (kind, url) pairs, and its inline module scripts."""

    def __init__(self):
        super().__init__()
        self.loads: list[tuple[str, str]] = []
        self.inline: list[str] = []
        self._in_module = False

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        rel = a.get("rel", "").lower().split()
        if tag == "script":
            if a.get("src"):
                self.loads.append(("js", a["src"]))
            self._in_module = not a.get("src") and a.get("type", "").lower() == "module"
        elif tag == "link" and a.get("href"):
            href = a["href"]
            if "stylesheet" in rel:
                self.loads.append(("css", href))
            elif "modulepreload" in rel:
                self.loads.append(("js", href))
            elif "preload" in rel:
                kind = {"script": "js", "style": "css"}.get(a.get("as", "").lower())
                if kind or href.endswith(".wasm"):
                    self.loads.append((kind or "wasm", href))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_module = False

    def handle_data(self, data):
        if self._in_module:
            self.inline.append(data)


def local(dist: Path, base: str, url: str) -> str:
    """`url` (relative to the file at `base`, a path in DIST) as a path in DIST."""
    if re.match(r"^[a-z][a-z0-9+.-]*:|^//", url, re.I):
        raise BudgetError(f"the first load names {url}, which is not a file of the build")
    path = posixpath.normpath(posixpath.join(posixpath.dirname(base), url.split("#")[0].split("?")[0]))
    if path.startswith("../") or not (dist / path).is_file():
        raise BudgetError(f"the first load names {url}, which {dist} lacks")
    return path


def first_load(dist: Path) -> dict[str, set[str]]:
    """Paths in DIST of what index.html loads at start, by kind."""
    index = dist / "index.html"
    if not index.is_file():
        raise BudgetError(f"{index} is missing: build first (trunk build --release)")
    page = Page()
    page.feed(index.read_text(encoding="utf-8"))
    out: dict[str, set[str]] = {"html": {"index.html"}, "js": set(), "wasm": set(), "css": set()}
    for kind, url in page.loads:
        out[kind].add(local(dist, "index.html", url))
    for code in page.inline:
        out["js"] |= {local(dist, "index.html", u) for m in STATIC_IMPORT_RE.finditer(code) for u in m.groups() if u}
        out["wasm"] |= {local(dist, "index.html", u) for u in WASM_LITERAL_RE.findall(code)}
    todo = list(out["js"])
    while todo:  # the modules they import statically, and theirs
        path = todo.pop()
        code = (dist / path).read_text(encoding="utf-8")
        for m in STATIC_IMPORT_RE.finditer(code):
            for u in m.groups():
                if u and (dep := local(dist, path, u)) not in out["js"]:
                    out["js"].add(dep)
                    todo.append(dep)
    if not out["js"] or not out["wasm"]:
        raise BudgetError("index.html loads no JS module or no wasm at start: is this a trunk build?")
    return out


def load_budget(path: Path) -> tuple[dict[str, int], list[dict]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise BudgetError(f"cannot read the budget {path}: {e}") from None
    limits = data.get("first_load", {})
    missing = [k for k in FIRST_LOAD if not isinstance(limits.get(k), int)]
    if missing or set(limits) - set(FIRST_LOAD):
        raise BudgetError(f"{path}: [first_load] needs a whole number of bytes for exactly {list(FIRST_LOAD)}")
    lazy = data.get("lazy", [])
    for line in lazy:
        if not isinstance(line.get("files"), str) or not isinstance(line.get("limit"), int):
            raise BudgetError(f"{path}: every [[lazy]] line needs files (a pattern) and limit (bytes): {line}")
    return limits, lazy


def headroom(size: int, limit: int) -> str:
    left = limit - size
    return f"{left:+,} ({left / limit:+.1%})" if limit else f"{left:+,}"


def check(dist: Path, budget: Path) -> tuple[list[tuple[str, str, int, int | None]], list[str], list[str]]:
    """(table rows: part, files, gzip bytes, limit), failures, notes."""
    limits, lazy = load_budget(budget)
    first = first_load(dist)
    rows: list[tuple[str, str, int, int | None]] = []
    failures, notes = [], []

    def row(label: str, files: list[str], size: int, limit: int):
        rows.append((label, ", ".join(files), size, limit))
        if size > limit:
            failures.append(f"{label} grew past its budget: {size:,} B gzip > {limit:,} B "
                            f"(over by {size - limit:,} B, {(size - limit) / limit:+.1%}; files: {', '.join(files)})")

    total = 0
    for key in ("html", "js", "wasm", "css"):
        files = sorted(first[key])
        size = sum(gz((dist / f).read_bytes()) for f in files)
        total += size
        row(FIRST_LOAD[key], files, size, limits[key])
    row(FIRST_LOAD["total"], ["index.html + the above"], total, limits["total"])

    loaded = set().union(*first.values())
    later = sorted(p.relative_to(dist).as_posix() for p in dist.rglob("*")
                   if p.is_file() and p.suffix in (".js", ".wasm") and p.relative_to(dist).as_posix() not in loaded
                   and ".stage" not in p.relative_to(dist).parts)
    used = set()
    for f in later:
        size = gz((dist / f).read_bytes())
        line = next((i for i, ln in enumerate(lazy) if fnmatch.fnmatchcase(f, ln["files"])), None)
        if line is None:
            rows.append((f"later: {f}", f, size, None))
            pattern = re.sub(r"-[0-9a-f]{16}(?=[._])", "-*", f)
            failures.append(f"{f} ({size:,} B gzip) is loaded later but no budget line names it: add to {budget.name} "
                            f'[[lazy]] files = "{pattern}", limit = <its size plus ~2%>, what = "<what loads it, when>"')
            continue
        used.add(line)
        what = lazy[line].get("what") or lazy[line]["files"]
        row(f"later: {what}", [f], size, lazy[line]["limit"])
    for i, ln in enumerate(lazy):
        if i not in used:
            notes.append(f"note: the budget line files = \"{ln['files']}\" names no file of this build (remove it if that is meant)")
    return rows, failures, notes


def table(rows) -> str:
    head = ("part", "files", "gzip bytes", "limit", "headroom")
    body = [(p, f, f"{s:,}", "-" if lim is None else f"{lim:,}",
             "NO BUDGET LINE" if lim is None else headroom(s, lim)) for p, f, s, lim in rows]
    widths = [max(len(r[i]) for r in [head] + body) for i in range(5)]
    fmt = lambda r: "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))  # noqa: E731
    return "\n".join([fmt(head), fmt(tuple("-" * w for w in widths))] + [fmt(r) for r in body])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dist", type=Path)
    ap.add_argument("--budget", type=Path, default=DEFAULT_BUDGET)
    args = ap.parse_args(argv)
    try:
        rows, failures, notes = check(args.dist, args.budget)
    except BudgetError as e:
        print(f"size budget: {e}", file=sys.stderr)
        return 2
    print(f"Size budget ({args.budget}), bytes after gzip -9, of {args.dist}:")
    print(table(rows))
    for n in notes:
        print(n)
    if failures:
        print("\nFAILED size budget:", file=sys.stderr)
        for f in failures:
            print(f"  - {f}", file=sys.stderr)
        print("A deliberate change? Set the new number in the budget file (docs/delivery.md, 'Size budget').",
              file=sys.stderr)
        return 1
    print("size budget: every part is within its limit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
