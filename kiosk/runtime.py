"""Qt-free effect executor and the controller that ties `kiosk.flow.step` to it.

- One single-worker executor owns the card (every CardService call runs there, in order).
- A small pool runs card-face scanning, face capture/matching, HTTP and the staff PIN hash.
- Every job gets a `threading.Event` for cancellation; its result comes back through `post_to_main` as an
  event carrying the job's token. The flow drops results whose token it no longer expects.
- Secrets and personal data (照合番号B, chip photo, challenge, signature) stay in the SessionVault here and
  never enter the flow state, a log or an event. ClearSensitiveData drops them.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from kiosk import __version__
from kiosk.consent import ConsentCatalogue
from kiosk.domain import CardSummary, CredentialCarrier, PhoneProof
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
from kiosk.flow import step
from kiosk.flow_types import (
    Alarm,
    CallStaff,
    CancelJob,
    CancelTimer,
    CardFrontScanned,
    CardInserted,
    CardTaken,
    ChallengeFetched,
    CheckStaffPin,
    Chime,
    ChipPhotoRead,
    ClearSensitiveData,
    Effect,
    Event,
    FaceDecided,
    FaceProgressed,
    FetchChallenge,
    FlowState,
    HoldPhonePin,
    IdentifyPhone,
    JobFailed,
    PhoneIdentified,
    PhonePlaced,
    PhoneProved,
    PhoneTaken,
    PinRejected,
    PinVerified,
    PlayVoice,
    ProvePhone,
    ReadCard,
    ReadChipPhoto,
    RecordOutcome,
    RunSelfTest,
    ScanCardFront,
    SelfTestDone,
    SelfTestItem,
    SelfTestReport,
    Show,
    StaffCallAnswered,
    StaffPinChecked,
    StartCapture,
    StartTimer,
    StopCapture,
    StopVoice,
    Submit,
    SubmitPlan,
    Submitted,
    SummaryRead,
    VerifyPin,
)
from kiosk.ports import (
    CancelToken,
    CardFrontScanner,
    CardPresenceSource,
    CardService,
    FaceProgress,
    FaceVerifier,
    PhoneService,
    PreviewFrame,
    ReceptionBackend,
)
from kiosk.proof import ProofStatement
from kiosk.reception import Method, PinEvidence, PinProofEvidence
from kiosk.result import ResultFacts, ScreenAnswer, ShownText, new_result_id
from kiosk.screens import ScreenModel, screen_model
from kiosk.staff import DailyCounts, StaffGate

log = logging.getLogger(__name__)

PostToMain = Callable[[Event], None]
Probe = Callable[[], tuple[bool, str]]  # a self-test check: (ok, short technical detail)


class Timers(Protocol):
    """Single-shot named timers; firing posts TimerExpired(name, token) on the main thread."""

    def start(self, name: str, seconds: float, token: int) -> None: ...

    def cancel(self, name: str) -> None: ...


class Speaker(Protocol):
    def play(self, clip: str, lang: str) -> None: ...

    def stop(self) -> None: ...

    def alarm(self, on: bool) -> None: ...

    def chime(self) -> None: ...


@dataclass
class SessionVault:
    """The patient's secrets while the session lasts. `generation` stops a late job writing after a wipe."""

    summary: CardSummary | None = None
    nonce: bytes | None = field(default=None, repr=False)
    verification_b: str | None = field(default=None, repr=False)
    chip_photo: bytes | None = field(default=None, repr=False)
    signature: bytes | None = field(default=None, repr=False)
    challenge_id: str = ""
    proof: ProofStatement | None = None  # what the card signed on the PIN path (kiosk-made statement)
    phone_pin: str | None = field(default=None, repr=False)  # Android's PIN until the phone is held
    phone_proof: PhoneProof | None = None  # the phone's certificate and signature (a phone reception)
    # Fixed when the session starts, before anything is written: the result's id and idempotency key.
    result_id: str = ""
    started_at: datetime | None = None
    timings_ms: dict[str, int] = field(default_factory=dict)
    last_step_end: datetime | None = None
    generation: int = 0

    def clear(self) -> None:
        self.summary = self.nonce = self.verification_b = self.chip_photo = self.signature = None
        self.challenge_id = self.result_id = ""
        self.proof = None
        self.phone_pin = None
        self.phone_proof = None
        self.started_at = self.last_step_end = None
        self.timings_ms = {}
        self.generation += 1


