"""The threaded camera: one capture thread per source, latest-frame semantics, clean stop.

The capture thread reads the source as fast as it delivers (a device) or at the frames' own timestamps
(a file, so a recorded video plays at its recorded rate). Only the newest frame is kept: a slow consumer
skips frames instead of building a queue of stale ones. Errors in the thread (lost device, unreadable file)
are kept and re-raised as `CameraLost` to whoever asks for the next frame.
"""

from __future__ import annotations

import logging
import threading
import time
from types import TracebackType

from drivers.camera.sources import Frame, FrameSource
from kiosk.errors import CameraLost, KioskError

log = logging.getLogger(__name__)


class Camera:
    """`start()`, then `latest()` / `wait_next(after)` from any thread, then `stop()` (idempotent)."""

    def __init__(self, source: FrameSource, speed: float = 1.0) -> None:
        self.source = source
        self.speed = speed  # >1 plays files faster than recorded (tests); ignored for devices
        self._cond = threading.Condition()
        self._latest: Frame | None = None
        self._error: KioskError | None = None
        self._finished = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.frames_captured = 0

    # lifecycle ------------------------------------------------------------------------------------------

    def start(self) -> Camera:
        if self._thread is not None:
            raise RuntimeError("camera already started")
        self._thread = threading.Thread(target=self._run, name=f"camera-{self.source.name}", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
            if thread.is_alive():
                log.warning("camera thread did not stop within %.1f s", timeout)
        with self._cond:
            self._latest = None  # drop the last frame: frames never outlive the capture
            self._finished = True
            self._cond.notify_all()

    def __enter__(self) -> Camera:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # consumer side ----------------------------------------------------------------------------------------

    def latest(self) -> Frame | None:
        """The newest frame, or None before the first one; raises CameraLost if the source failed."""
        with self._cond:
            if self._error is not None:
                raise self._error
            return self._latest

    def wait_next(self, after: int = -1, timeout: float = 2.0) -> Frame | None:
        """Block until a frame newer than index `after` exists. None when the source has ended or was
        stopped; CameraLost when it failed or delivered nothing for `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                if self._error is not None:
                    raise self._error
                if self._latest is not None and self._latest.index > after:
                    return self._latest
                if self._finished:
                    return None
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise CameraLost(f"no frame from {self.source.name} for {timeout:.1f} s")
                self._cond.wait(remaining)

    # capture thread ---------------------------------------------------------------------------------------

    def _run(self) -> None:
        start = time.monotonic()
        try:
            for frame in self.source.frames():
                if self._stop.is_set():
                    break
                if not self.source.realtime:
                    delay = start + frame.t / self.speed - time.monotonic()
                    if delay > 0 and self._stop.wait(delay):
                        break
                with self._cond:
                    self._latest = frame
                    self.frames_captured += 1
                    self._cond.notify_all()
        except KioskError as exc:
            log.warning("camera %s lost: %s", self.source.name, exc.code)
            with self._cond:
                self._error = exc
        except Exception as exc:  # an OpenCV or OS failure not translated by the source
            log.warning("camera %s failed: %s", self.source.name, type(exc).__name__)
            with self._cond:
                self._error = CameraLost(f"{self.source.name}: {type(exc).__name__}")
        finally:
            with self._cond:
                self._finished = True
                self._cond.notify_all()
