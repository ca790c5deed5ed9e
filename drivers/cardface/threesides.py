"""Finds the card by three of its sides where glare has washed out the fourth (OpenCV).

A strong glare spot over one end of the card on a light counter lifts card and counter alike to white:
that whole side of the outline is gone, and no quadrilateral of straight edges closes (drivers.cardface.
sides). The other three sides remain: a roughly parallel pair and the side crossing both. The card's
proportions then say where the fourth side is (the crossing side's length times the ID-1 ratio, one way
or the other), and it is kept only where the picture explains its absence: along the missing side the
picture is washed out (near white, or off the picture), not a visible counter with no edge on it. The
fourth side's place is only as good as the ratio under perspective, so the locator refines it by where the
card's print lies (drivers.cardface.locate).
"""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

from drivers.cardface.outline import ASPECT, MIN_CARD_AREA, Corners, order_corners
from drivers.cardface.sides import Line, SideLines, apart, cross

CROSSING_SUPPORT = 0.8  # of the side crossing the pair: it is whole (it is the side away from the glare)
PAIR_SUPPORT = 0.3  # of each side of the pair: the glare may wash out most of it (but all of it is explained)
CROSSING_LINES = 16  # the longest lines tried as the side crossing a pair: a whole side is a long line
WASHED = 0.85  # of the missing side's points that must lie on white (or off the picture)
WHITE = 235  # grey level (half-size, smoothed) of paper and counter lifted together by glare


_ALONG = np.linspace(0.05, 0.95, 64)[:, None]  # points sampled along a side: its rounded ends left out


def _side(p: npt.NDArray[np.float64], q: npt.NDArray[np.float64], bright: npt.NDArray[np.uint8],
          near_edge: npt.NDArray[np.uint8]) -> tuple[float, float]:  # fmt: skip
    """The share of a side's points on edge pixels, and the share that are there or whose absence the
    glare explains: they lie on white, or off the picture."""
    h, w = bright.shape
    pts = np.round(p + (q - p) * _ALONG).astype(int)
    ok = (pts[:, 0] >= 0) & (pts[:, 0] < w) & (pts[:, 1] >= 0) & (pts[:, 1] < h)
    x, y = pts[ok, 0], pts[ok, 1]
    edge = near_edge[y, x] > 0
    seen = int(np.count_nonzero(edge | (bright[y, x] >= WHITE)))
    return int(np.count_nonzero(edge)) / len(pts), (len(pts) - len(x) + seen) / len(pts)


def _along(line: Line) -> npt.NDArray[np.float64]:
    return np.array([-np.sin(line[0]), np.cos(line[0])], np.float64)


def _crossed(found: SideLines, near_edge: npt.NDArray[np.uint8]) -> list[tuple[Line, Line, Line]]:
    """(a, b, c) for each parallel pair (a, b) and long line c that it crosses along a well-supported
    stretch of c: a quick first sieve over all of them at once (numpy, 32 points a side), so that only
    these are checked exactly, one by one."""
    lines = found.lines[:CROSSING_LINES]
    if not found.pairs or not lines:
        return []
    t = np.array([[a[0], b[0]] for a, b in found.pairs], np.float64)[:, None, :]  # (pairs, 1, 2)
    r = np.array([[a[1], b[1]] for a, b in found.pairs], np.float64)[:, None, :]
    tc = np.array([c[0] for c in lines], np.float64)[None, :, None]  # (1, lines, 1)
    rc = np.array([c[1] for c in lines], np.float64)[None, :, None]
    det = np.sin(tc - t)
    safe = np.where(np.abs(det) < 0.3, np.nan, det)
    x = (r * np.sin(tc) - rc * np.sin(t)) / safe  # (pairs, lines, 2): where c meets a and b
    y = (rc * np.cos(t) - r * np.cos(tc)) / safe
    f = np.linspace(0.05, 0.95, 32)[None, None, :]
    px = np.round(x[..., :1] + (x[..., 1:] - x[..., :1]) * f)
    py = np.round(y[..., :1] + (y[..., 1:] - y[..., :1]) * f)
    h, w = near_edge.shape
    with np.errstate(invalid="ignore"):
        inside = (px >= 0) & (px < w) & (py >= 0) & (py < h)
    hit = np.zeros(px.shape, bool)
    hit[inside] = near_edge[py[inside].astype(int), px[inside].astype(int)] > 0
    ok = hit.mean(axis=2) >= CROSSING_SUPPORT - 0.1  # (the exact check follows)
    return [(*found.pairs[k], lines[m]) for k, m in zip(*np.nonzero(ok), strict=True)]


def card_from_three_sides(found: SideLines, grey: npt.NDArray[np.uint8], most: int) -> list[Corners]:
    """Card outlines closed on the card's proportions from a parallel pair of sides and the side crossing
    them, the `most` largest first, in `grey`'s pixels (`found` is from `grey`). Print lines (text rows, the
    footer band, the photo's edges) make many such outlines inside the card, so the card is the outermost;
    the caller tells the rest apart by the layout."""
    scale, near_edge = found.scale, found.near_edge
    sh, sw = near_edge.shape
    small = grey if scale == 1.0 else np.asarray(cv2.resize(grey, (sw, sh), interpolation=cv2.INTER_AREA), np.uint8)
    bright = np.asarray(cv2.GaussianBlur(small, (5, 5), 0), np.uint8)
    scored: list[tuple[float, Corners]] = []  # (area, corners)
    for a, b, c in _crossed(found, near_edge):
        if c is a or c is b or apart(a, c)[0] < np.deg2rad(60):
            continue
        p, q = cross(a, c), cross(b, c)
        if p is None or q is None:
            continue
        if _side(p, q, bright, near_edge)[0] < CROSSING_SUPPORT:
            continue
        ua, ub = _along(a), _along(b)
        if float(ua @ ub) < 0:
            ub = -ub
        length = float(np.linalg.norm(q - p))
        for other in (length * ASPECT, length / ASPECT):
            for sign in (1.0, -1.0):
                p2, q2 = p + sign * other * ua, q + sign * other * ub
                quad = np.array([p, q, q2, p2], np.float32)
                area = float(cv2.contourArea(quad))
                if not MIN_CARD_AREA * sw * sh <= area <= sw * sh:
                    continue
                if not cv2.isContourConvex(quad.reshape(-1, 1, 2)):
                    continue
                if _side(p2, q2, bright, near_edge)[1] < WASHED:  # the missing side: is it washed out?
                    continue
                pair = [_side(u, v, bright, near_edge) for u, v in ((p, p2), (q, q2))]
                if min(on for on, _ in pair) < PAIR_SUPPORT or min(seen for _, seen in pair) < WASHED:
                    continue
                scored.append((area, order_corners(quad)))
    scored.sort(key=lambda s: -s[0])
    out: list[Corners] = []
    for _, quad in scored:
        if all(float(np.abs(quad - other).max()) > 6.0 for other in out):
            out.append(quad)
        if len(out) == most:
            break
    return [np.asarray((quad + 0.5) / scale - 0.5, np.float32) for quad in out]
