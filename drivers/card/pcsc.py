"""PC/SC through pyscard: the only module that imports `smartcard`.

Uses pyscard's thin `smartcard.scard` layer (SCardConnect, SCardTransmit, SCardBeginTransaction,
SCardGetStatusChange) so that sharing mode, transactions and status waits are explicit. Every PC/SC
failure becomes a kiosk error here. Reader names are never hard-coded: vpcd's are "Virtual PCD 00 00",
a clinic's are whatever its reader reports.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

from smartcard import scard

from drivers.card.deadline import BoundedCaller
from kiosk.errors import Cancelled, CardError, CardRemoved, CardTimeout, NoCard, NoReader
from kiosk.ports import CancelToken, CardPresenceListener

log = logging.getLogger(__name__)
POLL_MS = 250  # status waits are cut into slices so that a cancel is seen within a quarter second

_REMOVED = {scard.SCARD_W_REMOVED_CARD, scard.SCARD_E_NO_SMARTCARD, scard.SCARD_E_NOT_TRANSACTED,
            scard.SCARD_W_RESET_CARD, scard.SCARD_E_READER_UNAVAILABLE, scard.SCARD_W_UNPOWERED_CARD,
            scard.SCARD_W_UNRESPONSIVE_CARD}
_NO_SERVICE = {scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED, scard.SCARD_E_NO_READERS_AVAILABLE}


def _describe(hresult: int) -> str:
    return f"{scard.SCardGetErrorMessage(hresult)} (0x{hresult & 0xFFFFFFFF:08X})"


@contextmanager
def _context() -> Iterator[Any]:
    hresult, hcontext = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        raise NoReader(f"PC/SC service not available: {_describe(hresult)}")
    try:
        yield hcontext
    finally:
        scard.SCardReleaseContext(hcontext)


def list_readers() -> list[str]:
    with _context() as hcontext:
        hresult, readers = scard.SCardListReaders(hcontext, [])
        if hresult in _NO_SERVICE or not readers:
            return []
        if hresult != scard.SCARD_S_SUCCESS:
            raise NoReader(f"cannot list readers: {_describe(hresult)}")
        return list(readers)


def reader_status(name: str | None) -> str:
    """The reader the kiosk would use, or NoReader saying which of three things is wrong: no PC/SC service
    (pcscd not running), no reader at all, or no reader by the configured name."""
    hresult, hcontext = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        raise NoReader(f"PC/SC service (pcscd) not running: {_describe(hresult)}")
    scard.SCardReleaseContext(hcontext)
    return choose_reader(name)


def choose_reader(name: str | None) -> str:
    """The named reader (exact or as a prefix), or the first one; NoReader when there is none."""
    readers = list_readers()
    if not readers:
        raise NoReader("no PC/SC reader is connected")
    if name is None:
        return readers[0]
    for reader in readers:
        if reader == name or reader.startswith(name):
            return reader
    raise NoReader(f"no reader named {name!r} (found: {', '.join(readers)})")


DEFAULT_APDU_DEADLINE_S = 5.0  # docs/card-reference.md §4.4: a signature takes a few hundred ms; give ≥ 5 s
DEFAULT_CONNECT_DEADLINE_S = 5.0


class PcscConnection:
    """A connection to the card in one reader. `exclusive` keeps every other PC/SC client out.

    Every call that reaches the card (connect, status, transmit, transaction) has a deadline
    (drivers/card/deadline.py); one missed deadline is a CardTimeout and leaves the connection broken.
    """

    def __init__(self, reader: str, *, exclusive: bool = False, apdu_deadline_s: float = DEFAULT_APDU_DEADLINE_S,
                 connect_deadline_s: float = DEFAULT_CONNECT_DEADLINE_S) -> None:
        self.reader = reader
        self.apdu_deadline_s = apdu_deadline_s
        self._calls = BoundedCaller(f"pcsc {reader}")
        self._closed = True
        hresult, self._hcontext = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if hresult != scard.SCARD_S_SUCCESS:
            raise NoReader(f"PC/SC service not available: {_describe(hresult)}")
        share = scard.SCARD_SHARE_EXCLUSIVE if exclusive else scard.SCARD_SHARE_SHARED
        try:
            hresult, self._hcard, self._protocol = self._calls.call(
                lambda: scard.SCardConnect(self._hcontext, reader, share,
                                           scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1),
                connect_deadline_s, "connect")
        except CardTimeout:
            self._abandon()
            raise
        if hresult != scard.SCARD_S_SUCCESS:
            scard.SCardReleaseContext(self._hcontext)
            if hresult in (scard.SCARD_E_NO_SMARTCARD, scard.SCARD_W_REMOVED_CARD):
                raise NoCard(f"no card in {reader}")
            if hresult in (scard.SCARD_E_UNKNOWN_READER, scard.SCARD_E_READER_UNAVAILABLE):
                raise NoReader(f"reader {reader} is gone")
            if hresult == scard.SCARD_E_TIMEOUT:
                raise CardTimeout(f"connect: {_describe(hresult)}")
            raise CardError(f"cannot connect to the card: {_describe(hresult)}")
        self._closed = False

    @property
    def atr(self) -> bytes:
        hresult, _reader, _state, _protocol, atr = self._calls.call(
            lambda: scard.SCardStatus(self._hcard), self.apdu_deadline_s, "card status")
        if hresult != scard.SCARD_S_SUCCESS:
            raise CardRemoved(f"card status: {_describe(hresult)}")
        return bytes(atr)

    def transmit(self, apdu: bytes) -> bytes:
        deadline = self.apdu_deadline_s
        started = time.monotonic()
        hresult, response = self._calls.call(
            lambda: scard.SCardTransmit(self._hcard, self._protocol, list(apdu)), deadline, f"APDU {apdu[:4].hex()}")
        if hresult != scard.SCARD_S_SUCCESS:
            if hresult in _REMOVED:
                raise CardRemoved(f"card removed during a command: {_describe(hresult)}")
            if hresult in _NO_SERVICE:
                raise NoReader(f"PC/SC service went away: {_describe(hresult)}")
            if hresult == scard.SCARD_E_TIMEOUT:
                raise CardTimeout(f"transmit: {_describe(hresult)}")
            raise CardError(f"transmit failed: {_describe(hresult)}")
        if len(response) < 2 and self._card_left(min(1.5, deadline - (time.monotonic() - started))):
            # vpcd (and some readers) answer an APDU cut off by a pulled card with an empty response
            raise CardRemoved("card removed during a command (empty response)")
        return bytes(response)

    def _card_left(self, within: float = 1.5) -> bool:
        """Whether the card leaves the reader within `within` seconds (pcscd notices on its next poll)."""
        if within <= 0:
            return False
        try:
            wait_for_card(self.reader, present=False, timeout=within)
        except (NoCard, NoReader):
            return False
        return True

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """An exclusive PC/SC transaction: no other client can send APDUs in between (PIN + sign)."""
        hresult = self._calls.call(lambda: scard.SCardBeginTransaction(self._hcard), self.apdu_deadline_s,
                                   "begin transaction")
        if hresult != scard.SCARD_S_SUCCESS:
            raise CardRemoved(f"cannot begin a transaction: {_describe(hresult)}")
        try:
            yield
        finally:
            if self._calls.broken is None:
                with suppress(CardTimeout):
                    self._calls.call(lambda: scard.SCardEndTransaction(self._hcard, scard.SCARD_LEAVE_CARD),
                                     self.apdu_deadline_s, "end transaction")

    def close(self, *, reset: bool = False) -> None:
        """Disconnect; `reset` drops every verified PIN on the card (used after signing)."""
        if self._closed:
            return
        self._closed = True
        disposition = scard.SCARD_RESET_CARD if reset else scard.SCARD_LEAVE_CARD
        if self._calls.broken is not None:
            self._abandon(disposition)
            return
        try:
            self._calls.call(lambda: scard.SCardDisconnect(self._hcard, disposition), self.apdu_deadline_s,
                             "disconnect")
        except CardTimeout:
            self._abandon()
            return
        self._calls.stop()
        scard.SCardReleaseContext(self._hcontext)

    def _abandon(self, disposition: int | None = None) -> None:
        """After a missed deadline: let go of the card on a daemon thread, which waits behind the stuck call
        (a reset drops any verified PIN even then) and never holds up the caller."""
        hcard = getattr(self, "_hcard", None)
        hcontext = self._hcontext

        def release() -> None:
            if hcard is not None:
                scard.SCardDisconnect(hcard, scard.SCARD_RESET_CARD if disposition is None else disposition)
            scard.SCardReleaseContext(hcontext)

        threading.Thread(target=release, name="pcsc-release", daemon=True).start()

    def __enter__(self) -> PcscConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def card_present(reader: str) -> bool:
    with _context() as hcontext:
        hresult, states = scard.SCardGetStatusChange(hcontext, 0, [(reader, scard.SCARD_STATE_UNAWARE)])
        if hresult != scard.SCARD_S_SUCCESS:
            return False
        return bool(states[0][1] & scard.SCARD_STATE_PRESENT)


def wait_for_card(reader: str, cancel: CancelToken | None = None, *, present: bool = True,
                  timeout: float | None = None) -> None:
    """Block until a card is (or is no longer) in `reader`; Cancelled as soon as `cancel` is set."""
    waited = 0.0
    with _context() as hcontext:
        state = scard.SCARD_STATE_UNAWARE
        while True:
            if cancel is not None and cancel.is_set():
                raise Cancelled("stopped waiting for the card")
            hresult, states = scard.SCardGetStatusChange(hcontext, POLL_MS, [(reader, state)])
            if hresult == scard.SCARD_S_SUCCESS:
                state = states[0][1] & ~scard.SCARD_STATE_CHANGED
                if bool(state & scard.SCARD_STATE_PRESENT) == present:
                    return
            elif hresult != scard.SCARD_E_TIMEOUT:
                raise NoReader(f"waiting for the card: {_describe(hresult)}")
            waited += POLL_MS / 1000
            if timeout is not None and waited >= timeout:
                raise NoCard(f"no card within {timeout:.0f} s")


class PresenceMonitor:
    """Watches one reader on its own thread and reports card insert/remove as events.

    It keeps going across a pcscd restart (a new context each round) and stops within POLL_MS of `stop()`.
    """

    def __init__(self, reader: str | None, listener: CardPresenceListener) -> None:
        self._reader_name = reader
        self._listener = listener
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="card-presence", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)

    def _run(self) -> None:
        present: bool | None = None
        while not self._stop.is_set():
            try:
                reader = choose_reader(self._reader_name)
                with _context() as hcontext:
                    state = scard.SCARD_STATE_UNAWARE
                    while not self._stop.is_set():
                        hresult, states = scard.SCardGetStatusChange(hcontext, POLL_MS, [(reader, state)])
                        if hresult == scard.SCARD_E_TIMEOUT:
                            continue
                        if hresult != scard.SCARD_S_SUCCESS:
                            break
                        state = states[0][1] & ~scard.SCARD_STATE_CHANGED
                        now = bool(state & scard.SCARD_STATE_PRESENT)
                        if now != present:
                            present = now
                            self._listener(reader, now)
            except CardError as exc:
                log.debug("presence monitor: %s", exc)
            if present:  # the reader or pcscd went away under a card: for the kiosk, the card is gone
                present = False
                self._listener(self._reader_name or "", False)
            self._stop.wait(POLL_MS / 1000)


class PcscPresenceSource:
    """kiosk.ports.CardPresenceSource over PC/SC: each subscription runs its own PresenceMonitor."""

    def __init__(self, reader: str | None = None) -> None:
        self._reader = reader

    def subscribe(self, listener: CardPresenceListener) -> Callable[[], None]:
        monitor = PresenceMonitor(self._reader, listener)
        monitor.start()
        return monitor.stop
