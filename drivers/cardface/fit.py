"""How well a rectified picture looks like the card front the layout describes, before any OCR.

The locator gives several outlines (a glare patch, the photo's own rectangle, the footer band's edge make
card-shaped quadrilaterals too) and each can be warped either way up. Reading a wrong one costs the whole
vote of every field for nothing, so the rectified versions are ranked first by what is cheap to see: a
line of print of the printed size in each of the three reader crops, and the four glyphs of the security
code. A correct rectification shows all three lines where the layout puts them; a wrong one rarely does.
"""

from __future__ import annotations

from drivers.cardface import layout
from drivers.cardface.glyphs import ink_mask, runs_off, segment
from drivers.cardface.locate import GreyImage

# (crop, how many glyphs of print the line has at least (the code: exactly)): birth '平成2年1月2日生' has 9
FIELDS = ((layout.READ_BIRTH, 8), (layout.READ_EXPIRY, 10), (layout.READ_CODE, 4))
GLYPH_PX = (18, 48)  # the printed glyphs' height on the 1011 × 638 grid (36 px type), a little either way


def _glyphs(card: GreyImage, box: layout.Box) -> int:
    x0, y0, x1, y1 = box.px()
    glyphs = segment(ink_mask(card[y0:y1, x0:x1]))
    if not glyphs or runs_off(glyphs, x1 - x0, right=box is layout.READ_CODE):
        return 0  # the line does not lie wholly in its crop: the outline is off
    return sum(1 for g in glyphs if GLYPH_PX[0] <= g.height <= GLYPH_PX[1] and g.width <= 2 * GLYPH_PX[1])


def layout_fit(card: GreyImage) -> float:
    """0..3: for each field, the share of its line's glyphs that are where and as big as the layout says
    (the security code scores only with exactly four)."""
    score = 0.0
    for box, expected in FIELDS:
        n = _glyphs(card, box)
        if box is layout.READ_CODE:
            score += 1.0 if n == expected else 0.0
        else:
            score += min(n, expected) / expected
    return score
