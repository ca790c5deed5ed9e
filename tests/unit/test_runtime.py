"""The Qt-free runtime with in-process fakes: effects become jobs, results come back as events."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import replace
from typing import Any

import pytest

from kiosk.errors import ErrorCode, KioskError
from kiosk.face import FACE_MODEL_ID
from kiosk.flow import initial_state
from kiosk.flow_events import (
    ConsentAnswered,
    Event,
    PinEntered,
    Pressed,
    StaffCornerTapped,
    StaffPinEntered,
    TimerExpired,
)
from kiosk.flow_types import Intent, Notice, Phase, StaffCallState
from kiosk.reception import FaceEvidence, Liveness, Method
from kiosk.result import build_result
from kiosk.runtime import KioskController, Runtime
from kiosk.runtime_jobs import Devices
from kiosk.screens import ScreenModel
from kiosk.staff import StaffGate
from testbench.demo.fakes import FakeBackend, FakeCard, FakePresence, FakeScanner, ScriptedFaceVerifier
from tests.unit.flow_harness import STAFF_HASH, settings


class InlineExecutor:
    """Runs a job at once on the calling thread, so tests need no real threads."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(fn(*args, **kwargs))
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        pass


class FakeTimers:
    def __init__(self) -> None:
        self.running: dict[str, tuple[float, int]] = {}

    def start(self, name: str, seconds: float, token: int) -> None:
        self.running[name] = (seconds, token)

    def cancel(self, name: str) -> None:
        self.running.pop(name, None)


class RecordingSpeaker:
    def __init__(self) -> None:
        self.played: list[tuple[str, str]] = []
        self.alarms: list[bool] = []
        self.chimes = 0

    def play(self, clip: str, lang: str) -> None:
        self.played.append((clip, lang))

    def stop(self) -> None:
        self.played.append(("<stop>", ""))

    def alarm(self, on: bool) -> None:
        self.alarms.append(on)

    def chime(self) -> None:
        self.chimes += 1


class Kiosk:
    def __init__(self, card: FakeCard | None = None, face: ScriptedFaceVerifier | None = None,
                 backend: FakeBackend | None = None, scanner: FakeScanner | None = None) -> None:
        self.queue: deque[Event] = deque()
        self.timers = FakeTimers()
        self.speaker = RecordingSpeaker()
        self.card = card or FakeCard(delay_s=0)
        self.backend = backend or FakeBackend(delay_s=0)
        self.presence = FakePresence()
        self.frames = 0
        devices = Devices(self.card, scanner or FakeScanner(delay_s=0), face or ScriptedFaceVerifier(frame_s=0),
                          self.backend)
        st = settings()
        self.runtime = Runtime(
            devices, st.consents, self.queue.append, self.timers, self.speaker,
            StaffGate(STAFF_HASH), probes={"reader": lambda: (True, "FAKE")},
            preview=self._frame, card_executor=InlineExecutor(), pool=InlineExecutor(),  # type: ignore[arg-type]
        )
        self.screens: list[ScreenModel] = []
        self.controller = KioskController(initial_state(st), self.runtime, self.screens.append)
        self.runtime.watch_presence(self.presence)

    def _frame(self, frame: object) -> None:
        self.frames += 1

    def send(self, event: Event) -> None:
        self.queue.append(event)
        while self.queue:
            self.controller.dispatch(self.queue.popleft())

    def insert(self) -> None:
        self.presence.insert()
        self.send_queued()

    def send_queued(self) -> None:
        while self.queue:
            self.controller.dispatch(self.queue.popleft())

    def fire(self, name: str) -> None:
        _, token = self.timers.running.pop(name)
        self.send(TimerExpired(name, token))

    @property
    def phase(self) -> Phase:
        return self.controller.state.phase


def consent_all(k: Kiosk) -> None:
    while k.phase is Phase.CONSENT:
        item = k.controller.state.consent_queue[0]
        k.send(ConsentAnswered(item, k.controller.state.settings.consents.get(item).choices[0]))


