"""Finds the card by its four straight sides (OpenCV), where its outline is not closed: under strong glare
the card's edge is lost where the glare spot washes out card and counter alike, so neither a threshold nor
a closed edge contour gives it. The sides that remain are long straight edge segments; two roughly
parallel pairs of them, crossing, give the card's corners even where a stretch of a side is missing.
A quadrilateral is kept when it has the card's proportions and edge pixels along most of its perimeter;
the card is the outermost of those (the footer band makes a smaller rectangle inside it), or the one
with the most of its perimeter on edges.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from drivers.cardface.outline import ASPECT, MIN_CARD_AREA, Corners, card_proportions, order_corners

Line = tuple[float, float, float]  # (angle of the normal in radians 0..π, distance from the origin, support px)

MIN_SUPPORT = 0.6  # of the perimeter that must lie on edge pixels
MAX_LINES = 14  # the longest merged lines considered (their pairs of pairs are tried)
# tighter than for a closed outline: straight lines are everywhere on the card, and its photo (a portrait
# rectangle, 1.27 : 1) must not pass for the card (1.585 : 1)
SIDES_ASPECT_TOLERANCE = 0.15


def _lines(edges: npt.NDArray[np.uint8], most: int = MAX_LINES) -> list[Line]:
    """Straight edge segments merged into lines (same direction and place), longest support first."""
    h, w = edges.shape
    segments = cv2.HoughLinesP(edges, 1, np.pi / 360, threshold=30, minLineLength=0.08 * max(h, w), maxLineGap=6)
    merged: list[list[float]] = []
    for x0, y0, x1, y1 in ([] if segments is None else segments.reshape(-1, 4)):
        theta = float(np.arctan2(x1 - x0, -(y1 - y0))) % np.pi  # the normal's direction
        rho = float(x0 * np.cos(theta) + y0 * np.sin(theta))
        length = float(np.hypot(x1 - x0, y1 - y0))
        for line in merged:
            angle, gap = apart((line[0], line[1], 0.0), (theta, rho, 0.0))
            if angle < np.deg2rad(3) and gap < 6:
                line[2] += length
                break
        else:
            merged.append([theta, rho, length])
    merged.sort(key=lambda line: -line[2])
    return [(t, r, s) for t, r, s in merged[:most]]


def cross(a: Line, b: Line) -> npt.NDArray[np.float64] | None:
    m = np.array([[np.cos(a[0]), np.sin(a[0])], [np.cos(b[0]), np.sin(b[0])]])
    if abs(np.linalg.det(m)) < 0.3:  # nearly parallel
        return None
    return np.asarray(np.linalg.solve(m, np.array([a[1], b[1]])), np.float64)


def apart(a: Line, b: Line) -> tuple[float, float]:
    """(angle between the lines in radians, their distance): a normal near 0 and one near π are the same
    direction with rho of opposite sign."""
    d = abs(a[0] - b[0])
    if d > np.pi / 2:
        return np.pi - d, abs(a[1] + b[1])
    return d, abs(a[1] - b[1])


def _parallel(a: Line, b: Line) -> bool:
    angle, gap = apart(a, b)
    return angle < np.deg2rad(12) and gap > 20


def support_of(quad: Corners, near_edge: npt.NDArray[np.uint8]) -> float:
    """The fraction of points along the quadrilateral's sides that lie on (dilated) edge pixels; points
    outside the picture count as missing."""
    h, w = near_edge.shape
    hits = total = 0
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        n = max(2, int(np.linalg.norm(b - a) / 3))
        t = np.linspace(0.05, 0.95, n)[:, None]  # the rounded corners are no straight edge
        pts = np.round(a + (b - a) * t).astype(int)
        ok = (pts[:, 0] >= 0) & (pts[:, 0] < w) & (pts[:, 1] >= 0) & (pts[:, 1] < h)
        hits += int(np.count_nonzero(near_edge[pts[ok, 1], pts[ok, 0]]))
        total += n
    return hits / max(1, total)


def _card_shaped(pairs: list[tuple[Line, Line]], picture_area: float) -> list[tuple[int, int]]:
    """The (i, j) with i < j for which pairs i and j cross in a convex quadrilateral of about the card's
    size and proportions: a quick, slightly loose first sieve over all pairs of pairs at once (numpy), so
    that only these are checked exactly, one by one."""
    if len(pairs) < 2:
        return []
    t = np.array([[a[0], b[0]] for a, b in pairs], np.float64)  # normals' angles of each pair's two lines
    r = np.array([[a[1], b[1]] for a, b in pairs], np.float64)
    i, j = np.triu_indices(len(pairs), 1)

    def meet(t1: npt.NDArray[np.float64], r1: npt.NDArray[np.float64], t2: npt.NDArray[np.float64],
             r2: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:  # fmt: skip
        det = np.sin(t2 - t1)
        safe = np.where(np.abs(det) < 0.3, np.nan, det)  # nearly parallel: no corner (as `cross`)
        return np.stack([(r1 * np.sin(t2) - r2 * np.sin(t1)) / safe,
                         (r2 * np.cos(t1) - r1 * np.cos(t2)) / safe], axis=-1), np.abs(det)  # fmt: skip

    a, b, c, d = (t[i, 0], r[i, 0]), (t[i, 1], r[i, 1]), (t[j, 0], r[j, 0]), (t[j, 1], r[j, 1])
    corners = [meet(*a, *c)[0], meet(*c, *b)[0], meet(*b, *d)[0], meet(*d, *a)[0]]
    quad = np.stack(corners, axis=1)  # (combinations, 4, 2), in order round the quadrilateral
    edge = np.roll(quad, -1, axis=1) - quad
    turns = edge[:, :, 0] * np.roll(edge, -1, axis=1)[:, :, 1] - edge[:, :, 1] * np.roll(edge, -1, axis=1)[:, :, 0]
    area = 0.5 * np.abs(np.sum(quad[:, :, 0] * np.roll(quad, -1, axis=1)[:, :, 1]
                               - np.roll(quad, -1, axis=1)[:, :, 0] * quad[:, :, 1], axis=1))  # fmt: skip
    length = np.linalg.norm(edge, axis=2)
    one, other = length[:, 0] + length[:, 2], length[:, 1] + length[:, 3]
    ratio = np.maximum(one, other) / np.maximum(np.minimum(one, other), 1e-9)
    with np.errstate(invalid="ignore"):
        ok = ((np.all(turns > 0, axis=1) | np.all(turns < 0, axis=1))
              & (area >= 0.95 * MIN_CARD_AREA * picture_area) & (area <= 1.05 * picture_area)
              & (np.abs(ratio - ASPECT) <= (SIDES_ASPECT_TOLERANCE + 0.02) * ASPECT))  # fmt: skip
    return [(int(x), int(y)) for x, y in zip(i[ok], j[ok], strict=True)]


@dataclass(frozen=True)
class SideLines:
    """The straight edges of a (half-size) picture: what both the four-sided and the three-sided finders
    (drivers.cardface.threesides) work from."""

    scale: float  # of `edges` to the picture
    edges: npt.NDArray[np.uint8]
    near_edge: npt.NDArray[np.uint8]  # edges dilated: a side's points count as on an edge within 2 px
    lines: list[Line]
    pairs: list[tuple[Line, Line]]  # the roughly parallel pairs of `lines`


def side_lines(grey: npt.NDArray[np.uint8], canny: tuple[int, int] = (20, 60), most: int = MAX_LINES,
               most_pairs: int | None = None, busy: float = 1.0) -> SideLines:  # fmt: skip
    """The `most` longest straight edges (Canny thresholds `canny`), found on a half-size copy of a big
    picture, and their parallel pairs (the `most_pairs` whose shorter line is longest: a tiled or striped
    counter has parallel lines without end, and the quadrilaterals tried grow with the pairs squared).
    No lines when more than `busy` of the picture is edges: a patterned counter's, not a card's outline."""
    h, w = grey.shape
    scale = 0.5 if max(h, w) > 900 else 1.0
    small = grey if scale == 1.0 else np.asarray(cv2.resize(grey, None, fx=scale, fy=scale,
                                                            interpolation=cv2.INTER_AREA), np.uint8)  # fmt: skip
    blurred = np.asarray(cv2.GaussianBlur(small, (5, 5), 0), np.uint8)
    edges = np.asarray(cv2.Canny(blurred, *canny), np.uint8)
    near_edge = np.asarray(cv2.dilate(edges, np.ones((5, 5), np.uint8)), np.uint8)
    if np.count_nonzero(edges) > busy * edges.size:
        return SideLines(scale, edges, near_edge, [], [])
    lines = _lines(edges, most)
    pairs = [(a, b) for a, b in itertools.combinations(lines, 2) if _parallel(a, b)]
    if most_pairs is not None:
        pairs = sorted(pairs, key=lambda ab: -min(ab[0][2], ab[1][2]))[:most_pairs]
    return SideLines(scale, edges, near_edge, lines, pairs)


def card_from_sides(found: SideLines) -> list[Corners]:
    """The outermost well-supported card-shaped quadrilateral of straight edges and, when another, the best
    supported one, in the picture's pixels."""
    near_edge, scale = found.near_edge, found.scale
    sh, sw = near_edge.shape
    best: list[tuple[float, float, Corners]] = []  # (support, area, corners)
    for i, j in _card_shaped(found.pairs, sw * sh):
        (a, b), (c, d) = found.pairs[i], found.pairs[j]
        if apart(a, c)[0] < np.deg2rad(45):  # the two pairs of sides must cross
            continue
        corners = [cross(a, c), cross(c, b), cross(b, d), cross(d, a)]
        if any(p is None for p in corners):
            continue
        quad = order_corners(np.array(corners, np.float32))
        area = float(cv2.contourArea(quad))
        if area < MIN_CARD_AREA * sw * sh or area > sw * sh or not card_proportions(quad, SIDES_ASPECT_TOLERANCE):
            continue
        if not cv2.isContourConvex(quad.reshape(-1, 1, 2)):
            continue
        support = support_of(quad, near_edge)
        if support >= MIN_SUPPORT:
            best.append((support, area, quad))
    if not best:
        return []
    top = max(s for s, _, _ in best)
    outermost = max((b for b in best if b[0] >= 0.85 * top), key=lambda b: b[1])[2]
    surest = max(best, key=lambda b: b[0])[2]
    picked = [outermost] if surest is outermost else [outermost, surest]
    return [np.asarray((quad + 0.5) / scale - 0.5, np.float32) for quad in picked]
