"""Finds the card in a picture from the document camera or a scanner and rectifies it to the layout grid
(OpenCV).

Several ways to find the ID-1 rectangle, their outlines pooled: (1) the card on a plain surface, a
scanner's bed or a white counter (drivers.cardface.plain); (2) a light card on a darker counter — Otsu
threshold, the largest contour; (3) any counter (white, patterned, cluttered) — the card's outline in the
edge map, the largest card-shaped closed outline; (4) under glare that breaks the outline, its four
straight sides (drivers.cardface.sides); (5) a flat scanner image that is the card — the whole picture
when it has the card's proportions. An outline is simplified to four corners (drivers.cardface.outline),
then warped to 1011 × 638. A card photographed upside down is turned the right way up by where the photo
is (it is the darkest, most uniform large block, on the right).
"""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

from drivers.cardface import layout
from drivers.cardface.outline import MIN_CARD_AREA, Corners, blob_corners, quad_of
from drivers.cardface.plain import card_on_plain, cropped_to_card
from drivers.cardface.sides import card_from_sides, side_lines
from drivers.cardface.threesides import card_from_three_sides
from kiosk.errors import CardFaceUnreadable

GreyImage = npt.NDArray[np.uint8]


def card_candidates(grey: GreyImage, colour: npt.NDArray[np.uint8] | None = None) -> list[Corners]:
    """Distinct card outlines, likeliest first; CardFaceUnreadable when there is none.

    Otsu's threshold first; a shadow across the card or a bright patch of the surface can join card and
    surface or cut a corner off, so stricter and looser thresholds are tried as well. The reader uses a
    later outline only when the first gives no legible fields. An outline inside another one is a part
    of the card (its photo is a card-shaped rectangle too) and goes after it.
    """
    if float(grey.std()) < 8.0:
        raise CardFaceUnreadable("no card in the picture (no contrast)")
    found: list[Corners] = []

    def add(corners: Corners) -> None:
        if all(float(np.abs(corners - other).max()) > 6.0 for other in found):
            found.append(corners)

    for corners in card_on_plain(grey, colour):  # a plain surface (a scanner bed) is unmistakable
        add(corners)
    # (the threshold outlines next: on a dark counter they are the exact card, and cheapest)
    blurred = np.asarray(cv2.GaussianBlur(grey, (5, 5), 0), np.uint8)
    otsu, _ = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    first: CardFaceUnreadable | None = None
    for offset in (0, 25, 50, -20, -40):
        level = float(np.clip(otsu + offset, 1, 254))
        mask = np.asarray(cv2.threshold(blurred, level, 255, cv2.THRESH_BINARY)[1], np.uint8)
        try:
            add(_card_in_mask(grey, mask))
        except CardFaceUnreadable as exc:
            first = first or exc
    for corners in _edge_candidates(grey) + card_from_sides(side_lines(grey)) + cropped_to_card(grey):
        add(corners)
    if not found:
        raise first or CardFaceUnreadable("no card in the picture")
    return _outer_first(found)


# A second look, for when no outline above gave legible fields: the card's edge against a light counter under
# glare is faint (weaker edges, more lines, kept apart from the print's own lines only by the card's shape), or
# gone along one side. Slower, so only then.
FAINT_CANNY = (10, 30)
FAINT_LINES = 24
FAINT_PAIRS = 120
FAINT_BUSY = 0.1  # of the picture in edges: a patterned counter (wood, tiles, cloth) has more, a card 2–7 %
MAX_THREE_SIDED = 8


def faint_candidates(grey: GreyImage) -> list[Corners]:
    """Card outlines from faint straight edges, and outlines closed from three sides (the fourth washed out
    by glare); possibly none. Ranked by the caller (by the layout fit): many are a part of the card."""
    faint = side_lines(grey, FAINT_CANNY, FAINT_LINES, FAINT_PAIRS, FAINT_BUSY)
    return card_from_sides(faint) + card_from_three_sides(faint, grey, MAX_THREE_SIDED)


def _inside(inner: Corners, outer: Corners) -> bool:
    """Whether `inner` lies within `outer` (a few pixels of slack) and is clearly smaller."""
    if cv2.contourArea(inner) > 0.7 * cv2.contourArea(outer):
        return False
    polygon = outer.reshape(-1, 1, 2)
    return all(cv2.pointPolygonTest(polygon, (float(x), float(y)), True) > -4.0 for x, y in inner)


def _outer_first(found: list[Corners]) -> list[Corners]:
    """The outlines in their order, but each one lying inside another after all that do not (stable)."""
    nested = [any(_inside(c, other) for other in found if other is not c) for c in found]
    pairs = list(zip(found, nested, strict=True))
    return [c for c, n in pairs if not n] + [c for c, n in pairs if n]


def _edge_candidates(grey: GreyImage) -> list[Corners]:
    """Card-shaped closed outlines in the edge map, largest first: the card's border against any counter
    (a white card on a white counter still has an edge: its rim, a shadow line). Run on a half-size copy."""
    h, w = grey.shape
    scale = 0.5 if max(h, w) > 900 else 1.0
    small = np.asarray(cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA), np.uint8) \
        if scale != 1.0 else grey
    blurred = np.asarray(cv2.GaussianBlur(small, (5, 5), 0), np.uint8)
    out: list[Corners] = []
    for low, high in ((20, 60), (40, 120)):
        edges = np.asarray(cv2.Canny(blurred, low, high), np.uint8)
        edges = np.asarray(cv2.dilate(edges, np.ones((3, 3), np.uint8)), np.uint8)
        contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
        sh, sw = small.shape
        big = [c for c in contours if MIN_CARD_AREA * sw * sh <= cv2.contourArea(cv2.convexHull(c)) <= 0.97 * sw * sh]
        for contour in sorted(big, key=lambda c: -cv2.contourArea(cv2.convexHull(c)))[:8]:
            corners = quad_of(contour, edge_based=True)
            if corners is not None:
                out.append((corners / scale).astype(np.float32))
                break
    return out


def _card_in_mask(grey: GreyImage, mask: GreyImage) -> Corners:
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
    corners, problem = blob_corners(contour, inside)
    if corners is None:
        raise CardFaceUnreadable(f"the light object {problem}")
    return corners


def _photo_darkness(card: GreyImage) -> float:
    """How much darker the photo box is than the paper right around it (robust to shadow gradients)."""
    x0, y0, x1, y1 = layout.PHOTO.px()
    h, w = card.shape
    around = card[max(0, y0 - 30) : min(h, y1 + 30), max(0, x0 - 60) : min(w, x1 + 40)]
    paper = float(np.percentile(around, 95)) + 1.0
    return 1.0 - float(np.median(card[y0:y1, x0:x1])) / paper


def rectify_both(grey: GreyImage, corners: Corners) -> tuple[GreyImage, GreyImage]:
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
