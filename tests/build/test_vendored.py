"""The vendored PouchDB build (assets/vendor/pouchdb/): the file is the one its README names,
byte for byte (sha256 and version), it carries its licence, and it is the file the build ships.
A changed file or a README not updated with it fails here, before any browser runs."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "assets" / "vendor" / "pouchdb"
README = VENDOR / "README.md"
FILE = VENDOR / "pouchdb.min.js"


def written(field: str) -> str:
    """The value of the README's list line `- <field>: `<value>``, which must appear once."""
    found = re.findall(rf"^- {re.escape(field)}: `([^`]+)`", README.read_text(encoding="utf-8"), re.M)
    assert len(found) == 1, f"{README.relative_to(ROOT)} should state '- {field}: `…`' once, found {found}"
    return found[0]


def test_the_file_is_byte_for_byte_the_one_the_readme_names():
    want = written("sha256 of `pouchdb.min.js`")
    assert re.fullmatch(r"[0-9a-f]{64}", want), f"not a sha256: {want!r}"
    got = hashlib.sha256(FILE.read_bytes()).hexdigest()
    assert got == want, (
        f"{FILE.relative_to(ROOT)} has sha256 {got}, its README says {want}: the file changed, or the README "
        "was not updated with it (see the README's 'Updating')"
    )


def test_the_file_is_the_version_the_readme_names():
    version = written("version")
    first = FILE.read_text(encoding="utf-8").split("\n", 1)[0]
    m = re.fullmatch(r"// PouchDB (\S+)", first.strip())
    assert m, f"{FILE.relative_to(ROOT)} should start with '// PouchDB <version>', starts with {first[:60]!r}"
    assert m.group(1) == version, f"{FILE.relative_to(ROOT)} is PouchDB {m.group(1)}, its README says {version}"
    assert written("source") == f"pouchdb@{version}", "the README's source names another version"


def test_the_licence_is_kept_beside_it():
    text = (VENDOR / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0" in text, "assets/vendor/pouchdb/LICENSE is not PouchDB's Apache-2.0 licence"
    assert "Apache License 2.0" in README.read_text(encoding="utf-8")


def test_the_build_ships_this_file_under_the_name_the_app_loads():
    html = (ROOT / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'<link\b[^>]*\bdata-trunk\b[^>]*\brel="copy-file"[^>]*\bhref="([^"]+)"', html)
    pouch = [h for h in hrefs if h.endswith("pouchdb.min.js")]
    assert pouch == ["assets/vendor/pouchdb/pouchdb.min.js"], f"index.html copies {pouch}"
    # (copy-file keeps the file name: dist/pouchdb.min.js, what src/browser/team.rs loads)
    assert '"pouchdb.min.js"' in (ROOT / "src" / "browser" / "team.rs").read_text(encoding="utf-8")
