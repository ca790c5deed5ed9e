"""Qt-free effect executor and the controller that ties `kiosk.flow.step` to it.

- One single-worker executor owns the card (every CardService call runs there, in order).
- A small pool runs card-face scanning, face capture/matching, HTTP and the staff PIN hash.
- Every job (`kiosk.runtime_jobs`) gets a `threading.Event` for cancellation; its result comes back through
  `post_to_main` as an event carrying the job's token. The flow drops results whose token it no longer expects.
- Secrets and personal data (照合番号B, chip photo, challenge, signature) stay in the SessionVault
  (`kiosk.session_vault`) held here and never enter the flow state, a log or an event. ClearSensitiveData drops
  them.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Executor, ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Protocol

from kiosk import __version__
from kiosk.consent import ConsentCatalogue
from kiosk.errors import ErrorCode, KioskError
from kiosk.flow import step
from kiosk.flow_effects import (
    Alarm,
    CallStaff,
    CancelJob,
    CancelTimer,
    CheckStaffPin,
    Chime,
    ClearSensitiveData,
    Effect,
    FetchChallenge,
    HoldPhonePin,
    IdentifyPhone,
    PlayVoice,
    ProvePhone,
    ReadCard,
    ReadChipPhoto,
    RecordOutcome,
    RunSelfTest,
    ScanCardFront,
    Show,
    StartCapture,
    StartTimer,
    StopCapture,
    StopVoice,
    Submit,
    SubmitPlan,
    VerifyPin,
)
from kiosk.flow_events import CardInserted, CardTaken, Event, JobFailed, PhonePlaced, PhoneTaken, SelfTestDone
from kiosk.flow_types import FlowState, SelfTestItem, SelfTestReport
from kiosk.ports import CancelToken, CardPresenceSource, PreviewFrame
from kiosk.result import ResultFacts
from kiosk.runtime_jobs import Devices, PostToMain, RuntimeJobs
from kiosk.screens import ScreenModel, screen_model
from kiosk.session_vault import SessionVault, session_facts
from kiosk.staff import DailyCounts, StaffGate

log = logging.getLogger(__name__)

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
        self.counts = counts or DailyCounts()
        self._probes = dict(probes or {})
        self._now = now or (lambda: datetime.now(UTC))
        self._card = card_executor or ThreadPoolExecutor(max_workers=1, thread_name_prefix="card")
        self._pool = pool or ThreadPoolExecutor(max_workers=2, thread_name_prefix="job")
        self._cancels: dict[int, threading.Event] = {}
        self._unsubscribes: list[Callable[[], None]] = []
        self._lock = threading.Lock()
        self.vault = SessionVault()
        self.last_errors: deque[str] = deque(maxlen=8)
        self._jobs = RuntimeJobs(devices, self.vault, self._lock, post_to_main, staff_gate, self.build_facts,
                                 self.last_errors, preview or (lambda frame: None), self._now)

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
                self._job(self._card, t, self._jobs.read_card)
            case FetchChallenge(token=t):
                self._job(self._pool, t, self._jobs.fetch_challenge)
            case ScanCardFront(token=t):
                self._job(self._pool, t, self._jobs.scan_card_face)
            case ReadChipPhoto(token=t):
                self._job(self._card, t, self._jobs.read_chip_photo)
            case StartCapture(token=t):
                self._job(self._pool, t, self._jobs.capture)
            case StopCapture(token=t) | CancelJob(token=t):
                self._cancel(t)
            case VerifyPin(token=t, pin=pin):
                self._job(self._card, t, lambda token, cancel, gen: self._jobs.verify_pin(token, cancel, gen, pin))
            case Submit(token=t, plan=plan):
                self._job(self._pool, t, lambda token, cancel, gen: self._jobs.submit(token, cancel, gen, plan))
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
                self._job(self._pool, t, lambda token, cancel, gen: self._jobs.check_staff(token, pin))
            case RunSelfTest(token=t):
                self._job(self._pool, t, lambda token, cancel, gen: SelfTestDone(token, self.self_test()))
            case HoldPhonePin(pin=pin):
                with self._lock:
                    self.vault.phone_pin = pin
            case IdentifyPhone(token=t):
                self._job(self._card, t, self._jobs.identify_phone)
            case ProvePhone(token=t, carrier=carrier):
                self._job(self._card, t, lambda token, cancel, gen: self._jobs.prove_phone(token, cancel, gen, carrier))
            case RecordOutcome(method=method):
                self.counts.add(method.value)
            case CallStaff(token=t, reason=reason):
                self._job(self._pool, t, lambda token, cancel, gen: self._jobs.call_staff(token, cancel, reason))
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

    # --- helpers -------------------------------------------------------------------------------------

    def build_facts(self, plan: SubmitPlan) -> ResultFacts:
        """What this session did, typed, for kiosk.result to turn into the result (each answer once)."""
        with self._lock:
            return session_facts(self.vault, plan, self._consents, self._now)

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
