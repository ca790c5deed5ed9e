"""Synthetic presentation attacks and chip-like photos for the evaluation (never used in a live session).

* `waved_print`: the same photo held by hand and tilted: each frame is the photo as a plane turned a few
  degrees about both axes and shifted, rendered with a perspective camera (a homography). This is the
  attack the non-planar motion test exists for: it moves, but like a sheet of paper.
* `chip_like`: a face crop made to look like the card's IC-chip photo: grey, face ~80–120 px, JPEG 2000
  squeezed to a byte budget (~1.6 KB / ~2.4 KB), per face.md §1.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image as PILImage

from drivers.camera.sources import Frame

Image = npt.NDArray[Any]  # cv2 returns loosely typed arrays; uint8 BGR or grey in practice


def fit_frame(image: Image, width: int = 640, height: int = 480) -> Image:
    """Letterbox an image into a width×height frame (the kiosk camera's size)."""
    h, w = image.shape[:2]
    scale = min(width / w, height / h)
    resized = cv2.resize(image, (max(1, int(w * scale)), max(1, int(h * scale))), interpolation=cv2.INTER_AREA)
    out = np.full((height, width, 3), 90, dtype=np.uint8)
    y0, x0 = (height - resized.shape[0]) // 2, (width - resized.shape[1]) // 2
    if resized.ndim == 2:
        resized = cv2.cvtColor(resized, cv2.COLOR_GRAY2BGR)
    out[y0 : y0 + resized.shape[0], x0 : x0 + resized.shape[1]] = resized[:, :, :3]
    return out


def _plane_homography(w: int, h: int, yaw: float, pitch: float, shift: tuple[float, float], zoom: float) -> np.ndarray:
    f = float(w)
    corners = np.array([[-w / 2, -h / 2, 0], [w / 2, -h / 2, 0], [w / 2, h / 2, 0], [-w / 2, h / 2, 0]], np.float64)
    cy, sy, cp, sp = math.cos(yaw), math.sin(yaw), math.cos(pitch), math.sin(pitch)
    rot = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]]) @ np.array([[1, 0, 0], [0, cp, -sp], [0, sp, cp]])
    moved = corners @ rot.T + np.array([shift[0], shift[1], f / zoom])
    projected = np.stack([f * moved[:, 0] / moved[:, 2] + w / 2, f * moved[:, 1] / moved[:, 2] + h / 2], axis=1)
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    return cv2.getPerspectiveTransform(src, projected.astype(np.float32))


def waved_print(image: Image, seed: int, fps: float = 15.0, duration_s: float = 8.0,
                max_tilt_deg: float = 20.0) -> Iterator[Frame]:
    """A photo tilted back and forth (yaw and pitch up to `max_tilt_deg`), drifting and bobbing."""
    rng = np.random.default_rng(seed)
    h, w = image.shape[:2]
    p_yaw, p_pitch, p_x = rng.uniform(0, 2 * math.pi, 3)
    f_yaw, f_pitch = rng.uniform(0.3, 0.8, 2)
    tilt = math.radians(max_tilt_deg)
    for i in range(round(fps * duration_s)):
        t = i / fps
        homography = _plane_homography(
            w, h,
            yaw=tilt * math.sin(2 * math.pi * f_yaw * t + p_yaw),
            pitch=0.5 * tilt * math.sin(2 * math.pi * f_pitch * t + p_pitch),
            shift=(0.05 * w * math.sin(0.7 * t + p_x), 0.03 * h * math.sin(1.1 * t)),
            zoom=1.0 + 0.05 * math.sin(0.5 * t),
        )
        frame = cv2.warpPerspective(image, homography, (w, h), borderMode=cv2.BORDER_CONSTANT, borderValue=(90, 90, 90))
        yield Frame(i, t, frame)


def chip_like(image: Image, box: tuple[int, int, int, int], face_px: int, target_bytes: int) -> bytes:
    """A chip-like JPEG 2000 portrait around `box`: grey, face box `face_px` wide, about `target_bytes`."""
    x, y, w, h = box
    # portrait framing: head and shoulders, roughly the card photo's 4:5 layout
    cx, cy = x + w / 2, y + h / 2
    half_w, half_h = w * 0.95, h * 1.25
    x0, y0 = int(max(0, cx - half_w)), int(max(0, cy - half_h * 0.9))
    x1, y1 = int(min(image.shape[1], cx + half_w)), int(min(image.shape[0], cy + half_h * 1.1))
    crop = image[y0:y1, x0:x1]
    grey = crop if crop.ndim == 2 else cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    scale = face_px / max(1, w)
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    pil = PILImage.fromarray(small)
    raw = small.size  # bytes of the 8-bit grey image
    best = b""
    lo, hi = 2.0, 400.0  # compression ratio search: find the least compression within the byte budget
    for _ in range(12):
        ratio = math.sqrt(lo * hi)
        buf = io.BytesIO()
        pil.save(buf, format="JPEG2000", quality_mode="rates", quality_layers=[ratio], irreversible=True)
        data = buf.getvalue()
        if len(data) <= target_bytes:
            best, hi = data, ratio
        else:
            lo = ratio
        if raw / ratio < 64:
            break
    if not best:
        buf = io.BytesIO()
        pil.save(buf, format="JPEG2000", quality_mode="rates", quality_layers=[hi], irreversible=True)
        best = buf.getvalue()
    return best
