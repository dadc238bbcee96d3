"""scripts/size_budget.py, the size budget of the release build: on a synthetic build shaped like
trunk's (an inline module loader, a glue that imports a snippet statically and a second module
dynamically, a wasm, a stylesheet, team sync's scripts, the service worker) it passes under the
budget, and fails naming the part that grew and by how much, and naming a later-loaded file
that no budget line covers."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import size_budget  # noqa: E402

GLUE = "annotator-0123456789abcdef.js"
WASM = "annotator-0123456789abcdef_bg.wasm"
RARE_JS = "annotator-rare-fedcba9876543210.js"
RARE_WASM = "annotator-rare-fedcba9876543210_bg.wasm"
SNIPPET = "snippets/annotator-1a2b/inline0.js"
INDEX = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title>
<script type="module">
import init, * as bindings from './{GLUE}';
const wasm = await init({{ module_or_path: './{WASM}' }});
</script>
<link rel="stylesheet" href="./main-00112233.css" integrity="sha384-x"/>
<link rel="manifest" href="manifest.webmanifest">
<link rel="modulepreload" href="./{GLUE}"><link rel="preload" href="./{WASM}" as="fetch" type="application/wasm">
</head><body></body></html>
"""


def noise(n: int, seed: int) -> bytes:
    """Bytes gzip cannot shrink, so a part's gzip size follows its length."""
    return random.Random(seed).randbytes(n)


def make_dist(tmp: Path) -> Path:
    dist = tmp / "dist"
    (dist / Path(SNIPPET).parent).mkdir(parents=True)
    (dist / "index.html").write_text(INDEX, encoding="utf-8")
    (dist / GLUE).write_text(
        f"import {{ helper }} from './{SNIPPET}';\nlet wasm;\n"
        f"export function rare() {{ return import('./{RARE_JS}'); }}\nexport default function init() {{}}\n",
        encoding="utf-8")
    (dist / SNIPPET).write_text("export function helper() { return 1; }\n", encoding="utf-8")
    (dist / WASM).write_bytes(b"\0asm" + noise(20000, 1))
    (dist / "main-00112233.css").write_text("body { margin: 0 }\n" * 50, encoding="utf-8")
    (dist / RARE_JS).write_text(f"export default function init() {{ return fetch('./{RARE_WASM}'); }}\n", encoding="utf-8")
    (dist / RARE_WASM).write_bytes(b"\0asm" + noise(8000, 2))
    for name, seed in (("pouchdb.min.js", 3), ("team-sync.js", 4), ("sw.js", 5)):
        (dist / name).write_text(noise(3000, seed).hex(), encoding="utf-8")
    (dist / "manifest.webmanifest").write_text("{}", encoding="utf-8")
    return dist


def gz(dist: Path, *names: str) -> int:
    return sum(size_budget.gz((dist / n).read_bytes()) for n in names)


def write_budget(tmp: Path, dist: Path, **override: int) -> Path:
    """A budget 10 bytes over every current size, with some limits replaced by `override`."""
    sizes = {
        "html": gz(dist, "index.html"), "js": gz(dist, GLUE, SNIPPET), "wasm": gz(dist, WASM),
        "css": gz(dist, "main-00112233.css"),
    }
    sizes["total"] = sum(sizes.values())
    limits = {k: v + 10 for k, v in sizes.items()} | {k: v for k, v in override.items() if k in sizes}
    lazy = {"annotator-rare-*.js": RARE_JS, "annotator-rare-*_bg.wasm": RARE_WASM, "pouchdb.min.js": "pouchdb.min.js",
            "team-sync.js": "team-sync.js", "sw.js": "sw.js"}
    text = "[first_load]\n" + "".join(f"{k} = {v}\n" for k, v in limits.items())
    for pattern, name in lazy.items():
        limit = override.get(name, gz(dist, name) + 10)
        text += f'\n[[lazy]]\nfiles = "{pattern}"\nlimit = {limit}\nwhat = "{name} later"\n'
    path = tmp / "budget.toml"
    path.write_text(text, encoding="utf-8")
    return path


def run(dist: Path, budget: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "size_budget.py"), str(dist), "--budget", str(budget)],
                          capture_output=True, text=True, timeout=60)


