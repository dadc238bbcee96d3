"""scripts/post_build.py, the Trunk hook that finishes every build: on a staging directory
shaped like trunk's output it fills in the service worker, the CSP hashes and the version,
patches the wasm-bindgen glue's string decoder and updates the glue's integrity hash; and
each of its steps that does not apply fails the hook (a non-zero exit fails the build)
instead of leaving a page that cannot start."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import post_build  # noqa: E402

GLUE = "annotator-0123abcd.js"
WASM = "annotator-0123abcd_bg.wasm"
LOADER = f"\nimport init from './{GLUE}';\nawait init({{ module_or_path: './{WASM}' }});\n"


def sri(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


def glue_text(decoder: str = post_build.GLUE_DECODE) -> str:
    return f"let wasm;\n{decoder}\nfunction decodeText(b) {{ return new TextDecoder().decode(b); }}\nexport default init;\n"


def stage(tmp: Path, *, glue: str | None = None, index: str | None = None, sw: str | None = None) -> Path:
    """A staging directory as trunk leaves it for the hook (before any edit)."""
    root = tmp / "stage"
    root.mkdir()
    (root / GLUE).write_text(glue if glue is not None else glue_text(), encoding="utf-8")
    (root / WASM).write_bytes(b"\0asm\1\0\0\0")
    (root / "main.css").write_text("body { margin: 0 }\n", encoding="utf-8")
    (root / "sw.js").write_text(sw if sw is not None else 'const VERSION = "__VERSION__";\nconst SHELL = [/*SHELL*/];\n',
                                encoding="utf-8")
    if index is None:
        index = (
            '<!DOCTYPE html>\n<html><head>\n  <meta charset="utf-8">\n'
            "  <meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'self' __INLINE_SCRIPT_HASHES__\">\n"
            f'<script type="module">{LOADER}</script>\n'
            f'  <link rel="stylesheet" href="./main.css" integrity="{sri((root / "main.css").read_bytes())}"/>\n'
            f'<link rel="modulepreload" href="./{GLUE}" crossorigin="anonymous" integrity="{sri((root / GLUE).read_bytes())}">'
            f'<link rel="preload" href="./{WASM}" crossorigin="anonymous" integrity="{sri((root / WASM).read_bytes())}" as="fetch">'
            "</head><body></body></html>\n"
        )
    (root / "index.html").write_text(index, encoding="utf-8")
    return root


def run_hook(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "post_build.py"), str(root)],
                          capture_output=True, text=True, timeout=60)


def test_a_release_build_is_finished_and_its_hashes_match_its_files(tmp_path):
    root = stage(tmp_path)
    r = run_hook(root)
    assert r.returncode == 0, r.stderr
    glue = (root / GLUE).read_text(encoding="utf-8")
    assert post_build.FAST_DECODE in glue and post_build.GLUE_DECODE not in glue
    html = (root / "index.html").read_text(encoding="utf-8")
    assert f'href="./{GLUE}" crossorigin="anonymous" integrity="{sri((root / GLUE).read_bytes())}"' in html
    assert post_build.csp_hash(LOADER) in html and "__INLINE_SCRIPT_HASHES__" not in html
    assert re.search(r'<meta name="annotator-version" content="[0-9a-f]{16}">', html)
    sw = (root / "sw.js").read_text(encoding="utf-8")
    shell = json.loads(re.search(r"const SHELL = (\[.*\]);", sw).group(1))
    assert shell == ["./", GLUE, WASM, "index.html", "main.css"]


def test_the_hook_run_again_on_patched_files_changes_nothing_of_the_glue(tmp_path):
    root = stage(tmp_path, glue=glue_text(post_build.FAST_DECODE))
    r = run_hook(root)
    assert r.returncode == 0, r.stderr
    assert (root / GLUE).read_text(encoding="utf-8") == glue_text(post_build.FAST_DECODE)


def fails(root: Path, why: str) -> None:
    r = run_hook(root)
    assert r.returncode != 0, f"the hook passed; expected it to fail with {why!r}"
    assert why in r.stderr, r.stderr


def test_a_glue_that_wasm_bindgen_wrote_differently_fails(tmp_path):
    changed = post_build.GLUE_DECODE.replace("ptr >>> 0", "ptr >>> 0 | 0")
    fails(stage(tmp_path, glue=glue_text(changed)), "has no getStringFromWasm0 as wasm-bindgen")


def test_a_glue_without_its_integrity_attribute_fails(tmp_path):
    root = stage(tmp_path)
    html = (root / "index.html").read_text(encoding="utf-8")
    (root / "index.html").write_text(re.sub(r'(href="\./annotator-0123abcd\.js"[^>]*) integrity="[^"]*"', r"\1", html), encoding="utf-8")
    fails(root, "integrity attributes with annotator-0123abcd.js's hash, expected 1")


def test_an_integrity_hash_that_does_not_match_its_file_fails(tmp_path):
    root = stage(tmp_path)
    (root / "main.css").write_text("body { margin: 1px }\n", encoding="utf-8")
    fails(root, "main.css's integrity hash in index.html does not match the file")


def test_an_integrity_hash_of_a_file_the_build_lacks_fails(tmp_path):
    root = stage(tmp_path)
    (root / "main.css").unlink()
    fails(root, "integrity hash of main.css, which the build lacks")


def test_a_release_page_without_its_inline_loader_fails(tmp_path):
    root = stage(tmp_path)
    html = (root / "index.html").read_text(encoding="utf-8")
    (root / "index.html").write_text(re.sub(r'<script type="module">.*?</script>', "", html, flags=re.S), encoding="utf-8")
    fails(root, "no inline script")


def test_a_missing_csp_placeholder_fails(tmp_path):
    root = stage(tmp_path)
    html = (root / "index.html").read_text(encoding="utf-8")
    (root / "index.html").write_text(html.replace("__INLINE_SCRIPT_HASHES__", ""), encoding="utf-8")
    fails(root, "expected one __INLINE_SCRIPT_HASHES__")


def test_a_missing_meta_charset_fails(tmp_path):
    root = stage(tmp_path)
    html = (root / "index.html").read_text(encoding="utf-8")
    (root / "index.html").write_text(html.replace('<meta charset="utf-8">', ""), encoding="utf-8")
    fails(root, "no <meta charset>")


@pytest.mark.parametrize("sw", ['const SHELL = [/*SHELL*/];\n', 'const VERSION = "__VERSION__";\n'])
def test_a_service_worker_without_its_placeholders_fails(tmp_path, sw):
    fails(stage(tmp_path, sw=sw), "sw.js lacks its VERSION or SHELL placeholder")


def test_two_glue_files_fail(tmp_path):
    root = stage(tmp_path)
    (root / "annotator-99.js").write_text(glue_text(), encoding="utf-8")
    fails(root, "expected one wasm-bindgen glue")
