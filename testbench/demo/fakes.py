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

from kiosk.domain import (
    BasicInfo,
    CardSummary,
    CertificateInfo,
    ChipFrontRecord,
    CredentialCarrier,
    PhoneCredential,
    PhoneProof,
    Sex,
    TriesLeft,
)
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
from kiosk.face import FACE_MODEL_ID, FaceDecision, Guidance, LivenessOutcome, LivenessReport, Verdict
from kiosk.ports import (
    BackendChallenge,
    BackendReceipt,
    CancelToken,
    CardPresenceListener,
    DeliveryHealth,
    FaceBox,
    FaceProgress,
    PreviewFrame,
)
from kiosk.proof import ProofStatement
from kiosk.result import ResultFacts

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

    def read_chip_front(self, verification_b: str, cancel: CancelToken | None = None) -> ChipFrontRecord:
        _wait(self.delay_s, cancel)
        if verification_b != self.verification_b:
            raise VerificationBWrong(9)
        return ChipFrontRecord(date(1980, 1, 1), Sex.FEMALE, date(2031, 1, 1), b"FAKE-JP2", True)  # "verified"

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

    verdicts: list[str] = field(default_factory=lambda: ["accept"])  # Verdict values, one per attempt
    frame_s: float = 0.05
    hints: tuple[Guidance, ...] = (Guidance.NO_FACE, Guidance.COME_CLOSER, Guidance.HOLD_STILL, Guidance.BLINK,
                                   Guidance.OK)  # fmt: skip

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
            box = None if hint is Guidance.NO_FACE else FaceBox(0.3 - 0.02 * i, 0.2, 0.35 + 0.04 * i, 0.5)
            on_progress(FaceProgress(hint, box, (i + 1) / len(self.hints)))
        verdict = Verdict(self.verdicts.pop(0) if len(self.verdicts) > 1 else self.verdicts[0])
        return fake_face_decision(verdict, frames=len(self.hints))


def fake_face_decision(verdict: Verdict, *, frames: int = 3) -> FaceDecision:
    """The core's full decision as the live verifier would make it (FAKE scores, passed liveness)."""
    distance = {Verdict.ACCEPT: 0.41, Verdict.RETRY: 0.55, Verdict.REJECT: 0.72}.get(verdict)
    live = LivenessOutcome.FAILED if verdict is Verdict.LIVENESS_FAILED else LivenessOutcome.PASSED
    return FaceDecision(
        verdict=verdict, median_distance=distance, distances=() if distance is None else (distance,) * 3,
        accept_threshold=0.5, reject_threshold=0.6, model=FACE_MODEL_ID, frames_seen=frames,
        frames_good=1, frames_used=(frames - 1,), liveness=LivenessReport(live, None),
        guidance=(Guidance.REMOVE_MASK,) if verdict is Verdict.RETRY else (),
    )


@dataclass
class FakeBackend:
    registered: bool = True
    down: bool = False
    delay_s: float = 0.05
    submitted: list[ResultFacts] = field(default_factory=list)
    quarantined: int = 0
    pin_proofs: bool = False
    proof_counter: int = 0
    staff_calls: list[str] = field(default_factory=list)

    def fetch_challenge(self, auth_certificate: CertificateInfo, cancel: CancelToken | None = None) -> BackendChallenge:
        _wait(self.delay_s, cancel)
        if self.down:
            raise BackendUnavailable("FAKE: scripted outage")
        return BackendChallenge(nonce=b"FAKE-NONCE-0123456789abcdef", registered=self.registered,
                                challenge_id="FAKE-CHALLENGE")

    def submit(self, facts: ResultFacts, cancel: CancelToken | None = None) -> BackendReceipt:
        """Like the real adapter: stored first (and never twice), then answered unless the service is down."""
        _wait(self.delay_s, cancel)
        if all(f.result_id != facts.result_id for f in self.submitted):
            self.submitted.append(facts)
        return BackendReceipt(facts.result_id, queued=self.down)

    def outbox_depth(self) -> int:
        return len(self.submitted) if self.down else 0

    def call_staff(self, reason: str, cancel: CancelToken | None = None) -> None:
        _wait(self.delay_s, cancel)
        if self.down:
            raise BackendUnavailable("FAKE: scripted outage")
        self.staff_calls.append(reason)

    def proof_statement(self, result_id: str, signed_at: datetime) -> ProofStatement | None:
        if not self.pin_proofs:
            return None
        self.proof_counter += 1
        return ProofStatement("FAKE-kiosk", self.proof_counter, signed_at, result_id)

    def delivery_health(self) -> DeliveryHealth:
        pending = self.outbox_depth()
        healthy = not self.down and not self.quarantined
        line = "FAKE backend: OK" if healthy else f"FAKE backend: {pending} waiting, {self.quarantined} held"
        return DeliveryHealth(healthy, pending, self.quarantined, True, line)


@dataclass
class FakePhone:
    """A FAKE phone on a FAKE smartphone reader: `carrier` is what the next one held is (the scenario says)."""

    carrier: CredentialCarrier = CredentialCarrier.IPHONE
    pin: str = "1234"
    tries: int = 3
    cert_days_left: int = 800
    delay_s: float = 0.0

    def identify(self, cancel: CancelToken | None = None) -> PhoneCredential:
        _wait(self.delay_s, cancel)
        tries = self.tries if self.carrier is CredentialCarrier.ANDROID else None
        return PhoneCredential("FAKE smartphone reader", self.carrier, tries)

    def prove(self, carrier: CredentialCarrier, message: bytes, pin: str | None = None,
              cancel: CancelToken | None = None) -> PhoneProof:
        _wait(self.delay_s, cancel)
        if carrier is CredentialCarrier.ANDROID:
            if self.tries <= 0:
                raise PinBlocked("FAKE phone PIN blocked")
            if pin != self.pin:
                self.tries -= 1
                raise PinWrong(self.tries)
            self.tries = 3
        cert = _certificate(self.cert_days_left, datetime.now(UTC))
        return PhoneProof(carrier, cert, hashlib.sha256(b"FAKE" + message).digest() * 8)


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