def test_a_build_under_its_budget_passes_and_is_tabled(tmp_path):
    dist = make_dist(tmp_path)
    r = run(dist, write_budget(tmp_path, dist))
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    js_row = next(ln for ln in lines if ln.startswith("first-load JS"))
    assert GLUE in js_row and SNIPPET in js_row, "the glue's static import is first load"
    assert f"{gz(dist, GLUE, SNIPPET):,}" in js_row
    wasm_row = next(ln for ln in lines if ln.startswith("first-load wasm"))
    assert WASM in wasm_row and "+10 " in wasm_row, wasm_row
    later = [ln for ln in lines if ln.startswith("later:")]
    # the dynamically imported module and what it fetches, team sync's scripts, the service worker
    assert len(later) == 5 and any(RARE_JS in ln for ln in later) and any(RARE_WASM in ln for ln in later), later
    assert not any("manifest" in ln for ln in lines), "only .js and .wasm files are loaded later"


def test_a_first_load_part_over_its_limit_fails_naming_it_and_by_how_much(tmp_path):
    dist = make_dist(tmp_path)
    wasm = gz(dist, WASM)
    r = run(dist, write_budget(tmp_path, dist, wasm=wasm - 25))
    assert r.returncode == 1
    assert f"first-load wasm grew past its budget: {wasm:,} B gzip > {wasm - 25:,} B (over by 25 B" in r.stderr, r.stderr
    assert WASM in r.stderr
    assert "first load, total grew" not in r.stderr and "first-load JS grew" not in r.stderr, "only the part that grew"


def test_the_total_is_checked_on_its_own(tmp_path):
    dist = make_dist(tmp_path)
    r = run(dist, write_budget(tmp_path, dist, total=1000))
    assert r.returncode == 1 and "first load, total grew past its budget" in r.stderr, r.stderr


def test_a_later_loaded_part_over_its_limit_fails_naming_it(tmp_path):
    dist = make_dist(tmp_path)
    r = run(dist, write_budget(tmp_path, dist, **{RARE_WASM: 100}))
    assert r.returncode == 1
    assert f"later: {RARE_WASM} later grew past its budget" in r.stderr, r.stderr
    assert "first-load" not in r.stderr and "total grew" not in r.stderr


def test_a_later_loaded_file_with_no_budget_line_fails_saying_to_add_one(tmp_path):
    dist = make_dist(tmp_path)
    budget = write_budget(tmp_path, dist)
    (dist / "annotator-compare-00aa11bb22cc33dd_bg.wasm").write_bytes(b"\0asm" + noise(500, 6))
    r = run(dist, budget)
    assert r.returncode == 1
    assert "annotator-compare-00aa11bb22cc33dd_bg.wasm" in r.stderr and "no budget line names it" in r.stderr, r.stderr
    assert 'files = "annotator-compare-*_bg.wasm"' in r.stderr, "the message suggests the line to add"
    assert "NO BUDGET LINE" in r.stdout


def test_what_index_html_names_must_be_in_the_build(tmp_path):
    dist = make_dist(tmp_path)
    budget = write_budget(tmp_path, dist)
    (dist / WASM).unlink()
    r = run(dist, budget)
    assert r.returncode == 2 and WASM in r.stderr, r.stderr
    r = run(tmp_path / "nothing", budget)
    assert r.returncode == 2 and "missing" in r.stderr


def test_the_repository_budget_is_complete():
    limits, lazy = size_budget.load_budget(size_budget.DEFAULT_BUDGET)
    assert all(v > 0 for v in limits.values())
    patterns = [ln["files"] for ln in lazy]
    for name in ("pouchdb.min.js", "team-sync.js", "sw.js"):
        assert any(size_budget.fnmatch.fnmatchcase(name, p) for p in patterns), f"no budget line for {name}"
    assert all(ln.get("what") for ln in lazy), "every budget line says what loads the file, and when"


@pytest.mark.parametrize("bad", ["[first_load]\nhtml = 1\n", "[first_load]\nhtml=1\njs=1\nwasm=1\ncss=1\ntotal=1\n[[lazy]]\nlimit = 3\n"])
def test_an_incomplete_budget_is_refused(tmp_path, bad):
    dist = make_dist(tmp_path)
    (tmp_path / "bad.toml").write_text(bad, encoding="utf-8")
    r = run(dist, tmp_path / "bad.toml")
    assert r.returncode == 2 and "budget" in r.stderr, r.stderr
