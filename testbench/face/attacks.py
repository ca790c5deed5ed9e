"""Synthetic presentation attacks and chip-like photos for the evaluation (never used in a live session).

* `waved_print`: the same photo held by hand and tilted: each frame is the photo as a plane turned a few
  degrees about both axes and shifted, rendered with a perspective camera (a homography). This is the
  attack the non-planar motion test exists for: it moves, but like a sheet of paper.
* `chip_like`: a face crop made to look like the card's IC-chip photo: grey, face ~80–120 px, JPEG 2000
  squeezed to a byte budget (~1.6 KB / ~2.4 KB), as the chip photo is (docs/card-reference.md §6.3).
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


# --- attack sources on their own clock (bench cameras that ignore what the screen asks) -----------------


class OwnClock:
    """Wraps a frame iterator as a bench camera: the attack plays on regardless of prompts and guidance."""

    def __init__(self, name: str, frames: Iterator[Frame]) -> None:
        self.name, self._frames = name, frames

    def next_frame(self, prompt: object, guidance: object) -> Frame | None:
        return next(self._frames, None)


def still_loop(image: Image, fps: float = 15.0, duration_s: float = 12.0) -> Iterator[Frame]:
    for i in range(round(fps * duration_s)):
        yield Frame(i, i / fps, image)


def jittered(image: Image, seed: int, fps: float = 15.0, duration_s: float = 12.0) -> Iterator[Frame]:
    """A print held in a shaky hand: small random shifts, a slight rotation and sensor noise per frame."""
    rng = np.random.default_rng(seed)
    h, w = image.shape[:2]
    for i in range(round(fps * duration_s)):
        m = cv2.getRotationMatrix2D((w / 2, h / 2), float(rng.normal(0, 1.0)), 1.0 + float(rng.normal(0, 0.01)))
        m = np.asarray(m, dtype=np.float64)
        m[:, 2] = m[:, 2] + rng.normal(0, 3.0, 2)
        frame = cv2.warpAffine(image, m, (w, h), borderMode=cv2.BORDER_REPLICATE)
        noise = rng.normal(0, 3.0, frame.shape)
        yield Frame(i, i / fps, np.clip(frame + noise, 0, 255).astype(np.uint8))


def _cylinder_maps(w: int, h: int, cx: float, radius: float, angle: float, bend: float) -> tuple[Image, Image]:
    """remap() maps for a sheet wrapped on a vertical cylinder turned by `angle` (radians). `bend` 0..1
    blends from a flat sheet turned as a plane (0) to a full cylinder (1)."""
    u = np.arange(w, dtype=np.float32)[None, :].repeat(h, 0)
    v = np.arange(h, dtype=np.float32)[:, None].repeat(w, 1)
    x = np.clip((u - cx) / radius, -0.999, 0.999)
    phi = np.arcsin(x) - angle  # where the surface point now seen at u was before turning
    cyl = cx + radius * np.sin(np.clip(phi, -math.pi / 2, math.pi / 2))
    flat = cx + (u - cx) / max(1e-3, math.cos(angle))
    src_x = (bend * cyl + (1 - bend) * flat).astype(np.float32)
    return src_x, v


def bent_print(image: Image, seed: int, fps: float = 15.0, duration_s: float = 12.0) -> Iterator[Frame]:
    """A print bent round a hand and swung: a curved sheet (some parallax, but no head behind it)."""
    rng = np.random.default_rng(seed)
    h, w = image.shape[:2]
    f_turn, phase = rng.uniform(0.3, 0.7), rng.uniform(0, 2 * math.pi)
    for i in range(round(fps * duration_s)):
        t = i / fps
        angle = math.radians(20) * math.sin(2 * math.pi * f_turn * t + phase)
        mx, my = _cylinder_maps(w, h, w / 2, 0.45 * w, angle, 0.7)
        yield Frame(i, t, cv2.remap(image, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE))


def paint_closed_eyes(image: Image, eyes: list[np.ndarray]) -> Image:
    """The photo with its eyes painted shut: each eye outline filled with the skin just below it and a dark
    lash line across."""
    out = image.copy()
    for poly in eyes:
        poly = poly.astype(np.int32)
        x, y, w, h = cv2.boundingRect(poly)
        top = min(image.shape[0] - 1, y + h + max(2, h))
        below = image[top : min(image.shape[0], top + h + 1), x : x + w]
        skin = below.reshape(-1, 3).mean(axis=0) if below.size else np.array([120, 130, 160])
        cv2.fillPoly(out, [poly], tuple(int(c) for c in skin))
        mid = poly[np.argsort(poly[:, 0])]
        cv2.line(out, tuple(mid[0]), tuple(mid[-1]), (40, 40, 50), max(1, h // 4))
    return out


def warped_photo_with_blinks(image: Image, eyes: list[np.ndarray], face_box: tuple[int, int, int, int], seed: int,
                             fps: float = 15.0, duration_s: float = 12.0) -> Iterator[Frame]:
    """One still of the holder warped into a head turn (the face wrapped on a turning cylinder: it shows
    parallax no homography explains) with painted blinks — the attack issue 11 found accepted 4 of 5."""
    rng = np.random.default_rng(seed)
    h, w = image.shape[:2]
    closed = paint_closed_eyes(image, eyes)
    x, _y, fw, _fh = face_box
    cx, radius = x + fw / 2, 0.6 * fw
    f_turn, phase = rng.uniform(0.25, 0.6), rng.uniform(0, 2 * math.pi)
    next_blink = rng.uniform(0.5, 2.0)
    for i in range(round(fps * duration_s)):
        t = i / fps
        shut = next_blink <= t < next_blink + 0.15
        if t >= next_blink + 0.15:
            next_blink = t + rng.uniform(1.2, 3.0)
        angle = math.radians(22) * math.sin(2 * math.pi * f_turn * t + phase)
        mx, my = _cylinder_maps(w, h, cx, radius, angle, 1.0)
        src = closed if shut else image
        yield Frame(i, t, cv2.remap(src, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE))


def on_screen(image: Image, rng: np.random.Generator) -> Image:
    """A frame as a camera sees it on a phone or tablet screen: pixel grid moiré, lifted blacks, a glare."""
    h, w = image.shape[:2]
    small = cv2.resize(image, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
    out = cv2.resize(small, (w, h), interpolation=cv2.INTER_NEAREST).astype(np.float32)
    yy, xx = np.mgrid[0:h, 0:w]
    period = 3.3 + 0.4 * float(rng.random())
    out *= (0.92 + 0.08 * np.cos(2 * math.pi * (xx + 0.2 * yy) / period))[:, :, None]
    out = 25 + 0.85 * out
    gx, gy = float(rng.uniform(0.2, 0.8)) * w, float(rng.uniform(0.1, 0.4)) * h
    glare = np.exp(-(((xx - gx) / (0.15 * w)) ** 2 + ((yy - gy) / (0.1 * h)) ** 2)) * 60
    return np.clip(out + glare[:, :, None], 0, 255).astype(np.uint8)


def replayed_recording(frames: list[Frame], seed: int, duration_s: float = 14.0,
                       screen: bool = True) -> Iterator[Frame]:
    """A recording of the holder looped on a screen held to the camera, on its own clock."""
    rng = np.random.default_rng(seed)
    fps = (len(frames) - 1) / max(1e-6, frames[-1].t - frames[0].t) if len(frames) > 1 else 25.0
    start = int(rng.integers(0, len(frames)))
    for i in range(round(fps * duration_s)):
        src = frames[(start + i) % len(frames)].image
        yield Frame(i, i / fps, on_screen(src, rng) if screen else src)


LEFT_EYE_OUTLINE = (33, 246, 161, 160, 159, 158, 157, 173, 133, 155, 154, 153, 145, 144, 163, 7)
RIGHT_EYE_OUTLINE = (263, 466, 388, 387, 386, 385, 384, 398, 362, 382, 381, 380, 374, 373, 390, 249)


def face_geometry(image: Image) -> tuple[list[np.ndarray], tuple[int, int, int, int]] | None:
    """Eye outlines (slightly enlarged, so the painted lid covers the lashes) and the face box of a still."""
    from drivers.face.landmarks import FaceAnalyser

    with FaceAnalyser(static=True) as analyser:
        obs = analyser.analyse(image)
    if obs.points is None or obs.box is None:
        return None
    eyes = []
    for outline in (LEFT_EYE_OUTLINE, RIGHT_EYE_OUTLINE):
        pts = obs.points[list(outline), :2]
        centre = pts.mean(axis=0)
        eyes.append(centre + 1.25 * (pts - centre))
    return eyes, obs.box
