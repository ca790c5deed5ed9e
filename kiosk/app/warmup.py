"""Loading the models in the background before the first patient, and the self-test row that says so.

Without it dlib loads inside the first enrolment, MediaPipe with the first analyser and Tesseract's engines
in the first card-face scan, so the first face patient after a start waits 0.9–1.9 s longer than the
hundredth (issue 15). `ModelWarmUp.start()` is called
once the attract screen is up; a short pause first lets that screen paint before the loading thread competes
with the GUI thread for the interpreter. The row is not ESSENTIAL: until the models are ready a face
reception still works, only slower.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)
PAINT_FIRST_S = 0.3


class ModelWarmUp:
    def __init__(self, load: Callable[[], float], *, after_s: float = PAINT_FIRST_S) -> None:
        self._load, self._after_s = load, after_s
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._started_at: float | None = None
        self._seconds: float | None = None  # the load's own figure, once done
        self._failure: str | None = None
        self.done = threading.Event()

    def start(self) -> None:
        """Start loading on a daemon thread (again: nothing). Never blocks the caller."""
        with self._lock:
            if self._thread is not None:
                return
            self._started_at = time.monotonic()
            self._thread = threading.Thread(target=self._run, name="model-warm-up", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        time.sleep(self._after_s)
        try:
            seconds = self._load()
        except Exception as exc:  # a missing model file: the row says so; the first patient loads (and fails) again
            log.error("face model warm-up failed with %s", type(exc).__name__)
            with self._lock:
                self._failure = type(exc).__name__
        else:
            log.info("face and card-face models ready (loaded in %.2f s)", seconds)
            with self._lock:
                self._seconds = seconds
        self.done.set()

    def probe(self) -> tuple[bool, str]:
        """The self-test row: ready (with the load time), still loading, not started or failed."""
        with self._lock:
            if self._failure is not None:
                return False, f"load failed: {self._failure}"
            if self._seconds is not None:
                return True, f"ready (loaded in {self._seconds:.1f} s)"
            if self._started_at is None:
                return False, "not loaded yet"
            return False, f"loading ({time.monotonic() - self._started_at:.0f} s so far)"