def test_pin_path_end_to_end_through_the_runtime() -> None:
    k = Kiosk()
    k.insert()
    assert k.phase is Phase.METHOD and k.runtime.vault.nonce is not None
    k.send(Pressed(Intent.USE_PIN))
    k.send(PinEntered("1234"))
    assert k.phase is Phase.CONSENT and k.runtime.vault.signature is not None
    consent_all(k)
    assert k.phase is Phase.DONE
    facts = k.backend.submitted[0]
    assert facts.method is Method.PIN and facts.pin is not None and facts.face is None
    assert facts.pin.challenge_id == "FAKE-CHALLENGE"
    screens = [a.screen.text_id for a in facts.answers]
    assert screens[0] == "comprehensive" and len(screens) == len(set(screens))  # each screen once
    assert facts.answers[0].covers == ("diagnosis", "pharmacists", "operation", "specific_health_checkups")
    assert all(len(a.screen.sha256) == 64 and a.screen.version for a in facts.answers)
    assert facts.started_at is not None and facts.completed_at > facts.started_at
    timings = dict(facts.step_timings_ms)
    assert {"card_read", "challenge", "pin", "consent", "total"} <= timings.keys()
    result = build_result(facts, "kiosk-1", "0.1")  # what the adapter sends: each consent item once
    items = [c.item.value for c in result.consents]
    assert len(items) == len(set(items)) and items[:4] == list(facts.answers[0].covers)
    assert {c.text_id for c in result.consents[:4]} == {"comprehensive"}  # the text the patient saw
    assert k.runtime.vault.signature is None and k.runtime.vault.summary is None  # wiped at done
    assert k.runtime.counts.snapshot()["pin"] == 1
    k.fire("card_left")
    assert k.speaker.alarms == [True] and k.screens[-1].alarm
    k.presence.remove()
    k.send_queued()
    assert k.phase is Phase.ATTRACT and k.speaker.alarms == [True, False]
    assert ("done", "ja") in k.speaker.played


def test_wrong_pin_is_reported_with_tries_and_never_repeated() -> None:
    k = Kiosk()
    k.insert()
    k.send(Pressed(Intent.USE_PIN))
    k.send(PinEntered("9999"))
    assert k.phase is Phase.PIN_WRONG and k.controller.state.pin_tries == 2 and k.card.pin_tries == 2
    assert k.screens[-1].tries_left == 2


def test_face_path_streams_preview_and_guidance() -> None:
    k = Kiosk()
    k.insert()
    k.send(Pressed(Intent.USE_FACE))
    assert k.phase is Phase.CONSENT and k.frames == 5
    assert k.runtime.vault.verification_b is None  # dropped right after the photo was read
    consent_all(k)
    facts = k.backend.submitted[0]
    assert facts.method is Method.FACE and facts.face is not None and facts.pin is None
    evidence = build_result(facts, "kiosk-1", "0.1").evidence
    assert evidence == FaceEvidence(0.41, {"accept": 0.5, "reject": 0.6}, FACE_MODEL_ID, Liveness.PASSED)


def test_backend_down_is_told_honestly_and_the_reception_recorded() -> None:
    k = Kiosk(backend=FakeBackend(down=True, delay_s=0))
    k.insert()
    # the card was read: no "card could not be read"; the PIN path (live challenge) is not offered
    assert k.phase is Phase.CONSENT and k.controller.state.backend_down and k.controller.state.method is Method.FACE
    assert "backend_unavailable" in k.runtime.last_errors
    consent_all(k)
    assert k.phase is Phase.DONE and len(k.backend.submitted) == 1
    screen = k.screens[-1]
    assert screen.title.key == "Your reception has been recorded. Please take your card."
    assert screen.body[0].key == "Staff will confirm your eligibility. Please wait to be called."
    assert ("done", "ja") not in k.speaker.played and ("done_recorded", "ja") in k.speaker.played


def test_driver_bug_becomes_a_job_failure_without_its_message() -> None:
    class BrokenCard(FakeCard):
        def read_summary(self, cancel: object = None) -> Any:
            raise RuntimeError("secret 1234 in a message")

    k = Kiosk(card=BrokenCard(delay_s=0))
    k.insert()
    assert k.phase is Phase.READ_FAILED and k.controller.state.error is ErrorCode.KIOSK_ERROR
    assert list(k.runtime.last_errors) == ["RuntimeError"]


def test_staff_pin_and_self_test_through_the_runtime() -> None:
    k = Kiosk()
    for i in range(5):
        k.send(StaffCornerTapped(10.0 + 0.5 * i))
    k.send(StaffPinEntered("0000"))
    assert k.controller.state.staff_message is Notice.STAFF_PIN_WRONG and k.controller.state.staff_tries_left == 4
    k.send(StaffPinEntered("2468"))
    assert k.phase is Phase.STAFF_PANEL
    k.send(Pressed(Intent.STAFF_SELF_TEST))
    report = k.controller.state.self_test
    assert report is not None
    names = [i.name for i in report.items]
    assert names == ["reader", "outbox", "quarantine", "version"]
    assert dict(report.counts) == {"face": 0, "pin": 0, "visual": 0}


def test_late_job_cannot_refill_a_wiped_vault() -> None:
    k = Kiosk()
    k.insert()
    gen = k.runtime.vault.generation
    k.runtime.vault.clear()
    assert not k.runtime._jobs.store(gen, nonce=b"late")
    assert k.runtime.vault.nonce is None


def test_build_facts_needs_a_session() -> None:
    k = Kiosk()
    from kiosk.flow_effects import SubmitPlan

    with pytest.raises(KioskError):
        k.runtime.build_facts(SubmitPlan(Method.PIN, None, (), (), "ja", False, False))


