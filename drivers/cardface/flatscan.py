"""Finds the card in the flat image a document scanner gives (OpenCV): the card on the scanner's white bed,
or the picture cropped to the card.

On a flatbed the card lies on the lid's white backing, which is about as light as the card's own paper:
the card's edge may show no step in brightness at all where paper and lid happen to match. What does tell
them apart is that the bed is flat and colourless while the card is printed all over (tint, background
pattern, text): everything unlike the bed, in brightness or in colour, is the card. The bed is what the
picture's border shows, when the border is flat and the same on all four sides (a picture cropped to the
card has the card's own margin there, which is not the same at top and bottom).
"""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

from drivers.cardface.outline import ASPECT, MIN_CARD_AREA, Corners, card_proportions, four_corners

BORDER_PX = 4
BED_FLAT = 4.0  # grey levels: the largest spread of the bed within a side and between the sides' medians
UNLIKE_BED = 3.5  # grey or colour levels (after smoothing sensor and JPEG noise) that are not the bed
CLOSE_PX = 25  # closes the gaps where the card's paper matches the bed between its printed parts
SCAN_ASPECT_TOLERANCE = 0.08  # a scan has no perspective: only the hand's few degrees of turn and the box


def _sides(a: npt.NDArray[np.uint8]) -> list[npt.NDArray[np.uint8]]:
    b = BORDER_PX
    return [a[:b].ravel(), a[-b:].ravel(), a[:, :b].ravel(), a[:, -b:].ravel()]


def _bed_level(a: npt.NDArray[np.uint8]) -> float | None:
    """The bed's level in `a` when all four borders show the same flat surface, else None."""
    sides = _sides(a)
    medians = [float(np.median(s)) for s in sides]
    spreads = [float(np.percentile(s, 90) - np.percentile(s, 10)) for s in sides]
    if max(medians) - min(medians) > BED_FLAT or max(spreads) > 2 * BED_FLAT:
        return None
    return float(np.median(np.concatenate(sides)))


def _chroma(colour: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    wide = colour.astype(np.int16)
    return np.asarray(wide.max(axis=2) - wide.min(axis=2), np.uint8)


def cropped_to_card(grey: npt.NDArray[np.uint8]) -> list[Corners]:
    """The whole picture when it has the card's proportions and its border is no bed (a scan cropped to the
    card: its border is the card's own margin)."""
    h, w = grey.shape
    if _bed_level(grey) is not None or abs(w / h - ASPECT) > SCAN_ASPECT_TOLERANCE * ASPECT:
        return []
    return [np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)]


def card_on_bed(grey: npt.NDArray[np.uint8], colour: npt.NDArray[np.uint8] | None) -> list[Corners]:
    """The card lying on a flat, even bed (the border of the picture), or nothing."""
    h, w = grey.shape
    bed = _bed_level(grey)
    if bed is None:
        return []
    smooth = cv2.GaussianBlur(grey.astype(np.float32), (0, 0), 2.0)
    unlike = np.abs(smooth - bed)
    if colour is not None and colour.ndim == 3:
        chroma = _chroma(colour)
        bed_chroma = float(np.median(np.concatenate(_sides(chroma))))
        unlike = np.maximum(unlike, np.abs(cv2.GaussianBlur(chroma.astype(np.float32), (0, 0), 2.0) - bed_chroma))
    mask = np.asarray(unlike > UNLIKE_BED, np.uint8) * 255
    # padded with bed, so that closing cannot join a card lying near the border to the border
    pad = CLOSE_PX
    mask = np.asarray(cv2.copyMakeBorder(mask, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=0), np.uint8)
    mask = np.asarray(cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8)), np.uint8)
    mask = np.asarray(cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((CLOSE_PX, CLOSE_PX), np.uint8)), np.uint8)
    mask = mask[pad:-pad, pad:-pad]
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return []
    contour = max(contours, key=cv2.contourArea)
    x, y, bw, bh = cv2.boundingRect(contour)
    if x <= 0 or y <= 0 or x + bw >= w or y + bh >= h or bw * bh < MIN_CARD_AREA * w * h:
        return []  # the card lies within the bed; something touching the border is not a card on it
    corners = four_corners(contour, box_fallback=True)
    if corners is None or not card_proportions(corners, SCAN_ASPECT_TOLERANCE):
        return []
    return [corners]
