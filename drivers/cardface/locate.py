"""Finds the card in a picture from the document camera and rectifies it to the layout grid (OpenCV).

Three ways to find the ID-1 rectangle, tried in turn: (1) a light card on a darker counter — Otsu
threshold, the largest contour; (2) any counter (white, patterned, cluttered) — the card's outline in the
edge map, the largest card-shaped closed outline; (3) a flat scanner image that is the card — the whole
picture when it has the card's proportions. An outline is simplified to four corners (a minimum-area
rectangle when the corners are too rounded or damaged to give four), then warped to 1011 × 638. A card
photographed upside down is turned the right way up by where the photo is (it is the darkest, most
uniform large block, on the right).
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from drivers.cardface import layout
from kiosk.errors import CardFaceUnreadable

GreyImage = npt.NDArray[np.uint8]

MIN_CARD_AREA = 0.08  # of the picture: smaller than this is not a card on the reader
ASPECT = layout.CARD_MM[0] / layout.CARD_MM[1]
ASPECT_TOLERANCE = 0.25  # perspective from a camera above the reader changes the ratio a little


def _order_corners(pts: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Top-left, top-right, bottom-right, bottom-left, with the long side as the top edge."""
    centre = pts.mean(axis=0)
    angles = np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0])
    pts = pts[np.argsort(angles)]  # clockwise in image coordinates, starting anywhere
    start = int(np.argmin(pts.sum(axis=1)))  # nearest the picture's top left
    pts = np.roll(pts, -start, axis=0)
    if np.linalg.norm(pts[1] - pts[0]) < np.linalg.norm(pts[3] - pts[0]):
        pts = np.roll(pts, -1, axis=0)  # the card stands on its short side: turn a quarter
    return pts.astype(np.float32)


def card_candidates(grey: GreyImage) -> list[npt.NDArray[np.float32]]:
    """Distinct card outlines, likeliest first; CardFaceUnreadable when there is none.

    Otsu's threshold first; a shadow across the card or a bright patch of the surface can join card and
    surface or cut a corner off, so stricter and looser thresholds are tried as well. The reader uses a
    later outline only when the first gives no legible fields.
    """
    if float(grey.std()) < 8.0:
        raise CardFaceUnreadable("no card in the picture (no contrast)")
    # (the threshold outlines first: on a dark counter they are the exact card, and cheapest)
    blurred = np.asarray(cv2.GaussianBlur(grey, (5, 5), 0), np.uint8)
    otsu, _ = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    first: CardFaceUnreadable | None = None
    found: list[npt.NDArray[np.float32]] = []
    for offset in (0, 25, 50, -20, -40):
        level = float(np.clip(otsu + offset, 1, 254))
        mask = np.asarray(cv2.threshold(blurred, level, 255, cv2.THRESH_BINARY)[1], np.uint8)
        try:
            corners = _card_in_mask(grey, mask)
        except CardFaceUnreadable as exc:
            first = first or exc
            continue
        if all(float(np.abs(corners - other).max()) > 6.0 for other in found):
            found.append(corners)
    for corners in _edge_candidates(grey) + _whole_picture(grey):
        if all(float(np.abs(corners - other).max()) > 6.0 for other in found):
            found.append(corners)
    if not found:
        assert first is not None
        raise first
    return found


def _edge_candidates(grey: GreyImage) -> list[npt.NDArray[np.float32]]:
    """Card-shaped closed outlines in the edge map, largest first: the card's border against any counter
    (a white card on a white counter still has an edge: its rim, a shadow line). Run on a half-size copy."""
    h, w = grey.shape
    scale = 0.5 if max(h, w) > 900 else 1.0
    small = np.asarray(cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA), np.uint8) \
        if scale != 1.0 else grey
    blurred = np.asarray(cv2.GaussianBlur(small, (5, 5), 0), np.uint8)
    out: list[npt.NDArray[np.float32]] = []
    for low, high in ((20, 60), (40, 120)):
        edges = np.asarray(cv2.Canny(blurred, low, high), np.uint8)
        edges = np.asarray(cv2.dilate(edges, np.ones((3, 3), np.uint8)), np.uint8)
        contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
        sh, sw = small.shape
        big = [c for c in contours if MIN_CARD_AREA * sw * sh <= cv2.contourArea(cv2.convexHull(c)) <= 0.97 * sw * sh]
        for contour in sorted(big, key=lambda c: -cv2.contourArea(cv2.convexHull(c)))[:8]:
            corners = _quad_of(contour, edge_based=True)
            if corners is not None:
                out.append((corners / scale).astype(np.float32))
                break
    return out


def _four_corners(contour: npt.NDArray[Any], *, box_fallback: bool) -> npt.NDArray[np.float32] | None:
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
    return _fit_sides(contour.reshape(-1, 2).astype(np.float32), _order_corners(quad))


def _quad_of(contour: npt.NDArray[Any], edge_based: bool = False) -> npt.NDArray[np.float32] | None:
    """Four card corners fitted to an outline, or None when the outline is not card-shaped."""
    area = cv2.contourArea(cv2.convexHull(contour))
    quad = _four_corners(contour, box_fallback=not edge_based)
    if quad is None:
        return None
    if cv2.contourArea(quad) < 0.9 * area or cv2.contourArea(quad) > 1.1 * area:
        return None
    corners = _order_corners(quad)
    top = np.linalg.norm(corners[1] - corners[0]) + np.linalg.norm(corners[2] - corners[3])
    side = np.linalg.norm(corners[3] - corners[0]) + np.linalg.norm(corners[2] - corners[1])
    if side == 0 or abs(top / side - ASPECT) > ASPECT_TOLERANCE * ASPECT:
        return None
    return corners


