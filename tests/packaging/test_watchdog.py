"""The systemd watchdog fed from the Qt main loop, against a fake NOTIFY_SOCKET (a datagram socket standing
in for systemd's): READY=1 after the attract screen, WATCHDOG=1 on every beat, and silence while the GUI
thread is blocked — which is what makes systemd restart a frozen kiosk."""

from __future__ import annotations

import itertools
import socket
import threading
import time
from pathlib import Path

import pytest

from kiosk.app.sdnotify import SystemdNotifier
from kiosk.app.watchdog import KioskWatchdog
from kiosk.screens import ScreenModel, Text


class FakeSystemd:
    """Collects (arrival time, message) from a NOTIFY_SOCKET on its own thread."""

    def __init__(self, path: Path) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.sock.settimeout(0.05)
        self.messages: list[tuple[float, str]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                data = self.sock.recv(4096)
            except TimeoutError:
                continue
            self.messages.append((time.monotonic(), data.decode()))

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


def attract() -> ScreenModel:
    return ScreenModel(screen="attract", lang="ja", title=Text("attract"))


def test_notifier_is_a_no_op_outside_systemd() -> None:
    notifier = SystemdNotifier({})
    assert not notifier.enabled and notifier.heartbeat_interval_s() is None and not notifier.ready()


def test_abstract_socket_names_and_watchdog_interval() -> None:
    notifier = SystemdNotifier({"NOTIFY_SOCKET": "@/org/freedesktop/systemd1/notify", "WATCHDOG_USEC": "20000000"})
    assert notifier.address.startswith("\0/org") and notifier.heartbeat_interval_s() == pytest.approx(20 / 3)


@pytest.mark.ui
def test_heartbeat_stops_while_the_gui_thread_is_blocked(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer

    from ui.heartbeat import start_heartbeat

    systemd = FakeSystemd(tmp_path / "notify")
    try:
        watchdog = KioskWatchdog(SystemdNotifier({"NOTIFY_SOCKET": str(tmp_path / "notify"),
                                                  "WATCHDOG_USEC": "300000"}))
        assert watchdog.interval_s == pytest.approx(0.1)
        timer = start_heartbeat(watchdog.interval_s, watchdog.beat)
        qtbot.waitUntil(lambda: bool(systemd.messages), timeout=2000)  # beats before the first screen …
        assert "READY=1" not in {m for _, m in systemd.messages}  # … but READY only at the attract screen
        watchdog.on_render(attract())
        qtbot.waitUntil(lambda: any(m.startswith("READY=1") for _, m in systemd.messages), timeout=2000)
        blocked: list[float] = []
        QTimer.singleShot(0, lambda: (blocked.append(time.monotonic()), time.sleep(0.8),
                                      blocked.append(time.monotonic())))
        qtbot.waitUntil(lambda: len(blocked) == 2, timeout=3000)
        qtbot.wait(300)
        timer.stop()
        beats = [t for t, m in systemd.messages if m == "WATCHDOG=1"]
        inside = [t for t in beats if blocked[0] + 0.01 < t < blocked[1] - 0.01]
        assert not inside, "a blocked GUI thread must not feed the watchdog"
        assert any(t > blocked[1] for t in beats), "beats resume when the loop turns again"
        gaps = [b - a for a, b in itertools.pairwise(beats)]
        assert max(gaps) >= 0.75 > sorted(gaps)[len(gaps) // 2]  # one long gap (the freeze), short ones else
        watchdog.stopping()
        qtbot.waitUntil(lambda: systemd.messages[-1][1] == "STOPPING=1", timeout=1000)
    finally:
        systemd.close()
