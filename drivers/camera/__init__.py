"""Camera sources (device, video file, image sequence, looped still) and the threaded latest-frame camera."""

from __future__ import annotations

from drivers.camera.capture import Camera
from drivers.camera.sources import (
    DeviceSource,
    Frame,
    FrameSource,
    ImageSequenceSource,
    StillImageSource,
    VideoFileSource,
)

__all__ = [
    "Camera",
    "DeviceSource",
    "Frame",
    "FrameSource",
    "ImageSequenceSource",
    "StillImageSource",
    "VideoFileSource",
]
