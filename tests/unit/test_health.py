"""The kiosk's health probes: cameras (missing, frozen, hung), disk, and the out-of-service verdict."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kiosk.app.health import HealthWatch, camera_probe, disk_probe, out_of_service_reasons
from kiosk.errors import CameraLost


@dataclass
class Frame:
    image: np.ndarray


class Source:
    def __init__(self, mode: str, realtime: bool = True) -> None:
        self.mode, self.realtime, self.name = mode, realtime, f"fake:{mode}"
        self.release = threading.Event()

    def frames(self) -> Iterator[Frame]:
        if self.mode == "missing":
            raise CameraLost("camera 0 did not open")
        if self.mode == "hung":
            self.release.wait(10)
            return
        rng = np.random.default_rng(1)
        for _ in range(100):
            still = self.mode == "frozen"
            yield Frame(np.zeros((4, 4), np.uint8) if still else rng.integers(0, 255, (4, 4), dtype=np.uint8))


def test_camera_rows() -> None:
    assert camera_probe(lambda: Source("live"))()[0]
    ok, detail = camera_probe(lambda: Source("frozen"))()
    assert not ok and "frozen" in detail
    assert camera_probe(lambda: Source("frozen", realtime=False))()[0]  # a still image is still on purpose
    ok, detail = camera_probe(lambda: Source("missing"))()
    assert not ok and detail.startswith("camera_lost")
    hung = Source("hung")
    ok, detail = camera_probe(lambda: hung, deadline_s=0.3)()
    hung.release.set()
    assert not ok and "no frames within" in detail


def test_disk_row(tmp_path: Path) -> None:
    assert disk_probe(tmp_path)()[0]
    ok, detail = disk_probe(Path("/proc/myna"))()
    assert not ok and "not writable" in detail
    ok, detail = disk_probe(tmp_path, min_free=2**62)()
    assert not ok and "MiB free" in detail


def test_out_of_service_only_for_essential_rows() -> None:
    results = {"reader": (False, "no_reader: x"), "backend": (False, "down"), "disk": (True, "1 MiB free")}
    assert out_of_service_reasons(results) == ["reader: no_reader: x"]
    watch = HealthWatch({"reader": lambda: (True, "Virtual PCD"), "backend": lambda: (False, "down")})
    assert watch.wait(5.0) == []
