"""The chip photo shown to staff on the visual check: decoded from JPEG 2000 in memory, handed over only by
the runtime while the session holds it, and nothing at all when it does not decode."""

from __future__ import annotations

import cv2
import numpy as np

from drivers.camera.chip_photo import chip_photo_preview
from tests.unit.test_runtime import Kiosk


def _jp2(width: int = 180, height: int = 240) -> bytes:
    face = np.zeros((height, width), np.uint8)
    cv2.circle(face, (width // 2, height // 2), width // 3, 200, -1)
    ok, buf = cv2.imencode(".jp2", face)
    assert ok
    return buf.tobytes()


def test_a_jpeg2000_chip_photo_becomes_an_rgb_preview() -> None:
    frame = chip_photo_preview(_jp2())
    assert frame is not None and (frame.width, frame.height) == (180, 240)
    assert len(frame.rgb) == 180 * 240 * 3 and "rgb" not in repr(frame)
    assert chip_photo_preview(b"not a photo") is None and chip_photo_preview(b"") is None


def test_the_runtime_hands_the_photo_over_only_while_the_session_has_it() -> None:
    k = Kiosk()
    assert k.runtime.chip_photo_preview() is None  # no decoder wired, no photo
    k.runtime.vault.chip_photo = _jp2()
    assert k.runtime.chip_photo_preview() is None  # still no decoder: nothing shown
    object.__setattr__(k.runtime._d, "photo_preview", chip_photo_preview)
    frame = k.runtime.chip_photo_preview()
    assert frame is not None and frame.height == 240
    k.runtime.vault.clear()
    assert k.runtime.chip_photo_preview() is None  # wiped with the session
