"""Finds the card on a plain surface (OpenCV): a scanner's white bed or a plain light counter, and the flat
scan cropped to the card.

On a flatbed the card lies on the lid's white backing, and on a white counter it lies on something about
as light as its own paper: the card's edge may show no step in brightness at all where paper and surface
happen to match, so neither a threshold nor the edge map finds the outline. What does tell them apart is
that the surface is plain (one level, or the smooth slope of the room light) and the card is printed all
over (tint, background pattern, text): everything unlike the surface, in brightness or in colour, is the
card. The surface is what the picture's border shows, when the border fits one plane (a picture cropped
to the card has the card's own margin there instead: tinted, patterned, not the same at top and bottom).
"""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

from drivers.cardface.outline import ASPECT, MIN_CARD_AREA, Corners, blob_corners

BORDER_PX = 4
FLAT = 4.0  # grey levels: the most a scanner's bed varies between the four sides of the picture
UNLIKE = 3.5  # grey or colour levels (after smoothing sensor and JPEG noise) that are not the surface
CLOSE_PX = 25  # closes the gaps where the card's paper matches the surface between its printed parts
CROP_ASPECT_TOLERANCE = 0.08  # a scan cropped to the card has no perspective


def _border(a: npt.NDArray[np.float32]) -> npt.NDArray[np.bool_]:
    edge = np.zeros(a.shape[:2], bool)
    b = BORDER_PX
    edge[:b], edge[-b:], edge[:, :b], edge[:, -b:] = True, True, True, True
    return edge


def _bed_level(grey: npt.NDArray[np.uint8]) -> float | None:
    """The level of a scanner's bed when all four sides of the picture show the same flat grey, else None."""
    b = BORDER_PX
    sides = [grey[:b].ravel(), grey[-b:].ravel(), grey[:, :b].ravel(), grey[:, -b:].ravel()]
    medians = [float(np.median(s)) for s in sides]
    spreads = [float(np.percentile(s, 90) - np.percentile(s, 10)) for s in sides]
    if max(medians) - min(medians) > FLAT or max(spreads) > 2 * FLAT:
        return None
    return float(np.median(np.concatenate(sides)))


def _unlike_plane(a: npt.NDArray[np.float32], edge: npt.NDArray[np.bool_]) -> npt.NDArray[np.float32] | None:
    """|a − the plane fitted to a's border|, or None when the border does not lie on one plane (a shadow, a
    glare spot or a pattern reaches it: not a plain surface)."""
    ys, xs = np.nonzero(edge)
    step = max(1, len(xs) // 4000)
    ys, xs = ys[::step], xs[::step]
    design = np.column_stack([np.ones(len(xs)), xs, ys]).astype(np.float64)
    values = a[ys, xs].astype(np.float64)
    coef, *_ = np.linalg.lstsq(design, values, rcond=None)
    residual = values - design @ coef
    if float(np.percentile(np.abs(residual), 95)) > UNLIKE:
        return None
    h, w = a.shape
    along_x, along_y = np.arange(w, dtype=np.float32)[None, :], np.arange(h, dtype=np.float32)[:, None]
    plane = coef[0] + coef[1] * along_x + coef[2] * along_y
    return np.asarray(np.abs(a - plane), np.float32)


def _chroma(colour: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """How far from grey each pixel is (max − min of its channels): the card's tint against a white surface."""
    return np.asarray(cv2.subtract(colour.max(axis=2), colour.min(axis=2)), np.uint8)


def cropped_to_card(grey: npt.NDArray[np.uint8]) -> list[Corners]:
    """The whole picture when it has the card's proportions and its border is no scanner bed (a scan
    cropped to the card: its border is the card's own margin)."""
    h, w = grey.shape
    if _bed_level(grey) is not None or abs(w / h - ASPECT) > CROP_ASPECT_TOLERANCE * ASPECT:
        return []
    return [np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)]


def card_on_plain(grey: npt.NDArray[np.uint8], colour: npt.NDArray[np.uint8] | None) -> list[Corners]:
    """The card lying on a plain surface that fills the picture's border, or nothing. Found on a half-size
    copy of a big picture (averaging 2 × 2 pixels also halves the noise); the corners are in `grey`'s."""
    scale = 0.5 if max(grey.shape) > 900 else 1.0

    def small(a: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
        return a if scale == 1.0 else np.asarray(cv2.resize(a, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA))

    def smooth(a: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
        return np.asarray(cv2.GaussianBlur(a.astype(np.float32), (0, 0), 2.0 * scale), np.float32)

    luma = smooth(small(grey))
    h, w = luma.shape
    edge = _border(luma)
    unlike = _unlike_plane(luma, edge)
    if unlike is None:
        return []
    if colour is not None and colour.ndim == 3:
        tint = _unlike_plane(smooth(_chroma(small(colour))), edge)
        if tint is not None:
            unlike = np.maximum(unlike, tint)
    mask = np.asarray(unlike > UNLIKE, np.uint8) * 255
    # padded with surface, so that closing cannot join a card lying near the border to the border
    close = round(CLOSE_PX * scale) | 1
    mask = np.asarray(cv2.copyMakeBorder(mask, close, close, close, close, cv2.BORDER_CONSTANT, value=0), np.uint8)
    mask = np.asarray(cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)), np.uint8)
    mask = np.asarray(cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((close, close), np.uint8)), np.uint8)
    mask = mask[close:-close, close:-close]
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return []
    contour = max(contours, key=cv2.contourArea)
    x, y, bw, bh = cv2.boundingRect(contour)
    if x <= 0 or y <= 0 or x + bw >= w or y + bh >= h or cv2.contourArea(contour) < MIN_CARD_AREA * w * h:
        return []  # the card lies within the surface; something reaching the border is not a card on it
    inside = np.zeros_like(mask)
    cv2.drawContours(inside, [contour], -1, 255, thickness=-1)
    corners, _ = blob_corners(contour, inside)
    return [] if corners is None else [np.asarray((corners + 0.5) / scale - 0.5, np.float32)]
