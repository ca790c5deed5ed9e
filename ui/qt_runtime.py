"""Qt glue for kiosk.runtime: QTimer-backed timers and post_to_main through a queued signal.

Worker threads call `Poster.post(event)`; Qt queues the signal to the GUI thread, where the controller
steps the flow. Timers are single-shot QTimers owned by the GUI thread; a fired timer posts
TimerExpired(name, token) and the flow ignores it if the token is no longer current.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from kiosk.flow_events import Event, TimerExpired, UserActivity
from kiosk.ports import PreviewFrame
from ui.main_window import MainWindow


class Poster(QObject):
    """Thread-safe hand-off to the GUI thread. `post` may be called from any thread. After `close` what is
    still queued is dropped: a job that ends after shutdown must not render into a window being deleted."""

    posted = Signal(object)
    frame = Signal(object)

    def __init__(self, dispatch: Callable[[Event], None]) -> None:
        super().__init__()
        self._dispatch = dispatch
        self._show_frame: Callable[[PreviewFrame], None] | None = None
        self._open = True
        self.posted.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self.frame.connect(self._deliver_frame, Qt.ConnectionType.QueuedConnection)

    def post(self, event: Event) -> None:
        self.posted.emit(event)

    def post_frame(self, frame: PreviewFrame) -> None:
        self.frame.emit(frame)

    def _deliver(self, event: Event) -> None:
        if self._open:
            self._dispatch(event)

    def _deliver_frame(self, frame: PreviewFrame) -> None:
        if self._open and self._show_frame is not None:
            self._show_frame(frame)

    def route_frames(self, show: Callable[[PreviewFrame], None]) -> None:
        self._show_frame = show

    def close(self) -> None:
        self._open = False


class QtTimers:
    def __init__(self, post: Callable[[Event], None]) -> None:
        self._post = post
        self._timers: dict[str, QTimer] = {}

    def start(self, name: str, seconds: float, token: int) -> None:
        self.cancel(name)
        timer = QTimer()
        timer.setSingleShot(True)
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.timeout.connect(lambda: self._fired(name, token))
        timer.start(int(seconds * 1000))
        self._timers[name] = timer

    def cancel(self, name: str) -> None:
        timer = self._timers.pop(name, None)
        if timer is not None:
            timer.stop()
            timer.deleteLater()

    def _fired(self, name: str, token: int) -> None:
        self._timers.pop(name, None)
        self._post(TimerExpired(name, token))

    def cancel_all(self) -> None:
        for name in list(self._timers):
            self.cancel(name)

    def running(self) -> dict[str, int]:
        return {name: t.remainingTime() for name, t in self._timers.items()}


def connect_window(window: MainWindow, dispatch: Callable[[Event], None], poster: Poster) -> None:
    """Turn the window's signals into flow events, and route preview frames to the camera view."""
    window.sent.connect(dispatch)  # the views already speak the flow's events
    window.activity.connect(lambda: dispatch(UserActivity()))
    poster.route_frames(window.show_frame)
