#!/usr/bin/env python3
"""Draws the app's icons (Python stdlib only) into assets/ (or the folder given): favicon.ico
and the folder icons/, which index.html copies into the build (dist/favicon.ico, dist/icons/).

    python3 scripts/make_icons.py [OUT_DIR]

The mark: three lines of text on a tile of the claim colour (#1d5fbf, style/main.css), the
middle one highlighted, as the app highlights a claim: a white band with the text in the tile's
colour. White on #1d5fbf has a contrast ratio of 6.2:1, and the mark reads on light and dark
home screens alike. It is drawn on a 16-unit grid whose edges fall on whole pixels at 16 and 32
px, so the favicon stays sharp. Written (icons/ unless said):
  icon-192.png, icon-512.png   purpose "any": a rounded tile, transparent corners;
  icon-maskable-512.png        purpose "maskable": full-bleed tile, the mark inside the central
                               circle of 80 % that every platform's mask keeps;
  apple-touch-icon.png         180 px, full-bleed (iOS rounds the corners itself, and would
                               draw transparent ones black);
  icon.svg                     the "any" icon as a vector (also the single file's data: icon);
  favicon.ico (at the top)      16, 32 and 48 px PNG images in an ICO container.
The files are committed; tests/build/test_icons.py checks they are what this script draws.
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

GRID = 16.0
TILE = (0x1D, 0x5F, 0xBF)  # --claim of the light theme
WHITE = (0xFF, 0xFF, 0xFF)
TILE_RADIUS = 3.0
# (x0, y0, x1, y1, corner radius, colour) on the 16-unit grid, drawn in order.
MARK = [
    (3.0, 3.0, 13.0, 5.0, 1.0, WHITE),  # a line of text
    (2.0, 6.0, 14.0, 10.0, 0.5, WHITE),  # the highlight
    (4.0, 7.0, 12.0, 9.0, 1.0, TILE),  # the highlighted text
    (3.0, 11.0, 10.0, 13.0, 1.0, WHITE),  # a shorter last line
]
MASKABLE_SCALE = 0.7  # the mark's farthest corner at 0.34 of the size from the centre (< 0.4)


def box_distance(px: float, py: float, box: tuple[float, float, float, float], r: float) -> float:
    """Signed distance from (px, py) to a rounded rectangle (negative inside)."""
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    hx, hy = (x1 - x0) / 2 - r, (y1 - y0) / 2 - r
    qx, qy = abs(px - cx) - hx, abs(py - cy) - hy
    outside = (max(qx, 0.0) ** 2 + max(qy, 0.0) ** 2) ** 0.5
    return outside + min(max(qx, qy), 0.0) - r


def shapes(size: int, maskable: bool) -> list[tuple[tuple[float, float, float, float], float, tuple[int, int, int]]]:
    """The tile and the mark in pixels, for a square image of `size`."""
    unit = size / GRID
    if maskable:
        tile = ((0.0, 0.0, float(size), float(size)), 0.0, TILE)
        scale, offset = unit * MASKABLE_SCALE, size * (1 - MASKABLE_SCALE) / 2
    else:
        tile = ((0.0, 0.0, float(size), float(size)), TILE_RADIUS * unit, TILE)
        scale, offset = unit, 0.0
    out = [tile]
    for x0, y0, x1, y1, r, colour in MARK:
        box = (offset + x0 * scale, offset + y0 * scale, offset + x1 * scale, offset + y1 * scale)
        out.append((box, r * scale, colour))
    return out


def render(size: int, maskable: bool = False) -> bytes:
    """RGBA pixels, rows top to bottom; edges anti-aliased by the distance at each pixel's centre."""
    layers = shapes(size, maskable)
    pixels = bytearray()
    for y in range(size):
        for x in range(size):
            px, py = x + 0.5, y + 0.5
            r = g = b = a = 0.0
            for box, radius, colour in layers:
                cover = min(max(0.5 - box_distance(px, py, box, radius), 0.0), 1.0)
                if cover == 0.0:
                    continue
                # "over", with premultiplied colour
                r = colour[0] * cover + r * (1 - cover)
                g = colour[1] * cover + g * (1 - cover)
                b = colour[2] * cover + b * (1 - cover)
                a = cover + a * (1 - cover)
            if a > 0:
                pixels += bytes((round(r / a), round(g / a), round(b / a), round(a * 255)))
            else:
                pixels += b"\0\0\0\0"
    return bytes(pixels)


def png(size: int, rgba: bytes) -> bytes:
    """A PNG file: 8-bit RGBA, every row with filter type 0."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    stride = size * 4
    raw = b"".join(b"\0" + rgba[y * stride:(y + 1) * stride] for y in range(size))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def ico(images: list[tuple[int, bytes]]) -> bytes:
    """An ICO container of PNG images (size, png bytes): ICONDIR, one ICONDIRENTRY each, the data."""
    head = struct.pack("<HHH", 0, 1, len(images))
    offset = len(head) + 16 * len(images)
    entries, data = b"", b""
    for size, image in images:
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(image), offset + len(data))
        data += image
    return head + entries + data


def svg() -> str:
    def rect(box, r, colour):
        x0, y0, x1, y1 = box
        return (f'<rect x="{x0:g}" y="{y0:g}" width="{x1 - x0:g}" height="{y1 - y0:g}" rx="{r:g}" '
                f'fill="#{colour[0]:02x}{colour[1]:02x}{colour[2]:02x}"/>')

    body = "".join(rect(box, r, colour) for box, r, colour in shapes(int(GRID), maskable=False))
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">{body}</svg>\n'


def files() -> dict[str, bytes]:
    """Every icon file by its path under OUT_DIR."""
    out = {
        "icons/icon-192.png": png(192, render(192)),
        "icons/icon-512.png": png(512, render(512)),
        "icons/icon-maskable-512.png": png(512, render(512, maskable=True)),
        "icons/apple-touch-icon.png": png(180, render(180, maskable=True)),
        "icons/icon.svg": svg().encode("utf-8"),
    }
    out["favicon.ico"] = ico([(s, png(s, render(s))) for s in (16, 32, 48)])
    return out


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "assets"
    for name, data in files().items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
        print(f"{out / name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
