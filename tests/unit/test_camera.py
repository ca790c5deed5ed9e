"""Camera sources and the threaded latest-frame camera, on small files made in tmp_path."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from drivers.camera import (
    Camera,
    DeviceSource,
    Frame,
    ImageSequenceSource,
    StillImageSource,
    VideoFileSource,
)
from kiosk.errors import CameraLost


def _write_video(path: Path, frames: int = 30, fps: float = 30.0) -> None:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (64, 48))
    assert writer.isOpened()
    for i in range(frames):
        image = np.zeros((48, 64, 3), np.uint8)
        image[:, :, 1] = (i * 8) % 256  # each frame distinguishable
        writer.write(image)
    writer.release()


def test_video_file_frames_carry_their_own_timestamps(tmp_path: Path) -> None:
    path = tmp_path / "v.avi"
    _write_video(path, frames=20, fps=20.0)
    frames = list(VideoFileSource(path).frames())
    assert [f.index for f in frames] == list(range(20))
    assert frames[10].t == pytest.approx(0.5)
    assert frames[0].image.shape == (48, 64, 3)


def test_video_loop_continues_the_clock(tmp_path: Path) -> None:
    path = tmp_path / "v.avi"
    _write_video(path, frames=10, fps=10.0)
    source = VideoFileSource(path, loop=True)
    frames = []
    for f in source.frames():
        frames.append(f)
        if len(frames) == 25:
            break
    assert frames[-1].index == 24 and frames[-1].t == pytest.approx(2.4)


@pytest.mark.parametrize("content", [b"", b"not a video at all" * 100])
def test_unreadable_video_is_camera_lost(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.mp4"
    path.write_bytes(content)
    with pytest.raises(CameraLost):
        list(VideoFileSource(path).frames())


def test_missing_video_is_camera_lost(tmp_path: Path) -> None:
    with pytest.raises(CameraLost):
        list(VideoFileSource(tmp_path / "absent.mp4").frames())


def test_truncated_video_is_camera_lost(tmp_path: Path) -> None:
    path = tmp_path / "v.avi"
    _write_video(path, frames=60)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(CameraLost):
        list(VideoFileSource(path).frames())


def test_image_sequence_and_still(tmp_path: Path) -> None:
    for i in range(3):
        cv2.imwrite(str(tmp_path / f"f{i:02d}.png"), np.full((8, 8, 3), i * 50, np.uint8))
    seq = list(ImageSequenceSource(tmp_path, fps=10.0).frames())
    assert [int(f.image[0, 0, 0]) for f in seq] == [0, 50, 100]
    assert seq[2].t == pytest.approx(0.2)
    still = list(StillImageSource(tmp_path / "f01.png", fps=5.0, duration_s=2.0).frames())
    assert len(still) == 10 and all(int(f.image[0, 0, 0]) == 50 for f in still)
    (tmp_path / "bad.png").write_bytes(b"garbage")
    with pytest.raises(CameraLost):
        list(ImageSequenceSource([tmp_path / "bad.png"]).frames())
    with pytest.raises(CameraLost):
        list(ImageSequenceSource([]).frames())


def test_absent_device_is_camera_lost() -> None:
    with pytest.raises(CameraLost):
        next(DeviceSource(index=97).frames())


class _Counting:
    """A source delivering `n` frames as fast as asked, realtime like a device."""

    realtime = True

    def __init__(self, n: int, fail_after: int | None = None, delay: float = 0.0) -> None:
        self.n, self.fail_after, self.delay, self.name = n, fail_after, delay, "counting"

    def frames(self) -> Iterator[Frame]:
        for i in range(self.n):
            if self.fail_after is not None and i == self.fail_after:
                raise CameraLost("unplugged")
            if self.delay:
                time.sleep(self.delay)
            yield Frame(i, i * 0.01, np.zeros((2, 2, 3), np.uint8))


def test_latest_frame_semantics_skip_stale_frames() -> None:
    cam = Camera(_Counting(400, delay=0.001)).start()
    seen = []
    last = -1
    while True:
        frame = cam.wait_next(last, timeout=2.0)
        if frame is None:
            break
        seen.append(frame.index)
        last = frame.index
        time.sleep(0.01)  # a slow consumer
    cam.stop()
    assert seen == sorted(seen) and len(set(seen)) == len(seen)
    assert seen[-1] == 399 and len(seen) < 400  # frames were skipped, never queued
    assert cam.frames_captured == 400


def test_stop_is_clean_and_drops_the_last_frame() -> None:
    cam = Camera(_Counting(10_000_000, delay=0.001)).start()
    assert cam.wait_next(-1, timeout=2.0) is not None
    cam.stop()
    assert not cam.running
    assert cam.latest() is None
    assert cam.wait_next(10**9, timeout=0.1) is None
    assert not any(t.name.startswith("camera-") for t in threading.enumerate())


def test_lost_camera_reaches_the_consumer() -> None:
    with Camera(_Counting(100, fail_after=5, delay=0.001)) as cam:
        with pytest.raises(CameraLost):
            while cam.wait_next(-1, timeout=2.0) is not None:
                time.sleep(0.005)
        with pytest.raises(CameraLost):
            cam.latest()


def test_silent_camera_times_out_as_camera_lost() -> None:
    class Silent:
        realtime, name = True, "silent"

        def frames(self) -> Iterator[Frame]:
            time.sleep(1.0)
            yield from ()

    with Camera(Silent()) as cam, pytest.raises(CameraLost):
        cam.wait_next(-1, timeout=0.2)


def test_file_plays_at_its_own_rate(tmp_path: Path) -> None:
    path = tmp_path / "v.avi"
    _write_video(path, frames=10, fps=20.0)  # 0.5 s of video
    started = time.monotonic()
    with Camera(VideoFileSource(path)) as cam:
        last = -1
        while (frame := cam.wait_next(last, timeout=2.0)) is not None:
            last = frame.index
    assert last == 9
    assert time.monotonic() - started >= 0.4  # paced by timestamps, not decoded as fast as possible
