"""What `trunk build` and `trunk serve` read must be in git, so both work from a fresh clone with
only Rust, the wasm32 target and trunk: every file index.html hands to trunk (`data-trunk` links)
and every path of Trunk.toml's [watch] (trunk 0.21 refuses to start when one is missing). The
slow proof, a plain `trunk build --release` of a clone of HEAD, is a step of scripts/test.sh;
these checks say the same thing in a second and name the file."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def tracked() -> set[str]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    return {p.decode("utf-8") for p in out.split(b"\0") if p}


def covered(path: str, files: set[str]) -> bool:
    """`path` is a tracked file or a folder holding one."""
    path = path.strip("/").removeprefix("./")
    return path in ("", ".") or path in files or any(f.startswith(path + "/") for f in files)


def test_every_file_index_html_hands_to_trunk_is_in_git():
    """(a copy-dir link names a folder: it must hold a tracked file)"""
    html = (ROOT / "index.html").read_text(encoding="utf-8")
    links = re.findall(r"<link\b[^>]*\bdata-trunk\b[^>]*>", html)
    hrefs = [m.group(1) for tag in links if (m := re.search(r'\bhref="([^"]+)"', tag))]
    assert hrefs, "index.html has no data-trunk link with an href"
    files = tracked()
    missing = [h for h in hrefs if not covered(h, files)]
    assert not missing, f"index.html has trunk copy or link files that a fresh clone lacks (not in git): {missing}"


def test_every_path_named_in_trunk_toml_watch_is_in_git():
    config = tomllib.loads((ROOT / "Trunk.toml").read_text(encoding="utf-8"))
    watch = config.get("watch", {})
    paths = [str(p) for key in ("watch", "ignore") for p in watch.get(key, [])]
    files = tracked()
    missing = [p for p in paths if not covered(p, files)]
    assert not missing, (
        f"Trunk.toml [watch] names {missing}, which a fresh clone lacks: trunk serve would refuse to start "
        "(pass such paths with --ignore from a script that creates them, as scripts/serve.sh does)"
    )
