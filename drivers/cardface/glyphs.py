"""Reads a printed date line glyph-counted, so that repeated digits cannot merge unnoticed.

Tesseract's LSTM reads a whole line through CTC decoding, whose classic slip is a repeated character
collapsing into one ("11月" → "1月", "平成20年" → "平成2年") — with high confidence, which makes it a
wrong 照合番号B rather than a re-scan. Here the line is first cut into glyphs (connected components of
the print, merged where they overlap horizontally, blur-joined digit pairs split at their bridge). The
glyphs are laid out again as a strip with even gaps; jpn reads that strip to find the anchors 年, 月,
日 (and 元), and the digit glyphs between them are read by the eng model from strips of three sizes,
two of which must agree and give exactly one digit per glyph. A digit must also be narrower than the
kanji around it. Only the era, whose kanji may fall apart into pieces (和 = 禾 + 口), is read as a short
line, and every split of the glyphs before 年 into era and year is tried: two different answers make
the line unreadable rather than a guess.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from drivers.cardface.locate import GreyImage
from drivers.cardface.ocr import LineOcr
from kiosk.cardface import Era

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


@dataclass(frozen=True)
class DateRead:
    """A date line as text ('昭和55年2月17日', '2030年2月17日'), or None, and its weakest glyph (0..1)."""

    text: str | None
    confidence: float


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


def _split_touching(ink: GreyImage, g: Glyph, tall: int) -> list[Glyph]:
    """Two glyphs run together by blur (e.g. "20"), split at the faint bridge between them."""
    if g.width < 0.7 * tall:
        return [g]
    columns = (ink[g.y0 : g.y1, g.x0 : g.x1] > 0).sum(axis=0)
    lo, hi = round(0.3 * g.width), round(0.7 * g.width)
    cut = lo + int(np.argmin(columns[lo:hi]))
    if columns[cut] > 0.3 * columns.max():
        return [g]
    left, right = Glyph(g.x0, g.y0, g.x0 + cut, g.y1), Glyph(g.x0 + cut + 1, g.y0, g.x1, g.y1)
    return _split_touching(ink, left, tall) + _split_touching(ink, right, tall)  # "088" is three


def _pil(a: GreyImage) -> Image.Image:
    return Image.fromarray(np.ascontiguousarray(a), mode="L")


def _region(page: GreyImage, glyphs: list[Glyph], pad: int = 3, height: int = GLYPH_HEIGHT) -> Image.Image:
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


ANCHORS = "年月日元"


def _anchor(ocr: LineOcr, page: GreyImage, g: Glyph) -> tuple[str, float]:
    """'年', '月', '日' or '元' when the glyph is confidently one of them, else ''."""
    for height in (GLYPH_HEIGHT, GLYPH_HEIGHT * 3 // 2):  # a lone glyph is sometimes ignored at one size
        picture = _region(page, [g], height=height)
        ch, conf = ocr.date_glyph(picture)
        if ch not in ANCHORS:
            line = ocr.date_line(picture)
            ch, conf = (line.text, line.min_conf) if len(line.text) == 1 else ("", 0.0)
        if ch:
            break
    return (ch, conf) if ch in ANCHORS and conf >= 80.0 else ("", conf)


def _anchors(
    ocr: LineOcr, page: GreyImage, ink: GreyImage, glyphs: list[Glyph]
) -> tuple[list[Glyph], list[tuple[str, float]]]:
    """Each glyph's anchor character ('' for the others), from a strip of the glyphs that reads as
    exactly one character per glyph (character boxes are too loose to align otherwise). Pieces of era
    kanji at the start may not read one-to-one, so the strip may leave out up to four leading glyphs;
    two digits run together by blur ("30" as one glyph) read as one character too many, so a wide glyph
    may be split at its bridge. Failing all that, glyph by glyph. Returns the glyphs as finally cut."""
    marks = _one_per_glyph(ocr, page, glyphs)
    if marks is not None:
        return glyphs, marks
    tall = max(g.height for g in glyphs)
    for j, g in enumerate(glyphs):
        pieces = _split_touching(ink, g, tall)
        if len(pieces) < 2:
            continue
        cut = glyphs[:j] + pieces + glyphs[j + 1 :]
        marks = _one_per_glyph(ocr, page, cut)
        if marks is not None:
            return cut, marks
    joined = _join_broken_anchors(ocr, page, glyphs, tall)
    if joined is not None:
        return joined
    return glyphs, [_anchor(ocr, page, g) for g in glyphs]


def _join_broken_anchors(
    ocr: LineOcr, page: GreyImage, glyphs: list[Glyph], tall: int
) -> tuple[list[Glyph], list[tuple[str, float]]] | None:
    """Faint print (glare) can break a kanji's thin connecting stroke: 月 or 日 falls apart into two
    narrow glyphs side by side, and the strip reads one character too few. Up to two such pairs are
    joined, and the cut is kept only if the strip then reads one per glyph and every joined glyph reads
    as an anchor (年, 月, 日): two joined digits ('11') never count as one."""
    cut, joined = glyphs, list[int]()  # joined: indices in `cut` of the joined glyphs
    for _ in range(2):
        pairs = [j for j in range(len(cut) - 1) if _broken_pair(cut[j], cut[j + 1], tall)]
        if not pairs:
            return None
        for j in pairs:
            trial = [*cut[:j], _joined(cut[j], cut[j + 1]), *cut[j + 2 :]]
            marks = _one_per_glyph(ocr, page, trial)
            if marks is not None and all(marks[i][0] in "年月日" for i in [*(i - (i > j) for i in joined), j]):
                return trial, marks
        j = pairs[0]  # none read alone: keep the first join and look for a second one
        cut, joined = [*cut[:j], _joined(cut[j], cut[j + 1]), *cut[j + 2 :]], [*(i - (i > j) for i in joined), j]
    return None


def _joined(a: Glyph, b: Glyph) -> Glyph:
    return Glyph(a.x0, min(a.y0, b.y0), b.x1, max(a.y1, b.y1))


def _broken_pair(a: Glyph, b: Glyph, tall: int) -> bool:
    """Two narrow glyphs close together, of a kanji's full height, that together are no wider than one."""
    return (a.width < 0.45 * tall and b.width < 0.45 * tall and b.x0 - a.x1 < 0.35 * tall
            and b.x1 - a.x0 <= 1.1 * tall and min(a.height, b.height) >= 0.8 * tall)  # fmt: skip


