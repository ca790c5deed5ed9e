"""In-process stand-ins for the card, card-face scanner, face verifier and backend.

Used by `myna-testbench demo --headless` until the integrator wires the real virtual card (pcscd + vpcd), the
recorded video and the reference verifier, and by the runtime unit tests. Everything here says FAKE in
its reader name and self-test detail so that a transcript can never be mistaken for a real run.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from kiosk.domain import BasicInfo, CardFace, CardSummary, CertificateInfo, Sex, TriesLeft
from kiosk.errors import (
    BackendUnavailable,
    Cancelled,
    CardFaceUnreadable,
    PinBlocked,
    PinNotSet,
    PinWrong,
    UnsupportedCard,
    VerificationBWrong,
)
from kiosk.ports import (
    BackendChallenge,
    BackendReceipt,
    CancelToken,
    CardPresenceListener,
    FaceBox,
    FaceDecision,
    FaceProgress,
    PreviewFrame,
    ReceptionRequest,
)

FAKE_READER = "FAKE in-process reader (not a real card)"
_VERIFICATION_B = "80010120310000"  # fictitious: 1980-01-01, 2031, security code 0000


def _wait(seconds: float, cancel: CancelToken | None) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if cancel is not None and cancel.is_set():
            raise Cancelled("cancelled")
        time.sleep(min(0.01, max(0.0, end - time.monotonic())))


def _certificate(days_left: int, now: datetime) -> CertificateInfo:
    return CertificateInfo(
        der=b"FAKE-CERT" + days_left.to_bytes(4, "big", signed=True),
        subject_id="FAKE-SUBJECT",
        serial=1,
        issuer="FAKE JPKI CA",
        not_before=now - timedelta(days=1500),
        not_after=now + timedelta(days=days_left),
    )


@dataclass
class FakeCard:
    """A My Number card as the CardService port sees it: PIN counter, 照合番号B, a grey 'photo'."""

    pin: str | None = "1234"
    pin_tries: int = 3
    cert_days_left: int = 1500
    supported: bool = True
    delay_s: float = 0.05
    verification_b: str = _VERIFICATION_B
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def read_summary(self, cancel: CancelToken | None = None) -> CardSummary:
        _wait(self.delay_s, cancel)
        if not self.supported:
            raise UnsupportedCard("FAKE: no JPKI application")
        now = datetime.now(UTC)
        return CardSummary(
            reader=FAKE_READER,
            atr=b"\x3b\xe0\x00\xff\x81\x31\xfe\x45\x14",
            applications=("jpki", "kenkaku", "kenhojo"),
            auth_certificate=_certificate(self.cert_days_left, now),
            auth_ca_certificate=_certificate(5000, now),
            tries=TriesLeft(auth_pin=None if self.pin is None else self.pin_tries, verification_b=10),
        )

    def read_card_face(self, verification_b: str, cancel: CancelToken | None = None) -> CardFace:
        _wait(self.delay_s, cancel)
        if verification_b != self.verification_b:
            raise VerificationBWrong(9)
        return CardFace(date(1980, 1, 1), Sex.FEMALE, date(2031, 1, 1), b"FAKE-JP2", True)  # a fake "verified" record

    def sign_challenge(self, pin: str, challenge: bytes, cancel: CancelToken | None = None) -> bytes:
        _wait(self.delay_s, cancel)
        with self._lock:
            if self.pin is None:
                raise PinNotSet()
            if self.pin_tries <= 0:
                raise PinBlocked()
            if pin != self.pin:
                self.pin_tries -= 1
                raise PinWrong(self.pin_tries)
            self.pin_tries = 3
        return hashlib.sha256(b"FAKE-SIGNATURE" + challenge).digest()

    def read_basic_info(self, pin: str, cancel: CancelToken | None = None) -> BasicInfo:
        raise PinNotSet("FAKE card does not model the 券面事項入力補助AP")


@dataclass
class FakeScanner:
    result: str = _VERIFICATION_B
    fail: bool = False
    delay_s: float = 0.1

    def scan(self, cancel: CancelToken | None = None) -> str:
        _wait(self.delay_s, cancel)
        if self.fail:
            raise CardFaceUnreadable("FAKE: scripted unreadable front")
        return self.result


@dataclass
class ScriptedFaceVerifier:
    """Plays a short guidance sequence over synthetic preview frames, then the next scripted verdict."""

    verdicts: list[str] = field(default_factory=lambda: ["accept"])
    frame_s: float = 0.05
    hints: tuple[str, ...] = ("no_face", "come_closer", "hold_still", "blink", "ok")

    def verify(
        self,
        chip_photo_jp2: bytes,
        on_progress: Callable[[FaceProgress], None],
        on_frame: Callable[[PreviewFrame], None],
        cancel: CancelToken | None = None,
    ) -> FaceDecision:
        for i, hint in enumerate(self.hints):
            _wait(self.frame_s, cancel)
            shade = 60 + 30 * i
            on_frame(PreviewFrame(64, 48, bytes([shade, shade, shade + 20]) * (64 * 48)))
            box = None if hint == "no_face" else FaceBox(0.3 - 0.02 * i, 0.2, 0.35 + 0.04 * i, 0.5)
            on_progress(FaceProgress(hint, box, (i + 1) / len(self.hints)))
        verdict = self.verdicts.pop(0) if len(self.verdicts) > 1 else self.verdicts[0]
        distance = {"accept": 0.41, "retry": 0.55, "reject": 0.72}.get(verdict)
        return FaceDecision(verdict, distance, 0.5, "remove_mask" if verdict == "retry" else "ok")


@dataclass
class FakeBackend:
    registered: bool = True
    down: bool = False
    delay_s: float = 0.05
    submitted: list[ReceptionRequest] = field(default_factory=list)

    def fetch_challenge(self, auth_certificate: CertificateInfo, cancel: CancelToken | None = None) -> BackendChallenge:
        _wait(self.delay_s, cancel)
        if self.down:
            raise BackendUnavailable("FAKE: scripted outage")
        return BackendChallenge(nonce=b"FAKE-NONCE-0123456789abcdef", registered=self.registered)

    def submit(self, request: ReceptionRequest, cancel: CancelToken | None = None) -> BackendReceipt:
        _wait(self.delay_s, cancel)
        if self.down:
            raise BackendUnavailable("FAKE: scripted outage")
        self.submitted.append(request)
        return BackendReceipt(f"FAKE-{len(self.submitted)}", queued=False)

    def outbox_depth(self) -> int:
        return 0


@dataclass
class FakePresence:
    """A card slot you push by hand: `insert()` and `remove()` call every subscriber."""

    listeners: list[CardPresenceListener] = field(default_factory=list)

    def subscribe(self, listener: CardPresenceListener) -> Callable[[], None]:
        self.listeners.append(listener)
        return lambda: self.listeners.remove(listener)

    def insert(self) -> None:
        for listener in list(self.listeners):
            listener(FAKE_READER, True)

    def remove(self) -> None:
        for listener in list(self.listeners):
            listener(FAKE_READER, False)
