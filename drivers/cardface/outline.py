"""Four card corners from an outline (OpenCV): simplified, squared off where the corners are rounded, and
checked for the card's proportions. Shared by every way the locator finds a card (drivers.cardface.locate).
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from drivers.cardface import layout

Corners = npt.NDArray[np.float32]  # top-left, top-right, bottom-right, bottom-left

ASPECT = layout.CARD_MM[0] / layout.CARD_MM[1]
ASPECT_TOLERANCE = 0.25  # perspective from a camera above the reader changes the ratio a little
MIN_CARD_AREA = 0.08  # of the picture: smaller than this is not a card on the reader (or the scanner)


def card_proportions(corners: Corners, tolerance: float = ASPECT_TOLERANCE) -> bool:
    """Whether ordered corners have the ID-1 card's long-to-short side ratio (within `tolerance` of it)."""
    top = np.linalg.norm(corners[1] - corners[0]) + np.linalg.norm(corners[2] - corners[3])
    side = np.linalg.norm(corners[3] - corners[0]) + np.linalg.norm(corners[2] - corners[1])
    return bool(side > 0 and abs(top / side - ASPECT) <= tolerance * ASPECT)


def order_corners(pts: Corners) -> Corners:
    """Top-left, top-right, bottom-right, bottom-left, with the long side as the top edge."""
    centre = pts.mean(axis=0)
    angles = np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0])
    pts = pts[np.argsort(angles)]  # clockwise in image coordinates, starting anywhere
    start = int(np.argmin(pts.sum(axis=1)))  # nearest the picture's top left
    pts = np.roll(pts, -start, axis=0)
    if np.linalg.norm(pts[1] - pts[0]) < np.linalg.norm(pts[3] - pts[0]):
        pts = np.roll(pts, -1, axis=0)  # the card stands on its short side: turn a quarter
    return pts.astype(np.float32)


def four_corners(contour: npt.NDArray[Any], *, box_fallback: bool) -> Corners | None:
    """The outline's hull simplified to four corners (else its minimum-area box, when allowed), with the sides
    fitted to the outline's own points."""
    hull = cv2.convexHull(contour)
    perimeter = cv2.arcLength(hull, True)
    quad = None
    for eps in (0.01, 0.02, 0.03, 0.05):
        approx = cv2.approxPolyDP(hull, eps * perimeter, True)
        if len(approx) == 4:
            quad = approx.reshape(4, 2).astype(np.float32)
            break
    if quad is None:
        if not box_fallback:
            return None
        quad = cv2.boxPoints(cv2.minAreaRect(contour)).astype(np.float32)
    return fit_sides(contour.reshape(-1, 2).astype(np.float32), order_corners(quad))


def quad_of(contour: npt.NDArray[Any], edge_based: bool = False) -> Corners | None:
    """Four card corners fitted to an outline, or None when the outline is not card-shaped."""
    area = cv2.contourArea(cv2.convexHull(contour))
    quad = four_corners(contour, box_fallback=not edge_based)
    if quad is None:
        return None
    if cv2.contourArea(quad) < 0.9 * area or cv2.contourArea(quad) > 1.1 * area:
        return None
    corners = order_corners(quad)
    return corners if card_proportions(corners) else None


def blob_corners(contour: npt.NDArray[Any], inside: npt.NDArray[np.uint8]) -> tuple[Corners | None, str]:
    """The card's corners when a blob (`contour`, filled in `inside`) is the card, else None and why not.

    The blob must fill its fitted four sides (a shadowed corner may be missing from it) and nothing of it
    may stick out of them (a glare patch or a paper on the surface joined to the card does).
    """
    area = cv2.contourArea(contour)
    quad = four_corners(contour, box_fallback=True)
    assert quad is not None  # the box fallback always gives four corners
    if cv2.contourArea(quad) < 0.85 * area:
        return None, "is not card-shaped"
    filled = np.zeros_like(inside)
    cv2.fillPoly(filled, [quad.astype(np.int32)], 255)
    outside = int(np.count_nonzero((inside > 0) & (filled == 0)))
    if outside > 0.02 * np.count_nonzero(inside):
        return None, "is not card-shaped (it does not fill four straight sides)"
    corners = order_corners(quad)
    if not card_proportions(corners):
        return None, "does not have a card's proportions"
    return corners, ""


def fit_sides(points: Corners, quad: Corners) -> Corners:
    """Sharp corners from lines fitted to the middle of each side: the card's corners are rounded, so
    the polygon's own vertices sit inside them and would tilt the rectified layout."""
    lines = []
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        length = float(np.linalg.norm(b - a))
        if length < 1:
            return quad
        u = (b - a) / length
        rel = points - a
        along = rel @ u / length
        across = np.abs(rel @ np.array([-u[1], u[0]], np.float32))
        side = points[(along > 0.15) & (along < 0.85) & (across < 0.03 * length + 3)]
        if len(side) < 10:
            return quad
        vx, vy, x0, y0 = cv2.fitLine(side, cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
        for _ in range(3):  # drop points off the line (a shadow eating into one end of a side) and refit
            residual = np.abs((side[:, 0] - x0) * vy - (side[:, 1] - y0) * vx)
            keep = side[residual < 2.5]
            if len(keep) < 10 or len(keep) == len(side):
                break
            side = keep
            vx, vy, x0, y0 = cv2.fitLine(side, cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
        lines.append((np.array([x0, y0], np.float64), np.array([vx, vy], np.float64)))
    corners = []
    for i in range(4):
        (p1, d1), (p2, d2) = lines[i - 1], lines[i]
        m = np.array([d1, -d2]).T
        if abs(np.linalg.det(m)) < 1e-6:
            return quad
        t = np.linalg.solve(m, p2 - p1)
        corners.append(p1 + t[0] * d1)
    return np.array(corners, np.float32)
