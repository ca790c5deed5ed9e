"""The 照合番号B gate: the card-face scan and the chip-photo read, behind one guard per card.

照合番号B has a retry counter that the patient never asked the kiosk to spend. So the gate reads the
counter first (VERIFY without data spends nothing), sends at most one value per scan, never sends a value
that already failed on this card, and stops while tries remain (kiosk.cardface.GuardPolicy, default: the
last two are never spent by OCR) — then the flow offers the PIN or staff. It plays both the
CardFrontScanner and the CardService the runtime needs, so the two share one memory of the card.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Protocol

from kiosk.cardface import CardFrontReading, GuardAction, GuardPolicy, GuardState, decide, record_attempt
from kiosk.domain import BasicInfo, CardSummary, ChipFrontRecord
from kiosk.errors import Cancelled, CardFaceUnreadable, VerificationBBlocked, VerificationBWrong
from kiosk.ports import CancelToken, CardService

FrontLook = Callable[[CardSummary | None], CardFrontReading | None]
"""One look at the card front (the newest frame); None when no card is in view."""


class FrontReader(Protocol):
    """The document camera, kept open for the looks of one scan."""

    def looking(self) -> AbstractContextManager[FrontLook]: ...


class CardWithCounters(CardService, Protocol):
    def verification_b_tries_left(self, cancel: CancelToken | None = None) -> int: ...


class VerificationBGate:
    def __init__(self, card: CardWithCounters, reader: FrontReader, *, policy: GuardPolicy | None = None,
                 scan_timeout_s: float = 15.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._card = card
        self._reader = reader
        self._policy = policy or GuardPolicy()
        self._timeout = scan_timeout_s
        self._clock = clock
        self._lock = threading.Lock()
        self._state = GuardState(card_id="")
        self._summary: CardSummary | None = None
        self._scan_id = 0

    # --- CardService ---------------------------------------------------------------------------------------

    def read_summary(self, cancel: CancelToken | None = None) -> CardSummary:
        summary = self._card.read_summary(cancel)
        with self._lock:
            card_id = summary.auth_certificate.subject_id
            if card_id != self._state.card_id:  # another card: forget everything about the last one
                self._state = GuardState(card_id=card_id)
            self._summary = summary
        return summary

    def read_chip_front(self, verification_b: str, cancel: CancelToken | None = None) -> ChipFrontRecord:
        with self._lock:
            scan_id = self._scan_id
        try:
            face = self._card.read_chip_front(verification_b, cancel)
        except VerificationBWrong:
            self._record(scan_id, verification_b, accepted=False)
            raise
        self._record(scan_id, verification_b, accepted=True)
        return face

    def sign_challenge(self, pin: str, challenge: bytes, cancel: CancelToken | None = None) -> bytes:
        return self._card.sign_challenge(pin, challenge, cancel)

    def read_basic_info(self, pin: str, cancel: CancelToken | None = None) -> BasicInfo:
        return self._card.read_basic_info(pin, cancel)

    # --- CardFrontScanner ------------------------------------------------------------------------------------

    def scan(self, cancel: CancelToken | None = None) -> str:
        """Look at the card front until a value the guard lets through; CardFaceUnreadable on timeout."""
        tries = self._card.verification_b_tries_left(cancel)
        with self._lock:
            self._scan_id += 1
            scan_id, state, summary = self._scan_id, self._state, self._summary
        counter = decide(state, scan_id=scan_id, value=None, tries_left=tries, policy=self._policy)
        if counter.action is GuardAction.FALLBACK:  # judged before any camera work
            raise VerificationBBlocked(f"照合番号B not tried: {counter.reason.value}, {tries} tries left")
        deadline = self._clock() + self._timeout
        with self._reader.looking() as look:
            while self._clock() < deadline:
                if cancel is not None and cancel.is_set():
                    raise Cancelled("card-face scan cancelled")
                reading = look(summary)
                value = reading.verification_b if reading is not None else None
                decision = decide(state, scan_id=scan_id, value=value, tries_left=tries, policy=self._policy)
                if decision.send and value is not None:  # otherwise RESCAN: the counter was judged above
                    return value
        raise CardFaceUnreadable("no confident reading of the card front in time")

    def _record(self, scan_id: int, value: str, *, accepted: bool) -> None:
        with self._lock:
            self._state = record_attempt(self._state, scan_id=scan_id, value=value, accepted=accepted)
