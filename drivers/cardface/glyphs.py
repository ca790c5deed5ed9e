"""Printed lines cut into glyphs and read glyph-counted, so that repeated digits cannot merge unnoticed.

Tesseract's LSTM reads a whole line through CTC decoding, whose classic slip is a repeated character
collapsing into one ("11月" → "1月", "平成20年" → "平成2年") — with high confidence, which makes it a
wrong 照合番号B rather than a re-scan. Here the line is first cut into glyphs (connected components of
the print, merged where they overlap horizontally, blur-joined digit pairs split at their bridge). The
glyphs are laid out again as a strip with even gaps, in which two equal digits can no longer run
together; digit glyphs are read by the eng model from strips of three sizes, two of which must agree and
give exactly one digit per glyph. The security code is such a line; the date lines, which need their
anchors (年, 月, 日) found first, are read by drivers.cardface.dates.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from drivers.cardface.locate import GreyImage
from drivers.cardface.ocr import LineOcr

GLYPH_HEIGHT = 60  # px a glyph is scaled to before reading (Tesseract ignores a lone glyph much smaller)


@dataclass(frozen=True)
class Glyph:
    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0


def paper_divided(line: GreyImage) -> tuple[GreyImage, int]:
    """The line divided by its paper's own brightness (paper 255), and the glyph-sized kernel used.

    The paper: close away the (dark, thin) print, then smooth; dividing by it leaves print against a flat
    paper even under a glare spot or a shadow edge."""
    k = max(5, line.shape[0] // 3) | 1
    paper = cv2.morphologyEx(line, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    background = cv2.GaussianBlur(paper, (0, 0), sigmaX=k / 2)
    return np.asarray(cv2.divide(line, background, scale=255), np.uint8), k


def ink_mask(line: GreyImage) -> GreyImage:
    """Dark print as 255 on 0, after evening out glare and shadow."""
    flat, _ = paper_divided(line)
    _, ink = cv2.threshold(flat, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return np.asarray(ink, np.uint8)


def segment(ink: GreyImage) -> list[Glyph]:
    """Glyph boxes of the main text line, left to right."""
    h = ink.shape[0]
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    parts: list[Glyph] = []
    for x, y, bw, bh, area in stats[1:n]:
        if area < 6 or y <= 0 or y + bh >= h:  # specks, and remnants of the lines above and below
            continue
        parts.append(Glyph(int(x), int(y), int(x + bw), int(y + bh)))
    if not parts:
        return []
    tall = max(p.height for p in parts)
    parts = [p for p in parts if p.height >= 0.12 * tall or p.width >= 0.3 * tall]
    # the band of the line's full-height glyphs: print wholly above or below it (the 有効期限 label over
    # the expiry date) is another line, and merged with the glyphs under it would hide them
    full = [p for p in parts if p.height >= 0.6 * tall]
    top, bottom = float(np.median([p.y0 for p in full])), float(np.median([p.y1 for p in full]))
    parts = [p for p in parts if p.y1 > top + 2 and p.y0 < bottom - 2]
    if not parts:
        return []
    tall = max(p.height for p in parts)
    parts.sort(key=lambda g: g.x0)
    merged: list[Glyph] = []
    for p in parts:
        if merged:
            last = merged[-1]
            overlap = min(last.x1, p.x1) - max(last.x0, p.x0)
            if overlap > 0.3 * min(last.width, p.width) or (overlap > 0 and p.height < 0.5 * tall):
                merged[-1] = Glyph(min(last.x0, p.x0), min(last.y0, p.y0), max(last.x1, p.x1), max(last.y1, p.y1))
                continue
        merged.append(p)
    # keep the line: glyphs whose vertical middle sits on the band of the tall glyphs
    band = [g for g in merged if g.height >= 0.6 * tall]
    middle = float(np.median([(g.y0 + g.y1) / 2 for g in band]))
    return [g for g in merged if abs((g.y0 + g.y1) / 2 - middle) < 0.35 * tall and g.height >= 0.2 * tall]


def split_touching(ink: GreyImage, g: Glyph, tall: int) -> list[Glyph]:
    """Two glyphs run together by blur (e.g. "20"), split at the faint bridge between them."""
    if g.width < 0.7 * tall:
        return [g]
    columns = (ink[g.y0 : g.y1, g.x0 : g.x1] > 0).sum(axis=0)
    lo, hi = round(0.3 * g.width), round(0.7 * g.width)
    cut = lo + int(np.argmin(columns[lo:hi]))
    if columns[cut] > 0.3 * columns.max():
        return [g]
    left, right = Glyph(g.x0, g.y0, g.x0 + cut, g.y1), Glyph(g.x0 + cut + 1, g.y0, g.x1, g.y1)
    return split_touching(ink, left, tall) + split_touching(ink, right, tall)  # "088" is three


def _pil(a: GreyImage) -> Image.Image:
    return Image.fromarray(np.ascontiguousarray(a), mode="L")


def region(page: GreyImage, glyphs: list[Glyph], pad: int = 3, height: int = GLYPH_HEIGHT) -> Image.Image:
    """The grey picture of a run of glyphs, scaled to GLYPH_HEIGHT, with a paper-coloured margin."""
    h, w = page.shape
    y0 = max(0, min(g.y0 for g in glyphs) - pad)
    y1 = min(h, max(g.y1 for g in glyphs) + pad)
    crop = page[y0:y1, max(0, glyphs[0].x0 - pad) : min(w, glyphs[-1].x1 + pad)]
    scale = height / max(1, crop.shape[0])
    if abs(scale - 1.0) > 0.1:
        method = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
        crop = np.asarray(cv2.resize(crop, None, fx=scale, fy=scale, interpolation=method), np.uint8)
    paper = int(np.percentile(crop, 90))
    return _pil(np.asarray(cv2.copyMakeBorder(crop, 12, 12, 12, 12, cv2.BORDER_CONSTANT, value=paper), np.uint8))


def strip(page: GreyImage, glyphs: list[Glyph], height: int = GLYPH_HEIGHT, gap: float = 0.33) -> Image.Image:
    """The glyphs side by side at one height with even gaps (`gap` × height): a clean line for the LSTM,
    in which two equal digits can no longer run together."""
    space = max(2, round(gap * height))
    margin = 16
    pieces: list[np.ndarray] = []
    for g in glyphs:
        crop = page[g.y0 : g.y1, g.x0 : g.x1]
        scale = height / max(1, crop.shape[0])
        width = max(1, round(crop.shape[1] * scale))
        pieces.append(np.asarray(cv2.resize(crop, (width, height), interpolation=cv2.INTER_CUBIC), np.uint8))
    paper = int(np.percentile(page, 90))
    spacer = np.full((height, space), paper, np.uint8)
    row = np.hstack([x for piece in pieces for x in (piece, spacer)][:-1])
    framed = cv2.copyMakeBorder(row, 14, 14, margin, margin, cv2.BORDER_CONSTANT, value=paper)
    return _pil(np.asarray(framed, np.uint8))


def digit_runs(ocr: LineOcr, page: GreyImage, runs: list[list[Glyph]]) -> tuple[list[str] | None, float]:
    """Each run's digits, read by the eng model from two differently built strips; None unless both give
    one digit per glyph and the same digits (the jpn model is too weak on digits to be the second).
    When the count is off, glyphs run together by blur are split and the runs read once more."""
    if any(not run for run in runs):
        return None, 0.0
    found = _read_runs(ocr, page, runs)
    if found[0] is None:
        ink = ink_mask(page)
        tall = max(g.height for run in runs for g in run)
        split = [[piece for g in run for piece in split_touching(ink, g, tall)] for run in runs]
        if split != runs:
            found = _read_runs(ocr, page, split)
    return found


DIGIT_STRIPS = ((36, 0.5), (48, 0.4), (28, 0.7))  # (glyph height px, gap × height): LSTM slips vary by size


def _read_runs(ocr: LineOcr, page: GreyImage, runs: list[list[Glyph]]) -> tuple[list[str] | None, float]:
    """Two of the strip sizes must give the same one-digit-per-glyph text and none a different one."""
    glyphs = [g for run in runs for g in run]
    texts: dict[str, list[float]] = {}
    for height, gap in DIGIT_STRIPS:
        line = ocr.digit_line(strip(page, glyphs, height=height, gap=gap))
        if len(line.text) == len(glyphs) and line.text.isdigit():
            texts.setdefault(line.text, []).append(line.min_conf)
        if len(texts) > 1:
            return None, 0.0
        if any(len(c) >= 2 for c in texts.values()):
            break
    if len(texts) != 1 or len(next(iter(texts.values()))) < 2:
        return None, 0.0
    text, confs = next(iter(texts.items()))
    out: list[str] = []
    at = 0
    for run in runs:
        out.append(text[at : at + len(run)])
        at += len(run)
    return out, min(confs)


def runs_off(glyphs: list[Glyph], width: int, *, right: bool) -> bool:
    """Whether the line runs off the crop (a card outline a little off moves the field): half an 8 at
    the edge reads as a confident 3, in every prepared version alike, so a cut line is no reading."""
    return glyphs[0].x0 <= 1 or (right and glyphs[-1].x1 >= width - 1)


def read_digit_line(ocr: LineOcr, line: GreyImage, count: int) -> tuple[str | None, float]:
    """A line of exactly `count` digits (the security code), read glyph-counted like the dates."""
    glyphs = segment(ink_mask(line))
    if not glyphs or runs_off(glyphs, line.shape[1], right=True):
        return None, 0.0
    runs, conf = digit_runs(ocr, line, [glyphs])
    if runs is not None and len(runs[0]) == count:
        return runs[0], conf / 100.0
    # digits run together so that they cannot be cut: read the whole row, it must give `count` digits
    whole = Glyph(glyphs[0].x0, min(g.y0 for g in glyphs), glyphs[-1].x1, max(g.y1 for g in glyphs))
    texts: dict[str, list[float]] = {}
    for height, _ in DIGIT_STRIPS:
        read = ocr.digit_line(region(line, [whole], height=height))
        if len(read.text) == count and read.text.isdigit():
            texts.setdefault(read.text, []).append(read.min_conf)
    if len(texts) != 1 or len(next(iter(texts.values()))) < 2:
        return None, 0.0
    text, confs = next(iter(texts.items()))
    return text, min(confs) / 100.0
