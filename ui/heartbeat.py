"""A repeating timer on the GUI thread's event loop: the kiosk's systemd watchdog is fed from here, so a GUI
thread that stops processing events (a deadlock, an endless loop in a slot) stops the heartbeat and
systemd restarts the kiosk."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer


def start_heartbeat(interval_s: float, beat: Callable[[], None]) -> QTimer:
    """Call `beat` every `interval_s` on the GUI thread, first as soon as the event loop runs. Keep the timer."""
    timer = QTimer()
    timer.setTimerType(timer.timerType().PreciseTimer)
    timer.setInterval(max(1, int(interval_s * 1000)))
    timer.timeout.connect(beat)
    timer.start()
    QTimer.singleShot(0, beat)
    return timer
