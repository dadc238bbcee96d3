"""The web app manifest and the icons (assets/manifest.webmanifest, assets/icons/,
assets/favicon.ico): the committed icons are what scripts/make_icons.py draws, every icon the
manifest lists is there at the size it states, and the manifest has what makes the app
installable. (That browsers accept them is tested end to end: tests/e2e/test_install.py.)"""

from __future__ import annotations

import json
import re
import struct
import sys
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ASSETS = ROOT / "assets"
sys.path.insert(0, str(ROOT / "scripts"))
import make_icons  # noqa: E402


def png_pixels(data: bytes) -> tuple[int, int, bytes]:
    """(width, height, RGBA rows) of a PNG as make_icons writes it (8-bit RGBA, filter 0)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, head = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        assert struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0] == zlib.crc32(kind + body), f"{kind} CRC"
        if kind == b"IHDR":
            head = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert head is not None and head[2:] == (8, 6, 0, 0, 0), f"IHDR {head}: 8-bit RGBA, not interlaced"
    width, height = head[0], head[1]
    raw = zlib.decompress(idat)
    stride = width * 4 + 1
    assert len(raw) == stride * height and all(raw[y * stride] == 0 for y in range(height)), "filter type 0 rows"
    return width, height, b"".join(raw[y * stride + 1:(y + 1) * stride] for y in range(height))


def ico_images(data: bytes) -> dict[int, bytes]:
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1), "not an ICO file"
    out = {}
    for i in range(count):
        w, h, _, _, _, _, size, offset = struct.unpack("<BBBBHHII", data[6 + 16 * i:22 + 16 * i])
        assert w == h, "square images"
        out[w or 256] = data[offset:offset + size]
    return out


@pytest.fixture(scope="module")
def drawn() -> dict[str, bytes]:
    return make_icons.files()


def test_the_committed_icons_are_what_the_script_draws(drawn):
    for name, data in drawn.items():
        path = ASSETS / name
        assert path.is_file(), f"{path.relative_to(ROOT)} is missing: run python3 scripts/make_icons.py"
        committed = path.read_bytes()
        if name.endswith(".png"):
            # pixels, not bytes: another zlib may compress the same pixels differently
            assert png_pixels(committed) == png_pixels(data), f"{name} differs from what scripts/make_icons.py draws"
        elif name.endswith(".ico"):
            mine, want = ico_images(committed), ico_images(data)
            assert sorted(mine) == sorted(want) == [16, 32, 48], f"{name} sizes {sorted(mine)}"
            for size in want:
                assert png_pixels(mine[size]) == png_pixels(want[size]), f"{name} {size}px differs"
        else:
            assert committed == data, f"{name} differs from what scripts/make_icons.py draws"
    listed = {p.relative_to(ASSETS).as_posix() for p in (ASSETS / "icons").iterdir()} | {"favicon.ico"}
    assert listed == set(drawn), f"assets/icons holds files the script does not draw: {listed - set(drawn)}"


def test_the_icons_are_opaque_where_they_must_be(drawn):
    """Maskable and apple-touch icons are full-bleed (no transparent pixel); the "any" icons
    have transparent corners and an opaque centre."""
    for name in ("icons/icon-maskable-512.png", "icons/apple-touch-icon.png"):
        _, _, px = png_pixels(drawn[name])
        assert all(a == 255 for a in px[3::4]), f"{name} has transparent pixels"
    w, _, px = png_pixels(drawn["icons/icon-512.png"])
    assert px[3] == 0 and px[(w * (w // 2) + w // 2) * 4 + 3] == 255


def test_the_mark_stays_inside_the_maskable_safe_zone():
    """Every pixel that is not the tile's colour lies within the central circle of 40 % radius."""
    size = 128
    px = make_icons.render(size, maskable=True)
    tile = bytes(make_icons.TILE + (255,))
    far = max(
        ((x + 0.5 - size / 2) ** 2 + (y + 0.5 - size / 2) ** 2) ** 0.5
        for y in range(size) for x in range(size) if px[(y * size + x) * 4:(y * size + x) * 4 + 4] != tile
    )
    assert far <= 0.4 * size, f"the mark reaches {far / size:.2f} of the size from the centre"


def light_theme_background() -> str:
    css = (ROOT / "style" / "main.css").read_text(encoding="utf-8")
    m = re.search(r":root\s*\{[^}]*--bg:\s*(#[0-9a-fA-F]{6})", css)
    assert m, "style/main.css has no --bg in :root"
    return m.group(1).lower()


def test_the_manifest_makes_the_app_installable():
    manifest = json.loads((ASSETS / "manifest.webmanifest").read_text(encoding="utf-8"))
    for field in ("name", "short_name", "start_url", "scope", "display", "background_color", "theme_color", "icons"):
        assert manifest.get(field), f"the manifest has no {field}"
    assert manifest["display"] == "standalone"
    assert len(manifest["short_name"]) <= 12, "short_name fits under a home screen icon"
    # relative, so the app installs from any sub-path
    assert manifest["start_url"] == manifest["scope"] == "./"
    bg = light_theme_background()
    assert manifest["background_color"].lower() == bg and manifest["theme_color"].lower() == bg
    html = (ROOT / "index.html").read_text(encoding="utf-8")
    assert f'<meta name="theme-color" content="{manifest["theme_color"]}">' in html

    seen = set()
    for icon in manifest["icons"]:
        path = ASSETS / icon["src"]
        assert path.is_file(), f"the manifest lists {icon['src']}, which assets/ lacks"
        for purpose in icon.get("purpose", "any").split():
            if icon["type"] == "image/png":
                w, h, _ = png_pixels(path.read_bytes())
                assert icon["sizes"] == f"{w}x{h}", f"{icon['src']} is {w}x{h}, the manifest says {icon['sizes']}"
                seen.add((purpose, w))
            else:
                assert icon["type"] == "image/svg+xml" and icon["sizes"] == "any" and path.suffix == ".svg"
                seen.add((purpose, "svg"))
    assert {("any", 192), ("any", 512), ("maskable", 512), ("any", "svg")} <= seen, seen


def test_index_html_links_the_favicon_and_the_manifest_relatively():
    html = (ROOT / "index.html").read_text(encoding="utf-8")
    links = {(m.group(1), m.group(2)) for m in re.finditer(r'<link rel="([^"]+)" href="([^"]+)"', html)}
    assert ("icon", "favicon.ico") in links and ("manifest", "manifest.webmanifest") in links, links
    copied = re.findall(r'<link data-trunk rel="copy-(?:file|dir)" href="([^"]+)"', html)
    for needed in ("assets/favicon.ico", "assets/manifest.webmanifest", "assets/icons"):
        assert needed in copied, f"index.html does not copy {needed} into the build"
