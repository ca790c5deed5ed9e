"""The installer's look at a camera (`myna-kiosk doctor`): does it open, at what size, frame rate and exposure.

Only counts and settings leave this module: the frames read to measure the rate are dropped at once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import cv2

from kiosk.errors import CameraLost

# errors only: OpenCV's warnings for a missing camera repeat what CameraLost says
cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)


@dataclass(frozen=True)
class CameraProbe:
    spec: str
    width: int
    height: int
    fps: float  # measured over the probe, not what the driver claims
    exposure: float | None  # the driver's CAP_PROP_EXPOSURE (V4L2 units), None when it reports none
    auto_exposure: float | None
    frames: int


def probe_camera(spec: str, seconds: float = 1.5) -> CameraProbe:
    """Open the camera named like the config's `camera` (index or /dev path), read for `seconds`; CameraLost
    if it does not open or delivers nothing."""
    target: int | str = int(spec) if spec.strip().isdigit() else spec
    if isinstance(target, str) and not Path(target).exists():
        raise CameraLost(f"{spec} does not exist")
    # A /dev path goes to V4L2 directly (OpenCV's default tries FFmpeg first, which cannot open devices here);
    # a video file (desk test) to the default backend.
    by_device = isinstance(target, str) and target.startswith("/dev/")
    cap = cv2.VideoCapture(target, cv2.CAP_V4L2) if by_device else cv2.VideoCapture(target)
    try:
        if not cap.isOpened():
            raise CameraLost(f"{spec} did not open")
        frames, width, height = 0, 0, 0
        first: float | None = None
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and frames < 600:
            ok, image = cap.read()
            if not ok or image is None:
                time.sleep(0.02)
                continue
            now = time.monotonic()
            first = now if first is None else first
            frames += 1
            height, width = image.shape[:2]
            last = now
        if not frames:
            raise CameraLost(f"{spec} opened but delivered no frame in {seconds:.1f} s")
        if by_device or isinstance(target, int):
            fps = (frames - 1) / (last - first) if frames > 1 and first is not None and last > first else 0.0
        else:  # a file is read as fast as it decodes: its own frame rate is the one that counts
            fps = float(cap.get(cv2.CAP_PROP_FPS))
        exposure = cap.get(cv2.CAP_PROP_EXPOSURE)
        auto = cap.get(cv2.CAP_PROP_AUTO_EXPOSURE)
        return CameraProbe(spec, int(width), int(height), fps, exposure if exposure > 0 else None,
                           auto if auto > 0 else None, frames)
    finally:
        cap.release()
