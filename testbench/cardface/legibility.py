"""How legible the generated picture leaves the fields the reader needs, measured on the picture itself.

Strong glare lifts print and paper alike towards white; where it saturates both over a field, no reader
(camera app, person at the counter) can recover the digits from that picture, and the right answer is a
re-scan. The eval counts such cards apart (they are no failure of the reader, and a reader reading them
would be guessing). The measure: the picture (before blur, sensor noise and JPEG, which any reader has
to live with) warped back to the card grid; each field's line cut into glyph-wide windows; in each window
that has print on the clean card, the grey step between its paper and its print. A field is as legible as
its weakest window: one washed-out digit is enough to make the line unreadable.
"""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image

from drivers.cardface import layout

FIELDS = (layout.READ_BIRTH, layout.READ_EXPIRY, layout.READ_CODE)
WASHED_OUT = 16.0  # grey levels of print against paper below which a glyph is gone (noise is σ 1.5–5 on top)


def print_contrast(card: Image.Image, scene: npt.NDArray[np.float32], card_to_scene: npt.NDArray[np.float64]) -> float:
    """The weakest glyph window's print-to-paper step (grey levels) over the three fields."""
    cw, ch = card.size
    back = cv2.warpPerspective(scene, np.linalg.inv(card_to_scene), (cw, ch), flags=cv2.INTER_LINEAR)
    seen = cv2.cvtColor(np.clip(back, 0, 255).astype(np.uint8), cv2.COLOR_BGR2GRAY).astype(np.float32)
    clean = np.asarray(card.convert("L"), np.float32)
    weakest = float("inf")
    for box in FIELDS:
        x0, y0, x1, y1 = box.px((cw, ch))
        step = max(8, (y1 - y0) // 2)
        for x in range(x0, x1 - step + 1, step):
            ink = clean[y0:y1, x : x + step] < 100
            paper = clean[y0:y1, x : x + step] > 200
            if np.count_nonzero(ink) < 15 or np.count_nonzero(paper) < 15:
                continue
            window = seen[y0:y1, x : x + step]
            weakest = min(weakest, float(np.median(window[paper]) - np.median(window[ink])))
    return weakest


def washed_out(contrast: float) -> bool:
    return contrast < WASHED_OUT