def test_real_threads_deliver_results() -> None:
    """The default executors: results arrive from worker threads through post_to_main."""
    import queue
    import threading

    events: queue.Queue[Event] = queue.Queue()
    st = settings()
    devices = Devices(FakeCard(delay_s=0.01), FakeScanner(), ScriptedFaceVerifier(), FakeBackend())
    runtime = Runtime(devices, st.consents, events.put, FakeTimers(), RecordingSpeaker(), StaffGate(STAFF_HASH))
    from kiosk.flow_effects import ReadCard
    from kiosk.flow_events import SummaryRead

    runtime.execute([ReadCard(1)])
    event = events.get(timeout=5)
    assert isinstance(event, SummaryRead) and event.token == 1
    assert threading.current_thread() is threading.main_thread()
    runtime.shutdown()


def test_shutdown_drops_the_presence_subscription() -> None:
    """A closed kiosk must not get card events from a source that outlives it (the next kiosk's)."""
    k = Kiosk()
    k.runtime.shutdown()
    assert k.presence.listeners == []
    k.presence.insert()
    assert not k.queue


def test_no_secret_reaches_a_log_or_a_repr(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    k = Kiosk(card=FakeCard(pin="8642", delay_s=0))
    k.insert()
    k.send(Pressed(Intent.USE_PIN))
    k.send(PinEntered("1357"))  # wrong
    k.send(Pressed(Intent.RETRY))
    k.send(PinEntered("8642"))
    consent_all(k)
    request = k.backend.submitted[0]
    text = caplog.text + repr(request) + repr(build_result(request, "kiosk-1", "0"))
    text += repr(k.controller.state) + "".join(repr(s) for s in k.screens)
    for secret in ("8642", "1357", "FAKE-NONCE", "FAKE-JP2"):
        assert secret not in text


def test_pin_path_with_kiosk_made_proofs_needs_no_live_challenge_in_the_result() -> None:
    import hashlib

    from kiosk.proof import ProofStatement
    from kiosk.reception import PinProofEvidence

    k = Kiosk(backend=FakeBackend(delay_s=0, pin_proofs=True))
    for expected_counter in (1, 2):
        k.insert()
        result_id = k.runtime.vault.result_id
        k.send(Pressed(Intent.USE_PIN))
        k.send(PinEntered("1234"))
        consent_all(k)
        facts = k.backend.submitted[-1]
        assert facts.result_id == result_id and isinstance(facts.pin, PinProofEvidence)
        assert facts.pin.counter == expected_counter  # one durable counter per kiosk, never reused
        statement = ProofStatement("FAKE-kiosk", facts.pin.counter, facts.pin.signed_at, result_id)
        assert facts.pin.signature == hashlib.sha256(b"FAKE-SIGNATURE" + statement.to_bytes()).digest()
        evidence = build_result(facts, "FAKE-kiosk", "0").to_json()["evidence"]
        assert evidence == statement.evidence_fields() | {"signature": evidence["signature"]}
        k.presence.remove()
        k.send_queued()


def test_a_kiosk_short_of_disk_is_out_of_service_before_touching_the_card() -> None:
    class FullDisk(FakeBackend):
        def delivery_health(self):  # type: ignore[no-untyped-def]
            return replace(super().delivery_health(), accepting=False)

    k = Kiosk(backend=FullDisk(delay_s=0))
    k.insert()
    assert k.phase is Phase.READ_FAILED and k.controller.state.error == "out_of_service"
    assert k.screens[-1].title.key == "This kiosk is out of service"
    assert k.card.pin_tries == 3 and not k.backend.submitted


class UnsignedCard(FakeCard):
    """A card whose 券面 record came back without a verified issuer signature (a swapped photo)."""

    def read_chip_front(self, verification_b: str, cancel: object = None) -> Any:
        from dataclasses import replace

        return replace(super().read_chip_front(verification_b, cancel), signature_valid=None)  # type: ignore[arg-type]


def test_an_unverified_card_face_is_refused_before_any_face_matching() -> None:
    face = ScriptedFaceVerifier(frame_s=0)
    k = Kiosk(card=UnsignedCard(delay_s=0), face=face)
    k.insert()
    k.send(Pressed(Intent.USE_FACE))
    assert k.phase is Phase.FACE_FAILED and k.controller.state.error is ErrorCode.CARD_NOT_AUTHENTIC
    assert k.runtime.vault.chip_photo is None and k.runtime.vault.verification_b is None
    assert k.frames == 0  # the camera was never started: nothing was matched against the photo


def test_a_staff_call_reaches_the_backend_chimes_and_is_acknowledged() -> None:
    k = Kiosk()
    k.insert()
    k.send(Pressed(Intent.CALL_STAFF))
    assert k.backend.staff_calls == ["method"] and k.speaker.chimes == 1
    assert k.controller.state.staff_call is StaffCallState.DELIVERED
    assert k.screens[-1].call_banner is not None
    down = Kiosk()
    down.insert()
    down.backend.down = True  # the verifier went away after the card was read
    down.send(Pressed(Intent.CALL_STAFF))
    assert down.controller.state.staff_call is StaffCallState.FAILED  # said, never "staff are coming"
