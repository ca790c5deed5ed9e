"""Ports: the typing.Protocol interfaces the core needs from the outside world.

Adapters in drivers/ implement them; the core and tests depend only on these shapes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from kiosk.domain import (
    BasicInfo,
    CardSummary,
    CertificateInfo,
    ChipFrontRecord,
    CredentialCarrier,
    PhoneCredential,
    PhoneProof,
)
from kiosk.face import FaceDecision, Guidance
from kiosk.proof import ProofStatement
from kiosk.result import ResultFacts


class CancelToken(Protocol):
    """A `threading.Event` as seen by workers: checked between APDUs, frames and retries."""

    def is_set(self) -> bool: ...


class CardService(Protocol):
    """The My Number card behind one reader. Every call runs on the card thread and may be cancelled."""

    def read_summary(self, cancel: CancelToken | None = None) -> CardSummary:
        """Certificates and tries-left counters; spends no try."""
        ...

    def read_chip_front(self, verification_b: str, cancel: CancelToken | None = None) -> ChipFrontRecord:
        """VERIFY 照合番号B (one try), then read the card face; raises VerificationBWrong/Blocked."""
        ...

    def sign_challenge(self, pin: str, challenge: bytes, cancel: CancelToken | None = None) -> bytes:
        """VERIFY the auth PIN and sign SHA-256(challenge) with the auth key in one exclusive transaction."""
        ...

    def read_basic_info(self, pin: str, cancel: CancelToken | None = None) -> BasicInfo:
        """VERIFY the 券面事項入力補助 PIN and read the 4 basic attributes."""
        ...


class PhoneService(Protocol):
    """The smartphone reader (drivers.card.phone.SmartphoneService): what is on it, and the phone's proof."""

    def identify(self, cancel: CancelToken | None = None) -> PhoneCredential:
        """The carrier on the reader (card, Android, iPhone) and Android's PIN counter; spends no try."""
        ...

    def prove(self, carrier: CredentialCarrier, message: bytes, pin: str | None = None,
              cancel: CancelToken | None = None) -> PhoneProof:
        """The phone's auth certificate and its signature over `message` (Android: after VERIFY of `pin`)."""
        ...


CardPresenceListener = Callable[[str, bool], None]
"""Called with (reader name, present) whenever a card is inserted (True) or removed (False)."""


# --- card presence (flow-facing) -----------------------------------------------------------------------


class CardPresenceSource(Protocol):
    """Reports card insertion/removal on the reader the kiosk uses (pyscard's CardMonitor, vpcd, a fake)."""

    def subscribe(self, listener: CardPresenceListener) -> Callable[[], None]:
        """Start calling `listener` from any thread; returns the unsubscribe function."""
        ...


# --- face (flow-facing) --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FaceBox:
    """Where the face is in the preview, as fractions (0..1) of the frame's width and height."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class FaceProgress:
    """One live-guidance update during capture: what to tell the patient, where the face is, how far along."""

    hint: Guidance
    box: FaceBox | None
    progress: float  # 0..1 of the frames/challenge collected so far


@dataclass(frozen=True)
class PreviewFrame:
    """An RGB888 frame for the on-screen preview only; never logged, never stored."""

    width: int
    height: int
    rgb: bytes = field(repr=False)


class CardFrontScanner(Protocol):
    """Images the printed card front and builds 照合番号B (validated before it is returned)."""

    def scan(self, cancel: CancelToken | None = None) -> str:
        """Return the 14-digit 照合番号B; raises CardFaceUnreadable. The value never leaves the runtime."""
        ...


class FaceVerifier(Protocol):
    """Live capture with quality gates and liveness, matched against the chip photo."""

    def verify(
        self,
        chip_photo_jp2: bytes,
        on_progress: Callable[[FaceProgress], None],
        on_frame: Callable[[PreviewFrame], None],
        cancel: CancelToken | None = None,
    ) -> FaceDecision:
        """The full decision record (kiosk.face.FaceDecision); raises NoFaceInChipPhoto or CameraLost.
        Returns early with verdict NO_USABLE_FACE when cancelled."""
        ...


# --- backend (flow-facing) -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BackendChallenge:
    """The verifier's nonce for the PIN signature, and whether the card is registered for insurance use."""

    nonce: bytes = field(repr=False)
    registered: bool
    challenge_id: str = ""  # the verifier's name for it, carried into the result


@dataclass(frozen=True)
class BackendReceipt:
    receipt_id: str
    queued: bool  # True when it is durably stored but the verifier has not answered yet (or refused it)


@dataclass(frozen=True)
class DeliveryHealth:
    """The delivery side as staff see it: healthy only with nothing waiting, nothing held and disk to spare."""

    healthy: bool
    pending: int
    quarantined: int
    accepting: bool  # False: too little disk left to save another reception (out of service)
    staff_line: str


class ReceptionBackend(Protocol):
    """The verification service as the flow needs it; raises BackendUnavailable / BackendRejected."""

    def fetch_challenge(self, auth_certificate: CertificateInfo, cancel: CancelToken | None = None) -> BackendChallenge:
        ...

    def submit(self, facts: ResultFacts, cancel: CancelToken | None = None) -> BackendReceipt:
        """Build, sign and durably store the result (fsync'd) within a bounded local wait, then wait briefly
        for the verifier's answer. Raises OutboxError only when the result could NOT be stored."""
        ...

    def outbox_depth(self) -> int:
        ...

    def call_staff(self, reason: str, cancel: CancelToken | None = None) -> None:
        """Tell staff a patient asks for them (「職員を呼ぶ」); `reason` is the screen it came from. Raises
        BackendUnavailable / BackendRejected when the call did not reach them."""
        ...

    def delivery_health(self) -> DeliveryHealth:
        ...

    def proof_statement(self, result_id: str, signed_at: datetime) -> ProofStatement | None:
        """The statement the card signs on the PIN path, with the next value of the kiosk's durable counter;
        None while the verifier still wants its live challenge signed instead."""
        ...
