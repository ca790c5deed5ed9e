"""systemd's notify protocol in a few lines of socket code (no dependency): READY=1, WATCHDOG=1, STOPPING=1.

Under `Type=notify` + `WatchdogSec=` systemd sets NOTIFY_SOCKET and WATCHDOG_USEC. The kiosk runs as cage's
child, so WATCHDOG_PID names cage, not us; the unit says NotifyAccess=all and the PID check of
sd_watchdog_enabled() is deliberately not made. Outside systemd every call is a no-op.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger(__name__)


class SystemdNotifier:
    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        address = env.get("NOTIFY_SOCKET", "")
        # "@name" is an abstract socket: a leading NUL byte on Linux
        self.address = "\0" + address[1:] if address.startswith("@") else address
        usec = env.get("WATCHDOG_USEC", "")
        self.watchdog_s = int(usec) / 1e6 if usec.isdigit() and int(usec) > 0 else None
        self._socket: socket.socket | None = None
        self._failures = 0

    @property
    def enabled(self) -> bool:
        return bool(self.address)

    def heartbeat_interval_s(self) -> float | None:
        """How often to send WATCHDOG=1: a third of the timeout (systemd's advice is half; a third leaves
        room for one late tick of a busy GUI thread)."""
        return self.watchdog_s / 3 if self.watchdog_s else None

    def notify(self, *assignments: str) -> bool:
        if not self.address:
            return False
        try:
            if self._socket is None:
                self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
            self._socket.sendto("\n".join(assignments).encode("utf-8"), self.address)
            return True
        except OSError as exc:  # the manager went away: nothing to crash for, but say it once (the watchdog
            # will restart a kiosk whose beats do not arrive)
            self._failures += 1
            log.log(logging.WARNING if self._failures == 1 else logging.DEBUG, "sd_notify to %r failed: %s",
                    self.address, exc)
            return False

    def ready(self, status: str = "") -> bool:
        return self.notify("READY=1", *([f"STATUS={status}"] if status else []))

    def watchdog(self) -> bool:
        return self.notify("WATCHDOG=1")

    def stopping(self) -> bool:
        return self.notify("STOPPING=1")

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None
