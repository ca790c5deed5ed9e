"""Reads a printed date line ('平成2年1月2日生', '2030年2月17日まで有効') glyph-counted (drivers.cardface.glyphs).

The glyphs are laid out as a strip; jpn reads that strip to find the anchors 年, 月, 日 (and 元), and the
digit glyphs between them are read as digit runs. A digit must also be narrower than the kanji around
it. Only the era, whose kanji may fall apart into pieces (和 = 禾 + 口), is read as a short line, and every
split of the glyphs before 年 into era and year is tried: two different answers make the line unreadable
rather than a guess.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from drivers.cardface.glyphs import (
    GLYPH_HEIGHT,
    Glyph,
    digit_runs,
    ink_mask,
    region,
    runs_off,
    segment,
    split_touching,
    strip,
)
from drivers.cardface.locate import GreyImage
from drivers.cardface.ocr import LineOcr
from kiosk.cardface import Era


@dataclass(frozen=True)
class DateRead:
    """A date line as text ('昭和55年2月17日', '2030年2月17日'), or None, and its weakest glyph (0..1)."""

    text: str | None
    confidence: float


ANCHORS = "年月日元"


def _anchor(ocr: LineOcr, page: GreyImage, g: Glyph) -> tuple[str, float]:
    """'年', '月', '日' or '元' when the glyph is confidently one of them, else ''."""
    for height in (GLYPH_HEIGHT, GLYPH_HEIGHT * 3 // 2):  # a lone glyph is sometimes ignored at one size
        picture = region(page, [g], height=height)
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
        pieces = split_touching(ink, g, tall)
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
            kept = [*(i - (i > j) for i in joined), j]
            if marks is not None and all(marks[i][0] in "年月日" and marks[i][1] >= 80.0 for i in kept):
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
            line = ocr.date_line(strip(page, part, height=height, gap=gap))
            if len(line.text) == len(part):
                return [("", 0.0)] * skip + list(zip(line.text, line.char_conf, strict=True))
    return None


def _era(ocr: LineOcr, page: GreyImage, glyphs: list[Glyph],
         in_line: list[tuple[str, float]]) -> tuple[str | None, float]:  # fmt: skip
    """The era name from its glyphs alone, else as the whole line's strip read them (`in_line`: those
    glyphs' characters there, if it read one per glyph): jpn sometimes reads nothing of an era's two
    kanji on their own that it reads in the line. The era itself is no part of 照合番号B; it only lets the
    date be checked."""
    names = {e.value for e in Era}
    read = ocr.date_line(region(page, glyphs))
    if read.text in names:
        return read.text, read.min_conf
    text = "".join(ch for ch, _ in in_line)
    if len(in_line) == len(glyphs) and text in names:
        return text, min(conf for _, conf in in_line)
    return None, read.min_conf


def _split_wide(ink: GreyImage, glyphs: list[Glyph], widest_digit: float, tall: int) -> list[Glyph]:
    """Glyphs too wide for one digit split at their bridges (blur joins neighbours: "34" as one blob)."""
    out: list[Glyph] = []
    for g in glyphs:
        out += split_touching(ink, g, tall) if g.width > widest_digit else [g]
    return out


def _year(ocr: LineOcr, page: GreyImage, ink: GreyImage, before: list[Glyph], rest: list[list[Glyph]],
          eras: bool, widest_digit: float, tall: int,
          in_line: list[tuple[str, float]]) -> tuple[list[str] | None, float]:  # fmt: skip
    """Era + year from the glyphs in front of 年 (and the month and day digits), trying each split.

    A national's era year has 1–2 digits (昭和55, 平成2); a foreign resident's year has 4 and no era. The
    split must leave a readable era (or nothing) and one digit per glyph; two splits giving different
    dates make the field unreadable rather than a guess.
    """
    found: dict[tuple[str, ...], float] = {}
    four = _split_wide(ink, before, widest_digit, tall)
    if len(four) == 4 and all(g.width <= widest_digit for g in four):
        runs, conf = digit_runs(ocr, page, [four, *rest])
        if runs is not None:
            found[tuple(runs)] = conf
    if eras and before and before[-1].width > widest_digit:  # an era year's two digits run together
        before = before[:-1] + _split_wide(ink, before[-1:], widest_digit, tall)
        in_line = []  # (the glyphs are no longer those the line was read in)
    if eras:
        for k in (1, 2):
            if len(before) <= k or any(g.width > widest_digit for g in before[-k:]):
                continue
            runs, conf = digit_runs(ocr, page, [before[-k:], *rest])
            if runs is None:
                continue
            era, era_conf = _era(ocr, page, before[:-k], in_line[: len(before) - k])
            if era is not None:
                found[(f"{era}{int(runs[0])}", *runs[1:])] = min(conf, era_conf)
    if len(found) != 1:
        return None, 0.0
    key, conf = next(iter(found.items()))
    return list(key), conf


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
        if ch in ANCHORS and conf >= 80.0:
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
        runs, digits_conf = digit_runs(ocr, page, rest)
        era, era_conf = _era(ocr, page, glyphs[: y - 1], anchors[: y - 1])
        if runs is None or era is None:
            return DateRead(None, 0.0)
        year, month, day = f"{era}元", runs[0], runs[1]
        confs += [marks[at - 1][2], era_conf, digits_conf]
    else:
        # everything in front of 年 is era and year: era pieces may look like anchors (明 = 日 + 月)
        parts, year_conf = _year(ocr, page, ink, glyphs[:y], rest, eras, widest_digit, tall, anchors[:y])
        if parts is None:
            return DateRead(None, 0.0)
        year, month, day = parts
        confs.append(year_conf)
    return DateRead(f"{year}年{int(month)}月{int(day)}日", min(confs) / 100.0)

