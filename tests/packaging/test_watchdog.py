"""The systemd watchdog fed from the Qt main loop, against a fake NOTIFY_SOCKET (a datagram socket standing
in for systemd's): READY=1 after the attract screen, WATCHDOG=1 on every beat, and silence while the GUI
thread is blocked — which is what makes systemd restart a frozen kiosk."""

from __future__ import annotations

import itertools
import socket
import time
from pathlib import Path

import pytest

from kiosk.app.sdnotify import SystemdNotifier
from kiosk.app.watchdog import KioskWatchdog
from kiosk.screens import ScreenModel, Text


class FakeSystemd:
    """A NOTIFY_SOCKET read without a thread: `drain` takes every datagram waiting (the test's own thread
    reads it, so no scheduling of a reader thread can make a message late or lost)."""

    def __init__(self, path: Path) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.sock.setblocking(False)
        self.messages: list[str] = []

    def drain(self) -> list[str]:
        while True:
            try:
                self.messages.append(self.sock.recv(4096).decode())
            except BlockingIOError:
                return self.messages

    def close(self) -> None:
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
        sent: list[float] = []  # when each beat ran on the GUI thread

        def beat() -> None:
            sent.append(time.monotonic())
            watchdog.beat()

        timer = start_heartbeat(watchdog.interval_s, beat)
        qtbot.waitUntil(lambda: bool(sent), timeout=5000)  # the event loop runs the heartbeat …
        assert "WATCHDOG=1" in systemd.drain() and "READY=1" not in "".join(systemd.messages)  # … no READY yet
        watchdog.on_render(attract())
        qtbot.waitUntil(lambda: any(m.startswith("READY=1") for m in systemd.drain()), timeout=5000)
        blocked: list[float] = []
        QTimer.singleShot(0, lambda: (blocked.append(time.monotonic()), time.sleep(0.8),
                                      blocked.append(time.monotonic())))
        qtbot.waitUntil(lambda: len(blocked) == 2, timeout=5000)
        qtbot.waitUntil(lambda: len([t for t in sent if t > blocked[1]]) >= 2, timeout=5000)
        timer.stop()
        assert systemd.drain().count("WATCHDOG=1") == len(sent), "every beat reaches systemd"
        inside = [t for t in sent if blocked[0] + 0.01 < t < blocked[1] - 0.01]
        assert not inside, "a blocked GUI thread must not feed the watchdog"
        gaps = [b - a for a, b in itertools.pairwise(sent)]
        assert max(gaps) >= 0.75 > sorted(gaps)[len(gaps) // 2]  # one long gap (the freeze), short ones else
        watchdog.stopping()
        assert systemd.drain()[-1] == "STOPPING=1"
    finally:
        systemd.close()
