"""The kiosk's side of the systemd watchdog: READY=1 once the attract screen is up and the event loop runs,
then WATCHDOG=1 on every heartbeat of the GUI thread (ui.heartbeat drives `beat`).

READY waits for the first beat after the attract screen was rendered, so "ready" means the window is up and
the GUI thread is turning, not merely that the objects exist. A beat never does more than send a datagram:
it must not be the thing that blocks.
"""

from __future__ import annotations

from kiosk.app.sdnotify import SystemdNotifier
from kiosk.flow_types import Phase
from kiosk.screens import ScreenModel

DEFAULT_BEAT_S = 2.0  # READY must still be sent under Type=notify when no WatchdogSec is set


class KioskWatchdog:
    def __init__(self, notifier: SystemdNotifier) -> None:
        self.notifier = notifier
        self.attract_seen = False
        self.ready_sent = False
        self.beats = 0

    @property
    def enabled(self) -> bool:
        return self.notifier.enabled

    @property
    def interval_s(self) -> float:
        return self.notifier.heartbeat_interval_s() or DEFAULT_BEAT_S

    def on_render(self, model: ScreenModel) -> None:
        if model.screen == Phase.ATTRACT.value:
            self.attract_seen = True

    def beat(self) -> None:
        if self.attract_seen and not self.ready_sent:
            self.ready_sent = self.notifier.ready("attract screen shown")
        if self.notifier.watchdog_s:
            self.notifier.watchdog()
        self.beats += 1

    def stopping(self) -> None:
        self.notifier.stopping()
        self.notifier.close()
