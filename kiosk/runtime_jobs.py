"""The runtime's jobs: what runs on a worker thread for each effect that reaches a device.

`kiosk.runtime.Runtime` picks the executor and issues the cancel event; a job here gets the flow's token, that
event and the session vault's generation at submission, and returns the event that answers the flow (a
KioskError it raises becomes JobFailed in the runtime). A job writes into the vault only through `store`, which
refuses once the vault was wiped since the job started, so a late job cannot bring a patient's data back.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from kiosk.domain import CredentialCarrier
from kiosk.errors import (
    BackendRejected,
    BackendUnavailable,
    CardError,
    CardNotAuthentic,
    CardTimeout,
    ErrorCode,
    KioskError,
    OutOfService,
    PhoneOnCardReader,
    PinWrong,
)
from kiosk.flow_effects import SubmitPlan
from kiosk.flow_events import (
    CardFrontScanned,
    ChallengeFetched,
    ChipPhotoRead,
    Event,
    FaceDecided,
    FaceProgressed,
    JobFailed,
    PhoneIdentified,
    PhoneProved,
    PinRejected,
    PinVerified,
    StaffCallAnswered,
    StaffPinChecked,
    Submitted,
    SummaryRead,
)
from kiosk.ports import (
    CancelToken,
    CardFrontScanner,
    CardService,
    FaceProgress,
    FaceVerifier,
    PhoneService,
    PreviewFrame,
    ReceptionBackend,
)
from kiosk.result import ResultFacts, new_result_id
from kiosk.session_vault import SessionVault
from kiosk.staff import StaffGate

PostToMain = Callable[[Event], None]


@dataclass(frozen=True)
class Devices:
    """The devices behind the ports, as `kiosk.app.wiring` (or a test bench) built them."""

    card: CardService
    scanner: CardFrontScanner
    face: FaceVerifier
    backend: ReceptionBackend
    # The chip photo decoded for the staff visual check (drivers.camera.chip_photo); None: no photo shown.
    photo_preview: Callable[[bytes], PreviewFrame | None] | None = None
    phone: PhoneService | None = None  # the smartphone reader, where the facility has one
    # The same phone driver pointed at the card reader: tells a phone held there where to go.
    phone_on_card_reader: PhoneService | None = None


class RuntimeJobs:
    """The jobs, sharing the runtime's vault, its lock and its list of recent error codes."""

    def __init__(
        self,
        devices: Devices,
        vault: SessionVault,
        lock: threading.Lock,
        post_to_main: PostToMain,
        staff_gate: StaffGate,
        facts: Callable[[SubmitPlan], ResultFacts],
        last_errors: deque[str],
        preview: Callable[[PreviewFrame], None],
        now: Callable[[], datetime],
    ) -> None:
        self._d = devices
        self._vault = vault
        self._lock = lock
        self._post = post_to_main
        self._staff = staff_gate
        self._facts = facts
        self._last_errors = last_errors
        self._preview = preview
        self._now = now

    def store(self, generation: int, **values: object) -> bool:
        """Write into the vault unless it was wiped since the job started (the session is gone)."""
        with self._lock:
            if generation != self._vault.generation:
                return False
            for name, value in values.items():
                setattr(self._vault, name, value)
            return True

    def _timed(self, gen: int, step_name: str, started: datetime) -> None:
        """Record one step's duration in the session (its end also starts the consent clock)."""
        end = self._now()
        with self._lock:
            if gen == self._vault.generation:
                self._vault.timings_ms[step_name] = int((end - started).total_seconds() * 1000)
                self._vault.last_step_end = end

    def read_card(self, token: int, cancel: CancelToken, gen: int) -> Event | None:
        if not self._d.backend.delivery_health().accepting:
            raise OutOfService("outbox disk almost full")  # before the card is touched: nothing spent
        started = self._now()
        self.store(gen, result_id=new_result_id(), started_at=started)
        try:
            summary = self._d.card.read_summary(cancel)
        except CardError as exc:
            if not isinstance(exc, CardTimeout) and self._phone_on_card_reader(cancel):
                raise PhoneOnCardReader("a phone answered on the card reader") from exc
            raise
        self.store(gen, summary=summary)
        self._timed(gen, "card_read", started)
        return SummaryRead(token, summary, self._now())

    def _phone_on_card_reader(self, cancel: CancelToken) -> bool:
        """Whether what failed to read as a card on the card reader is a phone (asked without any secret)."""
        if self._d.phone_on_card_reader is None:
            return False
        try:
            return self._d.phone_on_card_reader.identify(cancel).carrier.is_phone
        except KioskError:
            return False

    def identify_phone(self, token: int, cancel: CancelToken, gen: int) -> Event | None:
        if self._d.phone is None:
            return JobFailed(token, ErrorCode.NO_READER)
        if not self._d.backend.delivery_health().accepting:
            raise OutOfService("outbox disk almost full")  # before the phone is touched: nothing spent
        started = self._now()
        with self._lock:
            fresh = self._vault.started_at is None and gen == self._vault.generation
        if fresh:  # the reception starts when the phone is first read (a re-hold keeps its id and clock)
            self.store(gen, result_id=new_result_id(), started_at=started)
        credential = self._d.phone.identify(cancel)
        self._timed(gen, "phone_identify", started)
        return PhoneIdentified(token, credential.carrier, credential.auth_pin_tries)

    def prove_phone(self, token: int, cancel: CancelToken, gen: int, carrier: CredentialCarrier) -> Event | None:
        if self._d.phone is None:
            return JobFailed(token, ErrorCode.NO_READER)
        started = self._now()
        with self._lock:
            result_id, pin = self._vault.result_id, self._vault.phone_pin
        # The phone signs the kiosk's own statement, as the card does on its PIN path (kiosk.proof).
        statement = self._d.backend.proof_statement(result_id, started) if result_id else None
        if statement is None:
            return JobFailed(token, ErrorCode.BACKEND_UNAVAILABLE)
        if carrier is CredentialCarrier.ANDROID and pin is None:
            return JobFailed(token, ErrorCode.PIN_FORMAT)
        try:
            proof = self._d.phone.prove(carrier, statement.to_bytes(),
                                        pin if carrier is CredentialCarrier.ANDROID else None, cancel)
        except PinWrong as exc:
            self._last_errors.append(exc.code)
            self.store(gen, phone_pin=None)
            return PinRejected(token, exc.tries_left)
        self.store(gen, phone_proof=proof, signature=proof.signature, proof=statement, phone_pin=None)
        self._timed(gen, "phone_proof", started)
        return PhoneProved(token, proof.auth_certificate.not_after, self._now())

    def fetch_challenge(self, token: int, cancel: CancelToken, gen: int) -> Event | None:
        summary = self._vault.summary
        if summary is None:
            return JobFailed(token, ErrorCode.CARD_REMOVED)
        started = self._now()
        challenge = self._d.backend.fetch_challenge(summary.auth_certificate, cancel)
        self.store(gen, nonce=challenge.nonce, challenge_id=challenge.challenge_id)
        self._timed(gen, "challenge", started)
        return ChallengeFetched(token, challenge.registered)

    def scan_card_face(self, token: int, cancel: CancelToken, gen: int) -> Event | None:
        started = self._now()
        self.store(gen, verification_b=self._d.scanner.scan(cancel))
        self._timed(gen, "card_face_scan", started)
        return CardFrontScanned(token)

    def read_chip_photo(self, token: int, cancel: CancelToken, gen: int) -> Event | None:
        verification_b = self._vault.verification_b
        if verification_b is None:
            return JobFailed(token, ErrorCode.CARD_FACE_UNREADABLE)
        started = self._now()
        face = self._d.card.read_chip_front(verification_b, cancel)
        if face.signature_valid is not True:  # an unsigned or altered 券面 record is never matched against
            self.store(gen, verification_b=None)
            raise CardNotAuthentic("the card-face record was not verified against an issuer key")
        self.store(gen, chip_photo=face.photo_jp2, verification_b=None)  # 照合番号B is not needed again
        self._timed(gen, "chip_photo", started)
        return ChipPhotoRead(token)

    def capture(self, token: int, cancel: CancelToken, gen: int) -> Event | None:
        photo = self._vault.chip_photo
        if photo is None:
            return JobFailed(token, ErrorCode.NO_FACE_IN_CHIP_PHOTO)

        def progress(p: FaceProgress) -> None:
            if not cancel.is_set():
                self._post(FaceProgressed(token, p.hint, p.box, p.progress))

        started = self._now()
        decision = self._d.face.verify(photo, progress, self._preview, cancel)
        self._timed(gen, "face", started)
        return FaceDecided(token, decision)

    def verify_pin(self, token: int, cancel: CancelToken, gen: int, pin: str) -> Event | None:
        started = self._now()
        # The card signs the kiosk's own statement (bound to this result's id and a durable counter) when
        # the backend takes proofs; else the verifier's live challenge fetched at card read.
        statement = self._d.backend.proof_statement(self._vault.result_id, started) if self._vault.result_id else None
        signed = statement.to_bytes() if statement is not None else self._vault.nonce
        if signed is None:
            return JobFailed(token, ErrorCode.BACKEND_UNAVAILABLE)
        try:
            signature = self._d.card.sign_challenge(pin, signed, cancel)
        except PinWrong as exc:
            self._last_errors.append(exc.code)
            return PinRejected(token, exc.tries_left)
        self.store(gen, signature=signature, proof=statement)
        self._timed(gen, "pin", started)
        return PinVerified(token)

    def submit(self, token: int, cancel: CancelToken, gen: int, plan: SubmitPlan) -> Event | None:
        receipt = self._d.backend.submit(self._facts(plan), cancel)
        return Submitted(token, receipt.queued)

    def call_staff(self, token: int, cancel: CancelToken, reason: str) -> Event:
        try:
            self._d.backend.call_staff(reason, cancel)
        except (BackendUnavailable, BackendRejected) as exc:
            self._last_errors.append(exc.code)
            return StaffCallAnswered(token, delivered=False)
        return StaffCallAnswered(token, delivered=True)

    def check_staff(self, token: int, pin: str) -> Event:
        check = self._staff.check(pin)
        return StaffPinChecked(token, check.ok, check.locked_for_s, check.tries_left)
