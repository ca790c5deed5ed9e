"""Serve a virtual card to pcscd through vsmartcard's vpcd (docs/card-reference.md §12).

vpcd is the TCP server (port 35963 for its first slot); the card is the client. Connected socket = card
inserted, closed socket = card removed. Every message is a 2-byte big-endian length + payload; a 1-byte
payload is a control byte (00 power off, 01 power on, 02 reset, 04 get ATR). TCP_QUICKACK before every
recv: Debian's vpcd 0.8 sends length and payload in two sends, and without it each APDU stalls ~40 ms.
"""

from __future__ import annotations

import logging
import socket
import struct
import threading
import time

from testbench.virtualcard.card import VirtualMyNumberCard

log = logging.getLogger(__name__)
DEFAULT_PORT = 35963
POWER_OFF, POWER_ON, RESET, GET_ATR = 0, 1, 2, 4


class VpcdCard:
    """One virtual card in one vpcd slot: `insert()` connects, `remove()` disconnects."""

    def __init__(self, card: VirtualMyNumberCard, host: str = "127.0.0.1", port: int = DEFAULT_PORT) -> None:
        self.card = card
        self.host, self.port = host, port
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def inserted(self) -> bool:
        return self._sock is not None

    def insert(self, timeout: float = 10.0) -> None:
        """Connect to vpcd (retrying while pcscd is still starting) and serve APDUs on a thread."""
        with self._lock:
            if self._sock is not None:
                return
            deadline = time.monotonic() + timeout
            while True:
                try:
                    sock = socket.create_connection((self.host, self.port), timeout=5.0)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
            sock.settimeout(None)
            self.card.reset()
            self._sock = sock
            self._thread = threading.Thread(target=self._serve, args=(sock,), name="vpcd-card", daemon=True)
            self._thread.start()

    def remove(self) -> None:
        with self._lock:
            sock, self._sock = self._sock, None
            thread, self._thread = self._thread, None
        if sock is None:
            return
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5)
        self.card.reset()

    def _serve(self, sock: socket.socket) -> None:
        try:
            while True:
                (length,) = struct.unpack(">H", _recv_exactly(sock, 2))
                payload = _recv_exactly(sock, length)
                if length == 1:
                    control = payload[0]
                    if control == GET_ATR:
                        _send(sock, self.card.atr)
                    elif control in (POWER_OFF, POWER_ON, RESET):
                        self.card.reset()
                    continue
                _send(sock, self.card.execute(payload))
        except (ConnectionError, OSError, EOFError):
            log.debug("vpcd connection closed")
        finally:
            with self._lock:
                if self._sock is sock:  # vpcd went away on its own: the card is out
                    self._sock = None


def _recv_exactly(sock: socket.socket, n: int) -> bytes:
    data = bytearray()
    while len(data) < n:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise EOFError("vpcd closed the connection")
        data += chunk
    return bytes(data)


def _send(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(struct.pack(">H", len(payload)) + payload)
