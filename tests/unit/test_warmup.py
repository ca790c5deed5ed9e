"""The face-model warm-up: off the caller's thread, once, and a self-test row that tells the truth."""

from __future__ import annotations

import threading

from kiosk.app.warmup import ModelWarmUp


def test_loads_once_off_the_callers_thread_and_reports_ready() -> None:
    threads: list[str] = []
    release = threading.Event()

    def load() -> float:
        threads.append(threading.current_thread().name)
        release.wait(5)
        return 1.25

    warm = ModelWarmUp(load, after_s=0.0)
    assert warm.probe() == (False, "not loaded yet")
    warm.start()
    warm.start()  # a second call starts nothing
    ok, detail = warm.probe()
    assert not ok and detail.startswith("loading")
    release.set()
    assert warm.done.wait(5)
    assert warm.probe() == (True, "ready (loaded in 1.2 s)")
    assert threads == ["model-warm-up"]


def test_a_failed_load_is_a_failed_row_with_the_type_only() -> None:
    def load() -> float:
        raise FileNotFoundError("/secret/path/model.dat")

    warm = ModelWarmUp(load, after_s=0.0)
    warm.start()
    assert warm.done.wait(5)
    assert warm.probe() == (False, "load failed: FileNotFoundError")