@dataclass(frozen=True)
class Devices:
    card: CardService
    scanner: CardFrontScanner
    face: FaceVerifier
    backend: ReceptionBackend
    # The chip photo decoded for the staff visual check (drivers.camera.chip_photo); None: no photo shown.
    photo_preview: Callable[[bytes], PreviewFrame | None] | None = None
    phone: PhoneService | None = None  # the smartphone reader, where the facility has one
    # The same phone driver pointed at the card reader: tells a phone held there where to go.
    phone_on_card_reader: PhoneService | None = None


class Runtime:
    def __init__(
        self,
        devices: Devices,
        consents: ConsentCatalogue,
        post_to_main: PostToMain,
        timers: Timers,
        speaker: Speaker,
        staff_gate: StaffGate,
        counts: DailyCounts | None = None,
        probes: Mapping[str, Probe] | None = None,
        preview: Callable[[PreviewFrame], None] | None = None,
        now: Callable[[], datetime] | None = None,
        card_executor: Executor | None = None,
        pool: Executor | None = None,
    ) -> None:
        self._d = devices
        self._consents = consents
        self._post = post_to_main
        self._timers = timers
        self._speaker = speaker
        self._staff = staff_gate
        self.counts = counts or DailyCounts()
        self._probes = dict(probes or {})
        self._preview = preview or (lambda frame: None)
        self._now = now or (lambda: datetime.now(UTC))
        self._card = card_executor or ThreadPoolExecutor(max_workers=1, thread_name_prefix="card")
        self._pool = pool or ThreadPoolExecutor(max_workers=2, thread_name_prefix="job")
        self._cancels: dict[int, threading.Event] = {}
        self._unsubscribes: list[Callable[[], None]] = []
        self._lock = threading.Lock()
        self.vault = SessionVault()
        self.last_errors: deque[str] = deque(maxlen=8)

    # --- effects ---------------------------------------------------------------------------------------

    def execute(self, effects: Iterable[Effect]) -> None:
        for effect in effects:
            self._execute(effect)

    def _execute(self, e: Effect) -> None:
        match e:
            case Show():
                pass  # rendering is the controller's job
            case StartTimer(name=name, seconds=seconds, token=token):
                self._timers.start(name, seconds, token)
            case CancelTimer(name=name):
                self._timers.cancel(name)
            case ReadCard(token=t):
                self._job(self._card, t, self._read_card)
            case FetchChallenge(token=t):
                self._job(self._pool, t, self._fetch_challenge)
            case ScanCardFront(token=t):
                self._job(self._pool, t, self._scan_card_face)
            case ReadChipPhoto(token=t):
                self._job(self._card, t, self._read_chip_photo)
            case StartCapture(token=t):
                self._job(self._pool, t, self._capture)
            case StopCapture(token=t) | CancelJob(token=t):
                self._cancel(t)
            case VerifyPin(token=t, pin=pin):
                self._job(self._card, t, lambda token, cancel, gen: self._verify_pin(token, cancel, gen, pin))
            case Submit(token=t, plan=plan):
                self._job(self._pool, t, lambda token, cancel, gen: self._submit(token, cancel, gen, plan))
            case ClearSensitiveData():
                with self._lock:
                    self.vault.clear()
            case PlayVoice(clip=clip, lang=lang):
                self._speaker.play(clip, lang)
            case StopVoice():
                self._speaker.stop()
            case Alarm(on=on):
                self._speaker.alarm(on)
            case CheckStaffPin(token=t, pin=pin):
                self._job(self._pool, t, lambda token, cancel, gen: self._check_staff(token, pin))
            case RunSelfTest(token=t):
                self._job(self._pool, t, lambda token, cancel, gen: SelfTestDone(token, self.self_test()))
            case HoldPhonePin(pin=pin):
                with self._lock:
                    self.vault.phone_pin = pin
            case IdentifyPhone(token=t):
                self._job(self._card, t, self._identify_phone)
            case ProvePhone(token=t, carrier=carrier):
                self._job(self._card, t, lambda token, cancel, gen: self._prove_phone(token, cancel, gen, carrier))
            case RecordOutcome(method=method):
                self.counts.add(method.value)
            case CallStaff(token=t, reason=reason):
                self._job(self._pool, t, lambda token, cancel, gen: self._call_staff(token, cancel, reason))
            case Chime():
                self._speaker.chime()

    def _job(self, executor: Executor, token: int, fn: Callable[[int, CancelToken, int], Event | None]) -> None:
        cancel = threading.Event()
        with self._lock:
            self._cancels[token] = cancel
            generation = self.vault.generation

        def run() -> None:
            event: Event | None
            try:
                event = fn(token, cancel, generation)
            except KioskError as exc:
                self.last_errors.append(exc.code)
                event = JobFailed(token, exc.code, getattr(exc, "tries_left", None))
            except Exception as exc:  # a driver bug must not kill the worker; the type only, never the message
                log.error("job %d failed with %s", token, type(exc).__name__)
                self.last_errors.append(type(exc).__name__)
                event = JobFailed(token, ErrorCode.KIOSK_ERROR)
            finally:
                with self._lock:
                    self._cancels.pop(token, None)
            if event is not None:
                self._post(event)

        executor.submit(run)

    def _cancel(self, token: int) -> None:
        with self._lock:
            cancel = self._cancels.get(token)
        if cancel is not None:
            cancel.set()

    def _store(self, generation: int, **values: object) -> bool:
        """Write into the vault unless it was wiped since the job started (the session is gone)."""
        with self._lock:
            if generation != self.vault.generation:
                return False
            for name, value in values.items():
                setattr(self.vault, name, value)
            return True

    # --- jobs (worker threads) -------------------------------------------------------------------------

    def _timed(self, gen: int, step_name: str, started: datetime) -> None:
        """Record one step's duration in the session (its end also starts the consent clock)."""
        end = self._now()
        with self._lock:
            if gen == self.vault.generation:
                self.vault.timings_ms[step_name] = int((end - started).total_seconds() * 1000)
                self.vault.last_step_end = end

    def _read_card(self, token: int, cancel: CancelToken, gen: int) -> Event | None:
        if not self._d.backend.delivery_health().accepting:
            raise OutOfService("outbox disk almost full")  # before the card is touched: nothing spent
        started = self._now()
        self._store(gen, result_id=new_result_id(), started_at=started)
        try:
            summary = self._d.card.read_summary(cancel)
        except CardError as exc:
            if not isinstance(exc, CardTimeout) and self._phone_on_card_reader(cancel):
                raise PhoneOnCardReader("a phone answered on the card reader") from exc
            raise
        self._store(gen, summary=summary)
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

    def _identify_phone(self, token: int, cancel: CancelToken, gen: int) -> Event | None:
        if self._d.phone is None:
            return JobFailed(token, ErrorCode.NO_READER)
        if not self._d.backend.delivery_health().accepting:
            raise OutOfService("outbox disk almost full")  # before the phone is touched: nothing spent
        started = self._now()
        with self._lock:
            fresh = self.vault.started_at is None and gen == self.vault.generation
        if fresh:  # the reception starts when the phone is first read (a re-hold keeps its id and clock)
            self._store(gen, result_id=new_result_id(), started_at=started)
        credential = self._d.phone.identify(cancel)
        self._timed(gen, "phone_identify", started)
        return PhoneIdentified(token, credential.carrier, credential.auth_pin_tries)

    def _prove_phone(self, token: int, cancel: CancelToken, gen: int, carrier: CredentialCarrier) -> Event | None:
        if self._d.phone is None:
            return JobFailed(token, ErrorCode.NO_READER)
        started = self._now()
        with self._lock:
            result_id, pin = self.vault.result_id, self.vault.phone_pin
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
            self.last_errors.append(exc.code)
            self._store(gen, phone_pin=None)
            return PinRejected(token, exc.tries_left)
        self._store(gen, phone_proof=proof, signature=proof.signature, proof=statement, phone_pin=None)
        self._timed(gen, "phone_proof", started)
        return PhoneProved(token, proof.auth_certificate.not_after, self._now())

    def _fetch_challenge(self, token: int, cancel: CancelToken, gen: int) -> Event | None:
        summary = self.vault.summary
        if summary is None:
            return JobFailed(token, ErrorCode.CARD_REMOVED)
        started = self._now()
        challenge = self._d.backend.fetch_challenge(summary.auth_certificate, cancel)
        self._store(gen, nonce=challenge.nonce, challenge_id=challenge.challenge_id)
        self._timed(gen, "challenge", started)
        return ChallengeFetched(token, challenge.registered)

    def _scan_card_face(self, token: int, cancel: CancelToken, gen: int) -> Event | None:
        started = self._now()
        self._store(gen, verification_b=self._d.scanner.scan(cancel))
        self._timed(gen, "card_face_scan", started)
        return CardFrontScanned(token)

    def _read_chip_photo(self, token: int, cancel: CancelToken, gen: int) -> Event | None:
        verification_b = self.vault.verification_b
        if verification_b is None:
            return JobFailed(token, ErrorCode.CARD_FACE_UNREADABLE)
        started = self._now()
        face = self._d.card.read_chip_front(verification_b, cancel)
        if face.signature_valid is not True:  # an unsigned or altered 券面 record is never matched against
            self._store(gen, verification_b=None)
            raise CardNotAuthentic("the card-face record was not verified against an issuer key")
        self._store(gen, chip_photo=face.photo_jp2, verification_b=None)  # 照合番号B is not needed again
        self._timed(gen, "chip_photo", started)
        return ChipPhotoRead(token)

    def _capture(self, token: int, cancel: CancelToken, gen: int) -> Event | None:
        photo = self.vault.chip_photo
        if photo is None:
            return JobFailed(token, ErrorCode.NO_FACE_IN_CHIP_PHOTO)

        def progress(p: FaceProgress) -> None:
            if not cancel.is_set():
                self._post(FaceProgressed(token, p.hint, p.box, p.progress))

        started = self._now()
        decision = self._d.face.verify(photo, progress, self._preview, cancel)
        self._timed(gen, "face", started)
        return FaceDecided(token, decision)

    def _verify_pin(self, token: int, cancel: CancelToken, gen: int, pin: str) -> Event | None:
        started = self._now()
        # The card signs the kiosk's own statement (bound to this result's id and a durable counter) when
        # the backend takes proofs; else the verifier's live challenge fetched at card read.
        statement = self._d.backend.proof_statement(self.vault.result_id, started) if self.vault.result_id else None
        signed = statement.to_bytes() if statement is not None else self.vault.nonce
        if signed is None:
            return JobFailed(token, ErrorCode.BACKEND_UNAVAILABLE)
        try:
            signature = self._d.card.sign_challenge(pin, signed, cancel)
        except PinWrong as exc:
            self.last_errors.append(exc.code)
            return PinRejected(token, exc.tries_left)
        self._store(gen, signature=signature, proof=statement)
        self._timed(gen, "pin", started)
        return PinVerified(token)

    def _submit(self, token: int, cancel: CancelToken, gen: int, plan: SubmitPlan) -> Event | None:
        receipt = self._d.backend.submit(self.build_facts(plan), cancel)
        return Submitted(token, receipt.queued)

    def _call_staff(self, token: int, cancel: CancelToken, reason: str) -> Event:
        try:
            self._d.backend.call_staff(reason, cancel)
        except (BackendUnavailable, BackendRejected) as exc:
            self.last_errors.append(exc.code)
            return StaffCallAnswered(token, delivered=False)
        return StaffCallAnswered(token, delivered=True)

    def _check_staff(self, token: int, pin: str) -> Event:
        check = self._staff.check(pin)
        return StaffPinChecked(token, check.ok, check.locked_for_s, check.tries_left)

    # --- helpers -------------------------------------------------------------------------------------

    def build_facts(self, plan: SubmitPlan) -> ResultFacts:
        """What this session did, typed, for kiosk.result to turn into the result (each answer once)."""
        with self._lock:
            v = self.vault
            if v.summary is not None:
                certificate = v.summary.auth_certificate.der
            elif v.phone_proof is not None:
                certificate = v.phone_proof.auth_certificate.der
            else:
                raise KioskError("no card data in the session")
            if not v.result_id or v.started_at is None:
                raise KioskError("no card data in the session")
            completed = self._now()
            timings = dict(v.timings_ms)
            if v.last_step_end is not None and plan.consents:
                timings["consent"] = int((completed - v.last_step_end).total_seconds() * 1000)
            timings["total"] = int((completed - v.started_at).total_seconds() * 1000)
            answers = []
            for screen_id, choice in plan.consents:
                text = self._consents.get(screen_id)
                shown = ShownText(screen_id, text.version, text.sha256(plan.lang), text.lang_shown(plan.lang))
                covers = plan.covered_by_comprehensive if screen_id == "comprehensive" else ()
                answers.append(ScreenAnswer(shown, choice, completed, covers))
            method = plan.method
            pin: PinProofEvidence | PinEvidence | None = None
            if method in {Method.PIN, Method.SMARTPHONE_ANDROID, Method.SMARTPHONE_IPHONE} \
                    and v.signature is not None:
                if v.proof is not None:
                    pin = PinProofEvidence(v.proof.counter, v.proof.signed_at, v.signature)
                elif v.nonce is not None:
                    pin = PinEvidence(v.challenge_id, v.nonce, v.signature)
            return ResultFacts(
                result_id=v.result_id,
                method=method,
                auth_certificate=certificate,
                started_at=v.started_at,
                completed_at=completed,
                answers=tuple(answers),
                step_timings_ms=tuple(sorted(timings.items())),
                face=plan.face if method is Method.FACE else None,
                pin=pin,
                registration_request=plan.register_for_insurance,
                language=plan.lang,
                eligibility_only=plan.eligibility_only,
            )

    def chip_photo_preview(self) -> PreviewFrame | None:
        """The session's chip photo for the staff visual check (the screen model says when); None without one."""
        with self._lock:
            photo = self.vault.chip_photo
        if photo is None or self._d.photo_preview is None:
            return None
        try:
            return self._d.photo_preview(photo)
        except Exception as exc:  # a decoder bug shows no photo; the type only, never the data
            log.error("chip photo preview failed with %s", type(exc).__name__)
            return None

    def self_test(self) -> SelfTestReport:
        items = []
        for name, probe in self._probes.items():
            try:
                ok, detail = probe()
            except Exception as exc:  # a probe that crashes is a failed check, reported by type only
                ok, detail = False, type(exc).__name__
            items.append(SelfTestItem(name, ok, detail))
        try:
            health = self._d.backend.delivery_health()
            items.append(SelfTestItem("outbox", health.pending == 0 and health.accepting, str(health.pending)))
            items.append(SelfTestItem("quarantine", health.quarantined == 0, health.staff_line))
        except Exception as exc:
            items.append(SelfTestItem("outbox", False, type(exc).__name__))
        items.append(SelfTestItem("version", True, __version__))
        counts = tuple(sorted(self.counts.snapshot().items()))
        return SelfTestReport(tuple(items), counts, tuple(self.last_errors))

    def watch_presence(self, source: CardPresenceSource) -> None:
        """Post the source's card events until shutdown(), which unsubscribes (the source may outlive us)."""
        unsubscribe = source.subscribe(lambda reader, present: self._post(CardInserted() if present else CardTaken()))
        self._unsubscribes.append(unsubscribe)

    def watch_phone_presence(self, source: CardPresenceSource) -> None:
        """The smartphone reader's events, as PhonePlaced / PhoneTaken (a separate source from the card's)."""
        unsubscribe = source.subscribe(lambda reader, present: self._post(PhonePlaced() if present else PhoneTaken()))
        self._unsubscribes.append(unsubscribe)

    def shutdown(self) -> None:
        while self._unsubscribes:
            self._unsubscribes.pop()()
        with self._lock:
            for cancel in self._cancels.values():
                cancel.set()
        for executor in (self._card, self._pool):
            executor.shutdown(wait=False, cancel_futures=True)


class KioskController:
    """Owns the flow state on the main thread: step, render on Show, hand every other effect to the runtime."""

    def __init__(
        self,
        state: FlowState,
        runtime: Runtime,
        render: Callable[[ScreenModel], None],
        on_step: Callable[[Event, FlowState, list[Effect]], None] | None = None,
    ) -> None:
        self.state = state
        self._runtime = runtime
        self._render = render
        self._on_step = on_step

    def start(self) -> None:
        self._render(screen_model(self.state))

    def dispatch(self, event: Event) -> None:
        self.state, effects = step(self.state, event)
        if self._on_step is not None:
            self._on_step(event, self.state, effects)
        if any(isinstance(e, Show) for e in effects):
            self._render(screen_model(self.state))
        self._runtime.execute(effects)
