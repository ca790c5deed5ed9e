"""The virtual card answering the driver's connection directly, in the test process (no pcscd, no vpcd).

This is jpki/myna's dummy reader idea: the card driver (drivers.card) talks to `InProcessConnection` exactly as it
talks to `PcscConnection`, so the whole APDU walk of a reception runs in the fast test tier. The vpcd tier keeps
proving the same walk through the real PC/SC stack.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from drivers.card.service import MyNumberCardService
from testbench.virtualcard.card import VirtualMyNumberCard

READER_NAME = "In-process virtual card 00 00"


class InProcessConnection:
    """The connection surface the card service uses (`reader`, `atr`, `transmit`, `transaction`, `close`)."""

    def __init__(self, card: VirtualMyNumberCard, lock: threading.Lock) -> None:
        self.reader = READER_NAME
        self._card, self._lock = card, lock

    @property
    def atr(self) -> bytes:
        return self._card.atr

    def transmit(self, apdu: bytes) -> bytes:
        return self._card.execute(apdu)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._lock:  # as an exclusive PC/SC transaction: nobody else's APDUs in between
            yield

    def close(self, *, reset: bool = False) -> None:
        if reset:
            self._card.reset()  # a card reset drops every verified PIN, as on the real card


def in_process_connector(card: VirtualMyNumberCard) -> Callable[[str, bool], InProcessConnection]:
    lock = threading.Lock()
    return lambda _reader, _exclusive: InProcessConnection(card, lock)


def in_process_service(card: VirtualMyNumberCard, **options: object) -> MyNumberCardService:
    """The product's card service, wired to `card` in this process."""
    return MyNumberCardService(READER_NAME, connect=in_process_connector(card), **options)  # type: ignore[arg-type]
