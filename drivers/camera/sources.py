"""Frame sources: a live device, a recorded video, an image sequence, a still image looped as video.

Each source opens a `FrameReader`: a plain iterator of `Frame`s in capture order with their own timestamps
(a video's presentation time, or the device clock). The threaded `Camera` in capture.py paces and buffers
them; offline evaluation iterates a reader directly so that every frame is seen, deterministically.
OpenCV failures become `kiosk.errors.CameraLost` here, at the edge.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np
import numpy.typing as npt

from kiosk.errors import CameraLost

log = logging.getLogger(__name__)

Image = npt.NDArray[Any]  # cv2 returns loosely typed arrays; uint8 BGR or grey in practice


@dataclass(frozen=True)
class Frame:
    """One BGR frame. `t` is seconds since the source started (video time for files)."""

    index: int
    t: float
    image: Image = field(repr=False, compare=False)


class FrameSource(Protocol):
    """Something that can be opened (repeatedly) into an iterator of frames."""

    name: str
    realtime: bool  # True: frames arrive at the source's own pace (device); False: pace by timestamps

    def frames(self) -> Iterator[Frame]: ...


def _imread(path: Path) -> Image:
    data = np.fromfile(str(path), dtype=np.uint8) if path.is_file() else np.empty(0, np.uint8)
    image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if image is None:
        raise CameraLost(f"image unreadable: {path.name}")
    return np.ascontiguousarray(image)


class DeviceSource:
    """A live camera through OpenCV (V4L2 on the kiosk). Losing the device raises CameraLost."""

    realtime = True

    def __init__(self, index: int | str = 0, width: int = 640, height: int = 480, max_failures: int = 10) -> None:
        # index: an OpenCV index, or a V4L2 device path (/dev/v4l/by-id/…: stable across re-plugging)
        self.index, self.width, self.height, self.max_failures = index, width, height, max_failures
        self.name = f"device:{index}"

    def frames(self) -> Iterator[Frame]:
        by_path = isinstance(self.index, str)
        cap = cv2.VideoCapture(self.index, cv2.CAP_V4L2) if by_path else cv2.VideoCapture(self.index)
        try:
            if not cap.isOpened():
                raise CameraLost(f"camera {self.index} did not open")
            cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
            cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
            start, failures, index = time.monotonic(), 0, 0
            while True:
                ok, image = cap.read()
                if not ok or image is None:
                    failures += 1
                    if failures >= self.max_failures:
                        raise CameraLost(f"camera {self.index} stopped delivering frames")
                    time.sleep(0.02)
                    continue
                failures = 0
                yield Frame(index, time.monotonic() - start, image)
                index += 1
        finally:
            cap.release()


class VideoFileSource:
    """A recorded video, timestamped by its own frame rate. A file that will not open or decode mid-way
    raises CameraLost; the normal end of the file ends the iterator (or loops with `loop=True`)."""

    realtime = False

    def __init__(self, path: Path, loop: bool = False) -> None:
        self.path, self.loop = Path(path), loop
        self.name = f"video:{self.path.name}"

    def frames(self) -> Iterator[Frame]:
        if not self.path.is_file():
            raise CameraLost(f"video not found: {self.path.name}")
        index, offset = 0, 0.0
        while True:
            cap = cv2.VideoCapture(str(self.path))
            try:
                if not cap.isOpened():
                    raise CameraLost(f"video unreadable: {self.path.name}")
                fps = cap.get(cv2.CAP_PROP_FPS) or 0.0
                fps = fps if 1.0 <= fps <= 240.0 else 25.0
                expected = int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
                local = 0
                while True:
                    ok, image = cap.read()
                    if not ok or image is None:
                        break
                    yield Frame(index, offset + local / fps, image)
                    index, local = index + 1, local + 1
            finally:
                cap.release()
            if local == 0:
                raise CameraLost(f"video has no decodable frames: {self.path.name}")
            if expected and local < expected * 0.9:
                raise CameraLost(f"video broken after {local} of {expected} frames: {self.path.name}")
            if not self.loop:
                return
            offset += local / fps


class ImageSequenceSource:
    """Numbered still images (or an explicit list) played at `fps`."""

    realtime = False

    def __init__(self, paths: Sequence[Path] | Path, fps: float = 15.0, loop: bool = False) -> None:
        if isinstance(paths, Path):
            found = sorted(p for p in paths.iterdir() if p.suffix.lower() in {".png", ".jpg", ".jpeg", ".bmp"})
            self.paths: tuple[Path, ...] = tuple(found)
            self.name = f"images:{paths.name}"
        else:
            self.paths = tuple(Path(p) for p in paths)
            self.name = f"images:{len(self.paths)}"
        self.fps, self.loop = fps, loop

    def frames(self) -> Iterator[Frame]:
        if not self.paths:
            raise CameraLost("image sequence is empty")
        index = 0
        while True:
            for path in self.paths:
                yield Frame(index, index / self.fps, _imread(path))
                index += 1
            if not self.loop:
                return


class StillImageSource:
    """One still image repeated as a video for `duration_s` (the photo-attack case). `image` may be given
    directly (already rotated or resized) instead of a path."""

    realtime = False

    def __init__(
        self,
        path: Path | None = None,
        *,
        image: Image | None = None,
        fps: float = 15.0,
        duration_s: float = 8.0,
    ) -> None:
        if (path is None) == (image is None):
            raise ValueError("give exactly one of path or image")
        self.path, self._image, self.fps, self.duration_s = path, image, fps, duration_s
        self.name = f"still:{path.name}" if path is not None else "still:image"

    def frames(self) -> Iterator[Frame]:
        image = self._image if self._image is not None else _imread(self.path)  # type: ignore[arg-type]
        for index in range(max(1, round(self.duration_s * self.fps))):
            yield Frame(index, index / self.fps, image)
