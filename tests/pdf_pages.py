"""PDF pages as images for the print tests: a page rasterised by pdftoppm (poppler-utils) into a
PPM read here without an imaging library, and the two things a clerk sees at a glance — whether
anything below the 版头's red line is red (the title must be black), and how many lines of text
stand on a page (the 落款 must never be alone on one)."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

DPI = 40


@dataclass(frozen=True)
class Raster:
    width: int
    height: int
    pixels: bytes  # RGB, row by row

    def pixel(self, x: int, y: int) -> tuple[int, int, int]:
        i = (y * self.width + x) * 3
        return self.pixels[i], self.pixels[i + 1], self.pixels[i + 2]

    def row(self, y: int) -> list[tuple[int, int, int]]:
        return [self.pixel(x, y) for x in range(self.width)]


def _pdftoppm() -> str:
    found = shutil.which("pdftoppm")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("pdftoppm is required in CI (scripts/test.sh installs Debian's poppler-utils)")
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    return found


def rasterise(pdf: Path, page: int, work: Path) -> Raster:
    """Page `page` (1-based) of `pdf` at DPI, as RGB pixels."""
    prefix = work / f"page-{page}"
    subprocess.run(
        [_pdftoppm(), "-r", str(DPI), "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(prefix)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    data = prefix.with_suffix(".ppm").read_bytes()
    fields, position = [], 0
    while len(fields) < 4:  # P6, width, height, maxval — separated by whitespace
        while data[position : position + 1].isspace():
            position += 1
        end = position
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(data[position:end])
        position = end
    assert fields[0] == b"P6", fields
    width, height = int(fields[1]), int(fields[2])
    return Raster(width, height, data[position + 1 : position + 1 + width * height * 3])


def is_red(rgb: tuple[int, int, int]) -> bool:
    r, g, b = rgb
    return r > 150 and g < 110 and b < 110 and r - max(g, b) > 80


def is_ink(rgb: tuple[int, int, int]) -> bool:
    return sum(rgb) < 600


def red_below_rule(image: Raster) -> tuple[int | None, int]:
    """The 版头's red rule (the first row more than half of whose width is red; None when there is
    none) and the number of red pixels below it — the title and everything after must have none."""
    rule = next(
        (y for y in range(image.height) if sum(map(is_red, image.row(y))) > image.width // 2),
        None,
    )
    if rule is None:
        return None, 0
    below = range(rule + 3, image.height)  # the rule is a few pixels thick
    return rule, sum(1 for y in below for rgb in image.row(y) if is_red(rgb))


def text_lines(image: Raster) -> int:
    """Bands of rows holding ink: the lines of text (and rules) printed on the page."""
    bands, inside = 0, False
    for y in range(image.height):
        inked = any(is_ink(rgb) for rgb in image.row(y))
        bands += inked and not inside
        inside = inked
    return bands