def _one_per_glyph(ocr: LineOcr, page: GreyImage, glyphs: list[Glyph]) -> list[tuple[str, float]] | None:
    for skip in range(min(5, len(glyphs))):
        part = glyphs[skip:]
        for height, gap in ((GLYPH_HEIGHT, 0.33), (GLYPH_HEIGHT * 2 // 3, 0.6)):
            line = ocr.date_line(_strip(page, part, height=height, gap=gap))
            if len(line.text) == len(part):
                marks = [(ch, conf) if ch in ANCHORS and conf >= 80.0 else ("", conf)
                         for ch, conf in zip(line.text, line.char_conf, strict=True)]  # fmt: skip
                return [("", 0.0)] * skip + marks
    return None


def _strip(page: GreyImage, glyphs: list[Glyph], height: int = GLYPH_HEIGHT, gap: float = 0.33) -> Image.Image:
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


def _digit_runs(ocr: LineOcr, page: GreyImage, runs: list[list[Glyph]]) -> tuple[list[str] | None, float]:
    """Each run's digits, read by the eng model from two differently built strips; None unless both give
    one digit per glyph and the same digits (the jpn model is too weak on digits to be the second).
    When the count is off, glyphs run together by blur are split and the runs read once more."""
    if any(not run for run in runs):
        return None, 0.0
    found = _read_runs(ocr, page, runs)
    if found[0] is None:
        ink = ink_mask(page)
        tall = max(g.height for run in runs for g in run)
        split = [[piece for g in run for piece in _split_touching(ink, g, tall)] for run in runs]
        if split != runs:
            found = _read_runs(ocr, page, split)
    return found


DIGIT_STRIPS = ((36, 0.5), (48, 0.4), (28, 0.7))  # (glyph height px, gap × height): LSTM slips vary by size


def _read_runs(ocr: LineOcr, page: GreyImage, runs: list[list[Glyph]]) -> tuple[list[str] | None, float]:
    """Two of the strip sizes must give the same one-digit-per-glyph text and none a different one."""
    glyphs = [g for run in runs for g in run]
    texts: dict[str, list[float]] = {}
    for height, gap in DIGIT_STRIPS:
        line = ocr.digit_line(_strip(page, glyphs, height=height, gap=gap))
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


def _era(ocr: LineOcr, ink: GreyImage, glyphs: list[Glyph]) -> tuple[str | None, float]:
    read = ocr.date_line(_region(ink, glyphs))
    names = {e.value for e in Era}
    return (read.text if read.text in names else None), read.min_conf


def _split_wide(ink: GreyImage, glyphs: list[Glyph], widest_digit: float, tall: int) -> list[Glyph]:
    """Glyphs too wide for one digit split at their bridges (blur joins neighbours: "34" as one blob)."""
    out: list[Glyph] = []
    for g in glyphs:
        out += _split_touching(ink, g, tall) if g.width > widest_digit else [g]
    return out


def _year(ocr: LineOcr, page: GreyImage, ink: GreyImage, before: list[Glyph], rest: list[list[Glyph]],
          eras: bool, widest_digit: float, tall: int) -> tuple[list[str] | None, float]:  # fmt: skip
    """Era + year from the glyphs in front of 年 (and the month and day digits), trying each split.

    A national's era year has 1–2 digits (昭和55, 平成2); a foreign resident's year has 4 and no era. The
    split must leave a readable era (or nothing) and one digit per glyph; two splits giving different
    dates make the field unreadable rather than a guess.
    """
    found: dict[tuple[str, ...], float] = {}
    four = _split_wide(ink, before, widest_digit, tall)
    if len(four) == 4 and all(g.width <= widest_digit for g in four):
        runs, conf = _digit_runs(ocr, page, [four, *rest])
        if runs is not None:
            found[tuple(runs)] = conf
    if eras and before and before[-1].width > widest_digit:  # an era year's two digits run together
        before = before[:-1] + _split_wide(ink, before[-1:], widest_digit, tall)
    if eras:
        for k in (1, 2):
            if len(before) <= k or any(g.width > widest_digit for g in before[-k:]):
                continue
            runs, conf = _digit_runs(ocr, page, [before[-k:], *rest])
            if runs is None:
                continue
            era, era_conf = _era(ocr, page, before[:-k])
            if era is not None:
                found[(f"{era}{int(runs[0])}", *runs[1:])] = min(conf, era_conf)
    if len(found) != 1:
        return None, 0.0
    key, conf = next(iter(found.items()))
    return list(key), conf


def runs_off(glyphs: list[Glyph], width: int, *, right: bool) -> bool:
    """Whether the line runs off the crop (a card outline a little off moves the field): half an 8 at
    the edge reads as a confident 3, in every prepared version alike, so a cut line is no reading."""
    return glyphs[0].x0 <= 1 or (right and glyphs[-1].x1 >= width - 1)


def read_date_line(ocr: LineOcr, line: GreyImage, *, eras: bool) -> DateRead:
    """'[era]Y年M月D日…' from a grey line image; `eras` False for the expiry line (always 西暦)."""
    ink = ink_mask(line)
    glyphs = segment(ink)
    page = line  # glyphs are cut by the mask but read from the grey picture
    marks: list[tuple[int, str, float]] = []  # (glyph index, anchor, confidence)
    if not glyphs or runs_off(glyphs, line.shape[1], right=False):  # (the line's end, 生 or 有効, is no digit)
        return DateRead(None, 0.0)
    glyphs, anchors = _anchors(ocr, page, ink, glyphs)
    for i, (ch, conf) in enumerate(anchors):
        if ch:
            marks.append((i, ch, conf))
    order = "".join(m[1] for m in marks)
    at = order.find("年月日")
    if at < 0:
        return DateRead(None, 0.0)
    (y, _, y_conf), (m, _, m_conf), (d, _, d_conf) = marks[at : at + 3]
    rest = [glyphs[y + 1 : m], glyphs[m + 1 : d]]
    # a digit is half-width: a glyph as wide as the kanji around it is a missed anchor, not a digit
    widest_digit = 0.8 * float(np.median([glyphs[i].width for i in (y, m, d)]))  # one may be a broken kanji's half
    tall = round(float(np.mean([glyphs[i].height for i in (y, m, d)])))
    rest = [_split_wide(ink, run, widest_digit, tall) for run in rest]
    if any(g.width > widest_digit for run in rest for g in run):
        return DateRead(None, 0.0)
    confs = [y_conf, m_conf, d_conf]
    gannen = at > 0 and marks[at - 1][1] == "元" and marks[at - 1][0] == y - 1
    if gannen:
        if not eras or y < 2:
            return DateRead(None, 0.0)
        runs, digits_conf = _digit_runs(ocr, page, rest)
        era, era_conf = _era(ocr, page, glyphs[: y - 1])
        if runs is None or era is None:
            return DateRead(None, 0.0)
        year, month, day = f"{era}元", runs[0], runs[1]
        confs += [marks[at - 1][2], era_conf, digits_conf]
    else:
        # everything in front of 年 is era and year: era pieces may look like anchors (明 = 日 + 月)
        parts, year_conf = _year(ocr, page, ink, glyphs[:y], rest, eras, widest_digit, tall)
        if parts is None:
            return DateRead(None, 0.0)
        year, month, day = parts
        confs.append(year_conf)
    return DateRead(f"{year}年{int(month)}月{int(day)}日", min(confs) / 100.0)


def read_digit_line(ocr: LineOcr, line: GreyImage, count: int) -> tuple[str | None, float]:
    """A line of exactly `count` digits (the security code), read glyph-counted like the dates."""
    glyphs = segment(ink_mask(line))
    if not glyphs or runs_off(glyphs, line.shape[1], right=True):
        return None, 0.0
    runs, conf = _digit_runs(ocr, line, [glyphs])
    if runs is not None and len(runs[0]) == count:
        return runs[0], conf / 100.0
    # digits run together so that they cannot be cut: read the whole row, it must give `count` digits
    whole = Glyph(glyphs[0].x0, min(g.y0 for g in glyphs), glyphs[-1].x1, max(g.y1 for g in glyphs))
    texts: dict[str, list[float]] = {}
    for height, _ in DIGIT_STRIPS:
        read = ocr.digit_line(_region(line, [whole], height=height))
        if len(read.text) == count and read.text.isdigit():
            texts.setdefault(read.text, []).append(read.min_conf)
    if len(texts) != 1 or len(next(iter(texts.values()))) < 2:
        return None, 0.0
    text, confs = next(iter(texts.items()))
    return text, min(confs) / 100.0
