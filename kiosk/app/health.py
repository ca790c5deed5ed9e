"""The kiosk's health checks: what the self-test shows staff, and what puts the kiosk out of service.

Each probe answers (ok, short reason for staff) and never raises; none of them touches the patient's data.
`ESSENTIAL` names the rows without which no reception can succeed — the kiosk goes out of service (and
says which row and why) while any of them fails, instead of sitting idle on the attract screen.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

from kiosk.errors import ConfigError, KioskError


class FrameSource(Protocol):
    """drivers.camera.sources.FrameSource as far as a probe needs it (the core imports no driver)."""

    name: str
    realtime: bool

    def frames(self) -> Iterator[Any]: ...

Probe = Callable[[], tuple[bool, str]]
ESSENTIAL = ("reader", "card_face_camera", "face_camera", "disk")
MIN_FREE_BYTES = 200 * 1024 * 1024  # out of service well before the outbox's disk is full
CAMERA_DEADLINE_S = 5.0
CAMERA_FRAMES = 6


def guarded(check: Callable[[], str]) -> Probe:
    """A probe from a check that returns a detail or raises; a kiosk error becomes its code and detail."""

    def run() -> tuple[bool, str]:
        try:
            return True, check()
        except KioskError as exc:
            return False, f"{exc.code}: {exc.detail}" if exc.detail else exc.code
        except Exception as exc:  # a probe never crashes the self-test; the type only, never a message
            return False, type(exc).__name__

    return run


def ensure_data_dir(path: Path) -> None:
    """The data dir exists and takes a durable write; ConfigError (with the reason) otherwise."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / f".write-probe-{os.getpid()}"
        with open(probe, "wb") as f:
            f.write(b"ok")
            f.flush()
            os.fsync(f.fileno())
        probe.unlink()
    except OSError as exc:
        raise ConfigError(f"data dir {path} is not writable: {exc.strerror or type(exc).__name__}") from exc


def disk_probe(path: Path, min_free: int = MIN_FREE_BYTES) -> Probe:
    def check() -> str:
        ensure_data_dir(path)
        free = shutil.disk_usage(path).free
        if free < min_free:
            raise ConfigError(f"only {free // 2**20} MiB free in {path} (needs {min_free // 2**20} MiB)")
        return f"{free // 2**20} MiB free"

    return guarded(check)


def camera_probe(factory: Callable[[], FrameSource], deadline_s: float = CAMERA_DEADLINE_S) -> Probe:
    """Open the camera, take a few frames within the deadline; a live camera whose frames never change is
    frozen (a real sensor's noise changes every frame). Runs on its own thread: a hung driver cannot
    hang the self-test."""

    def grab() -> tuple[str, list[bytes], bool]:
        source = factory()
        frames: list[bytes] = []  # a digest per frame: the probe keeps no image
        iterator = source.frames()
        try:
            for frame in iterator:
                frames.append(hashlib.sha256(frame.image.tobytes()).digest())
                if len(frames) >= CAMERA_FRAMES:
                    break
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()
        return source.name, frames, source.realtime

    def check() -> str:
        box: dict[str, object] = {}

        def run() -> None:
            try:
                box["result"] = grab()
            except BaseException as exc:  # reported below by type
                box["error"] = exc

        worker = threading.Thread(target=run, name="camera-probe", daemon=True)
        started = time.monotonic()
        worker.start()
        worker.join(deadline_s)
        if worker.is_alive():
            raise ConfigError(f"camera gave no frames within {deadline_s:.0f} s")
        error = box.get("error")
        if isinstance(error, KioskError):
            raise error
        if error is not None:
            raise ConfigError(f"camera failed: {type(error).__name__}")
        result = box["result"]
        assert isinstance(result, tuple)
        name, frames, realtime = result
        if not frames:
            raise ConfigError(f"camera {name} gave no frames")
        if realtime and len(frames) > 1 and len(set(frames)) == 1:
            raise ConfigError(f"camera {name} is frozen (identical frames)")
        return f"{name}, {len(frames)} frames in {(time.monotonic() - started) * 1000:.0f} ms"

    return guarded(check)


def out_of_service_reasons(results: dict[str, tuple[bool, str]]) -> list[str]:
    """The essential rows that fail, as one line each for staff."""
    return [f"{name}: {detail}" for name, (ok, detail) in results.items() if name in ESSENTIAL and not ok]


def run_probes(probes: dict[str, Probe]) -> dict[str, tuple[bool, str]]:
    return {name: probe() for name, probe in probes.items()}


class HealthWatch:
    """Runs the essential probes on a worker thread (a camera probe may take seconds) and keeps the last
    verdict: the list of reasons the kiosk is out of service, empty when it can serve patients."""

    def __init__(self, probes: dict[str, Probe]) -> None:
        self._probes = {name: probe for name, probe in probes.items() if name in ESSENTIAL}
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.reasons: list[str] | None = None  # None: never checked

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return

        def run() -> None:
            reasons = out_of_service_reasons(run_probes(self._probes))
            with self._lock:
                self.reasons = reasons

        self._thread = threading.Thread(target=run, name="health-watch", daemon=True)
        self._thread.start()

    def wait(self, timeout: float, idle: Callable[[], None] = lambda: None) -> list[str] | None:
        """Start a check if none runs and wait for it, calling `idle` meanwhile (the GUI's event pump)."""
        self.start()
        deadline = time.monotonic() + timeout
        while self.running and time.monotonic() < deadline:
            idle()
            time.sleep(0.05)
        with self._lock:
            return self.reasons
