"""The Qt hand-off between worker threads and the flow: events arrive on the GUI thread, and none after close."""

from __future__ import annotations

import threading

import pytest

from kiosk.flow_events import TimerExpired, UserActivity
from ui.qt_runtime import Poster, QtTimers

pytestmark = pytest.mark.ui


def test_events_posted_from_a_worker_arrive_on_the_gui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    arrived: list[tuple[object, bool]] = []
    poster = Poster(lambda event: arrived.append((event, threading.current_thread() is threading.main_thread())))
    worker = threading.Thread(target=poster.post, args=(UserActivity(),))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(arrived), timeout=2000)
    assert arrived == [(UserActivity(), True)]


def test_nothing_queued_or_timed_reaches_the_flow_after_close(qtbot) -> None:  # type: ignore[no-untyped-def]
    arrived: list[object] = []
    frames: list[object] = []
    poster = Poster(arrived.append)
    poster.route_frames(frames.append)
    timers = QtTimers(poster.post)
    timers.start("idle", 0.05, token=7)
    poster.post(UserActivity())  # queued, not yet delivered: a job that ended just before shutdown
    poster.post_frame(object())  # type: ignore[arg-type]
    timers.cancel_all()
    poster.close()
    qtbot.wait(200)
    assert arrived == [] and frames == [] and timers.running() == {}
    # the same without close: both arrive (so the test above can fail)
    poster = Poster(arrived.append)
    timers = QtTimers(poster.post)
    timers.start("idle", 0.05, token=7)
    qtbot.waitUntil(lambda: TimerExpired("idle", 7) in arrived, timeout=2000)