def _whole_picture(grey: GreyImage) -> list[npt.NDArray[np.float32]]:
    """A scanner image: straight, so the card is the axis-aligned box of everything unlike the bed (the
    picture's border), or the picture itself when it is cropped to the card."""
    h, w = grey.shape
    if abs(w / h - ASPECT) <= 0.08 * ASPECT:  # cropped to the card (the card's own margin is no bed)
        return [np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)]
    out = []
    border = np.concatenate([grey[:4].ravel(), grey[-4:].ravel(), grey[:, :4].ravel(), grey[:, -4:].ravel()])
    bed = float(np.median(border))
    unlike = np.asarray(np.abs(grey.astype(np.int16) - bed) > 12, np.uint8)
    unlike = np.asarray(cv2.morphologyEx(unlike, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8)), np.uint8)
    points = cv2.findNonZero(unlike)
    if points is not None and float(np.std(border)) < 10.0:
        x, y, bw, bh = cv2.boundingRect(points)
        if bh and abs(bw / bh - ASPECT) <= 0.08 * ASPECT and bw * bh >= MIN_CARD_AREA * w * h:
            out.append(np.array([[x, y], [x + bw - 1, y], [x + bw - 1, y + bh - 1], [x, y + bh - 1]], np.float32))
    return out


def _card_in_mask(grey: GreyImage, mask: GreyImage) -> npt.NDArray[np.float32]:
    h, w = grey.shape
    mask = np.asarray(cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8)), np.uint8)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    if not contours:
        raise CardFaceUnreadable("no card in the picture")
    contour = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(contour)
    if area < MIN_CARD_AREA * w * h:
        raise CardFaceUnreadable("no card in the picture (largest light object too small)")
    if area > 0.9 * w * h:
        raise CardFaceUnreadable("no card in the picture (nothing stands out from the surface)")
    inside = np.zeros_like(mask)
    cv2.drawContours(inside, [contour], -1, 255, thickness=-1)
    if float(grey[inside > 0].mean()) - float(grey[inside == 0].mean()) < 40.0:
        raise CardFaceUnreadable("no card in the picture (no light card on a darker surface)")
    quad = _four_corners(contour, box_fallback=True)
    assert quad is not None  # the box fallback always gives four corners
    if cv2.contourArea(quad) < 0.85 * area:
        raise CardFaceUnreadable("the light object is not card-shaped")
    filled = np.zeros_like(mask)
    cv2.fillPoly(filled, [quad.astype(np.int32)], 255)
    # the light object must lie within the fitted card (a shadowed corner may be missing from it, but a
    # glare patch on the surface joined to the card sticks out)
    outside = int(np.count_nonzero((inside > 0) & (filled == 0)))
    if outside > 0.02 * np.count_nonzero(inside):
        raise CardFaceUnreadable("the light object is not card-shaped (it does not fill four straight sides)")
    corners = _order_corners(quad)
    top = np.linalg.norm(corners[1] - corners[0]) + np.linalg.norm(corners[2] - corners[3])
    side = np.linalg.norm(corners[3] - corners[0]) + np.linalg.norm(corners[2] - corners[1])
    if side == 0 or abs(top / side - ASPECT) > ASPECT_TOLERANCE * ASPECT:
        raise CardFaceUnreadable("the light object does not have a card's proportions")
    return corners


def _fit_sides(points: npt.NDArray[np.float32], quad: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
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


def _photo_darkness(card: GreyImage) -> float:
    """How much darker the photo box is than the paper right around it (robust to shadow gradients)."""
    x0, y0, x1, y1 = layout.PHOTO.px()
    h, w = card.shape
    around = card[max(0, y0 - 30) : min(h, y1 + 30), max(0, x0 - 60) : min(w, x1 + 40)]
    paper = float(np.percentile(around, 95)) + 1.0
    return 1.0 - float(np.median(card[y0:y1, x0:x1])) / paper


def rectify_both(grey: GreyImage, corners: npt.NDArray[np.float32]) -> tuple[GreyImage, GreyImage]:
    """The card warped to the layout grid both ways up, the likelier way (by the photo) first."""
    w, h = layout.CARD_PX
    target = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(corners, target)
    card = np.asarray(cv2.warpPerspective(grey, m, (w, h), flags=cv2.INTER_AREA), np.uint8)
    turned = np.asarray(cv2.rotate(card, cv2.ROTATE_180), np.uint8)
    if _photo_darkness(turned) > _photo_darkness(card):
        return turned, card
    return card, turned


def to_grey(image: npt.NDArray[np.uint8]) -> GreyImage:
    if image.ndim == 2:
        return image
    return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), np.uint8)


def load_image(path: str) -> npt.NDArray[np.uint8]:
    """A picture file as BGR; CardFaceUnreadable when it is not a picture OpenCV can decode."""
    data = np.fromfile(path, dtype=np.uint8)
    image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if image is None:
        raise CardFaceUnreadable(f"not a readable picture: {path}")
    return np.asarray(image, dtype=np.uint8)
