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
    """Thread-safe hand-off to the GUI thread. `post` may be called from any thread."""

    posted = Signal(object)
    frame = Signal(object)

    def __init__(self, dispatch: Callable[[Event], None]) -> None:
        super().__init__()
        self.posted.connect(dispatch, Qt.ConnectionType.QueuedConnection)

    def post(self, event: Event) -> None:
        self.posted.emit(event)

    def post_frame(self, frame: PreviewFrame) -> None:
        self.frame.emit(frame)


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

    def running(self) -> dict[str, int]:
        return {name: t.remainingTime() for name, t in self._timers.items()}


def connect_window(window: MainWindow, dispatch: Callable[[Event], None], poster: Poster) -> None:
    """Turn the window's signals into flow events, and route preview frames to the camera view."""
    window.sent.connect(dispatch)  # the views already speak the flow's events
    window.activity.connect(lambda: dispatch(UserActivity()))
    poster.frame.connect(window.show_frame, Qt.ConnectionType.QueuedConnection)
