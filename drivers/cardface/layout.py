"""Where things sit on the front of a My Number card, in fractions of the card's width and height.

Shared by the renderer of test card fronts (testbench.virtualcard.front) and by the reader, which crops its
fields from the rectified card. The boxes follow the real card's arrangement (ID-1, 85.6 × 54 mm): name
and address top left, the printed birth date with sex below them, the expiry box, the photo on the right
and the 4-digit セキュリティコード under the photo. Reader boxes carry a margin for rectification error.
"""

from __future__ import annotations

from dataclasses import dataclass

CARD_MM = (85.6, 54.0)
CARD_PX = (1011, 638)  # ≈ 300 dpi; the reader rectifies every card to this size


@dataclass(frozen=True)
class Box:
    """A rectangle in card fractions: (x0, y0) top left, (x1, y1) bottom right."""

    x0: float
    y0: float
    x1: float
    y1: float

    def px(self, size: tuple[int, int] = CARD_PX) -> tuple[int, int, int, int]:
        w, h = size
        return (round(self.x0 * w), round(self.y0 * h), round(self.x1 * w), round(self.y1 * h))

    def pad(self, dx: float, dy: float) -> Box:
        return Box(max(0.0, self.x0 - dx), max(0.0, self.y0 - dy), min(1.0, self.x1 + dx), min(1.0, self.y1 + dy))


def _b(x0: int, y0: int, x1: int, y1: int) -> Box:
    """A box given in pixels of the 1011 × 638 design grid."""
    w, h = CARD_PX
    return Box(x0 / w, y0 / h, x1 / w, y1 / h)


# Print positions (the renderer writes text with its top left at (x0, y0) of these boxes).
TITLE = _b(36, 22, 420, 70)
TEST_MARK = _b(600, 18, 985, 76)
NAME_LABEL = _b(36, 104, 110, 130)
NAME = _b(120, 92, 660, 148)
ADDRESS_LABEL = _b(36, 172, 110, 198)
ADDRESS = _b(120, 166, 660, 256)
BIRTH = _b(40, 282, 440, 330)
SEX_LABEL = _b(470, 292, 530, 318)
SEX = _b(540, 282, 600, 330)
EXPIRY_LABEL = _b(40, 350, 200, 372)
EXPIRY = _b(40, 376, 500, 432)
ISSUER = _b(40, 470, 500, 500)
PHOTO = _b(700, 110, 960, 440)
CODE = _b(760, 452, 900, 500)
FOOTER = _b(0, 566, 1011, 638)

# Reader crops: the printed field plus room for a few pixels of rectification error.
READ_BIRTH = BIRTH.pad(0.02, 0.025)
READ_EXPIRY = Box(EXPIRY.x0 - 0.015, EXPIRY.y0 - 0.004, EXPIRY.x1 + 0.015, EXPIRY.y1 + 0.02)  # label just above
READ_CODE = CODE.pad(0.04, 0.025)
