"""Ritme's two Teams app icons, drawn in code: a pulse line (a rhythm), white on Ritme's blue or on nothing.

Teams wants a 192x192 full-colour icon and a 32x32 outline icon that is white on a transparent background. Drawing
them here keeps binary files out of the repository and an installed copy needs no package data; only the standard
library is used (zlib and struct write the PNG).
"""

from __future__ import annotations

import math
import struct
import zlib
from itertools import pairwise

ACCENT = (0x2F, 0x3E, 0x9E)
"""Ritme's blue: the colour icon's background and the manifest's accentColor (as in the Slack manifest)."""

COLOR_SIZE = 192
OUTLINE_SIZE = 32

# The pulse, in a unit box (x to the right, y down): flat, a small dip, a tall beat, a fall, back to flat.
_PULSE = ((0.0, 0.56), (0.28, 0.56), (0.37, 0.34), (0.5, 0.86), (0.63, 0.14), (0.73, 0.56), (1.0, 0.56))


def accent_hex() -> str:
    """Ritme's blue as an HTML colour, e.g. #2F3E9E."""
    return "#" + "".join(f"{part:02X}" for part in ACCENT)


def color_icon() -> bytes:
    """The 192x192 colour icon: a white pulse on Ritme's blue, inside the middle 120 pixels Teams keeps clear."""
    margin, stroke = 36.0, 13.0
    coverage = _pulse_coverage(COLOR_SIZE, left=margin, right=COLOR_SIZE - margin, top=margin,
                               bottom=COLOR_SIZE - margin, stroke=stroke)
    pixels = bytearray()
    for value in coverage:
        # White blended over the blue, fully opaque: Teams asks for a solid background.
        pixels += bytes(round(base + (255 - base) * value) for base in ACCENT) + b"\xff"
    return png(COLOR_SIZE, COLOR_SIZE, bytes(pixels))


def outline_icon() -> bytes:
    """The 32x32 outline icon: the same pulse in white on a transparent background, without padding."""
    coverage = _pulse_coverage(OUTLINE_SIZE, left=1.5, right=OUTLINE_SIZE - 1.5, top=2.0,
                               bottom=OUTLINE_SIZE - 2.0, stroke=3.0)
    pixels = bytearray()
    for value in coverage:
        # Teams tints the outline itself, so only the alpha channel carries the shape.
        pixels += b"\xff\xff\xff" + bytes([round(255 * value)])
    return png(OUTLINE_SIZE, OUTLINE_SIZE, bytes(pixels))


def png(width: int, height: int, rgba: bytes) -> bytes:
    """An 8-bit RGBA PNG of `rgba` (rows top to bottom, four bytes a pixel)."""
    if len(rgba) != width * height * 4:
        raise ValueError(f"{len(rgba)} bytes are not {width}x{height} RGBA pixels")
    row = width * 4
    # Each scanline starts with its filter type; 0 (none) is plenty for an icon of a few kilobytes.
    raw = b"".join(b"\x00" + rgba[y * row : (y + 1) * row] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8 bits, RGBA, deflate, no filter, no interlace
    chunks = _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(raw, 9)) + _chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _pulse_coverage(size: int, *, left: float, right: float, top: float, bottom: float, stroke: float) -> list[float]:
    """How much of each pixel (row by row) the pulse line covers, from 0 to 1, with soft edges."""
    points = [(left + x * (right - left), top + y * (bottom - top)) for x, y in _PULSE]
    segments = list(pairwise(points))
    radius = stroke / 2
    coverage = []
    for row in range(size):
        for column in range(size):
            x, y = column + 0.5, row + 0.5
            distance = min(_distance_to_segment(x, y, a, b) for a, b in segments)
            # One pixel of soft edge instead of supersampling: smooth enough at these sizes, and quick.
            coverage.append(min(1.0, max(0.0, radius - distance + 0.5)))
    return coverage


def _distance_to_segment(x: float, y: float, a: tuple[float, float], b: tuple[float, float]) -> float:
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    # The nearest point of the segment, clamped to its ends (which rounds the line's caps and joins).
    t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - (ax + t * dx), y - (ay + t * dy))
