"""The chip photo (券面事項確認AP, grey JPEG 2000) as a preview frame for the staff visual check.

Decoded in memory for the screen only: never written, never logged. The only module that decodes the chip
photo for display (the face verifier decodes it for matching on its own)."""

from __future__ import annotations

import cv2
import numpy as np

from kiosk.ports import PreviewFrame


def chip_photo_preview(jp2: bytes) -> PreviewFrame | None:
    """RGB888 of the chip photo, or None when it does not decode (the screen then says no photo)."""
    if not jp2:
        return None
    grey = cv2.imdecode(np.frombuffer(jp2, np.uint8), cv2.IMREAD_GRAYSCALE)
    if grey is None:
        return None
    rgb = cv2.cvtColor(grey, cv2.COLOR_GRAY2RGB)
    height, width = rgb.shape[:2]
    return PreviewFrame(width, height, rgb.tobytes())
