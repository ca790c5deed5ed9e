"""Scripted patients played through the real app (window, runtime, flow) and the transcript they leave.

A scenario is a list of steps. The player acts like a patient: it waits for a screen, then touches the
button for an intent, types on the shuffled keypad, answers the consent screens, or takes the card. Each
screen change is recorded with its time, so the transcript shows what a patient saw and when.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from kiosk.config import ITEMS_2025, ConsentPolicy, DeviceSettings, KioskConfig, StaffPolicy
from kiosk.domain import CredentialCarrier
from kiosk.flow_events import ConsentAnswered, Pressed
from kiosk.flow_types import Intent
from kiosk.ports import CardPresenceListener
from kiosk.runtime_jobs import Devices
from kiosk.screens import ScreenModel
from testbench.demo.fakes import FakeBackend, FakeCard, FakePhone, FakePresence, FakeScanner, ScriptedFaceVerifier

Step = tuple[str, ...]  # ("wait", screen) | ("tap", intent) | ("pin", digits) | ("consent", "first"|"last")
#                          | ("look",): at the face camera until the consents, retrying when offered
#                       | ("insert",) | ("remove",) | ("staff_pin", digits) | ("gesture",)

DEMO_STAFF_PIN = "2468"


@dataclass
class Scenario:
    name: str
    about: str
    steps: list[Step]
    card: dict[str, Any] = field(default_factory=dict)
    face: list[str] = field(default_factory=lambda: ["accept"])
    backend: dict[str, Any] = field(default_factory=dict)
    scanner_fails: bool = False
    consents_2025: bool = False  # the facility enables the 2025 items (傷病名, 感染症, アレルギー, 検査, 処方)
    phone: dict[str, Any] = field(default_factory=dict)  # FakePhone settings; non-empty: a smartphone reader


_END = [("wait", "done"), ("remove",), ("wait", "attract")]
SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in [
        Scenario("pin", "PIN path: method → PIN → consents → done → card taken", [
            ("insert",), ("wait", "method"), ("tap", "use_pin"), ("wait", "pin_entry"), ("pin", "1234"),
            ("wait", "consent"), ("consent", "first"), *_END]),
        Scenario("face", "face path: card-face scan → chip photo → live capture → consents", [
            ("insert",), ("wait", "method"), ("tap", "use_face"), ("wait", "face_capture"),
            ("wait", "consent"), ("consent", "first"), *_END]),
        Scenario("face-retry-then-pin", "face fails twice (retry band), the patient switches to the PIN", [
            ("insert",), ("wait", "method"), ("tap", "use_face"), ("wait", "face_retry"), ("tap", "retry"),
            ("wait", "face_capture"), ("wait", "face_retry"), ("tap", "use_pin"), ("wait", "pin_entry"),
            ("pin", "1234"), ("wait", "consent"), ("consent", "last"), *_END], face=["retry", "retry", "retry"]),
        Scenario("wrong-pin", "wrong PIN twice, last-try confirmation, right PIN", [
            ("insert",), ("wait", "method"), ("tap", "use_pin"), ("wait", "pin_entry"), ("pin", "0000"),
            ("wait", "pin_wrong"), ("tap", "retry"), ("wait", "pin_entry"), ("pin", "1111"), ("wait", "pin_wrong"),
            ("tap", "retry"), ("wait", "pin_last_warning"), ("tap", "confirm_last_try"), ("wait", "pin_entry"),
            ("pin", "1234"), ("wait", "consent"), ("consent", "first"), *_END]),
        Scenario("pin-less", "顔認証マイナンバーカード (no PIN): straight to face", [
            ("insert",), ("wait", "face_capture"), ("wait", "consent"), ("consent", "first"), *_END],
            card={"pin": None}),
        Scenario("not-registered", "not registered for insurance use: register (face or PIN; here the PIN)", [
            ("insert",), ("wait", "not_registered"), ("tap", "register"), ("wait", "method"), ("tap", "use_pin"),
            ("wait", "pin_entry"), ("pin", "1234"),
            ("wait", "consent"), ("consent", "first"), *_END], backend={"registered": False}),
        Scenario("expiring", "certificate expires within 3 months: renewal notice after the PIN", [
            ("insert",), ("wait", "method"), ("tap", "use_pin"), ("wait", "pin_entry"), ("pin", "1234"),
            ("wait", "renewal_notice"), ("tap", "next"), ("wait", "consent"), ("consent", "first"), *_END],
            card={"cert_days_left": 40}),
        Scenario("grace", "certificate expired 10 days ago: eligibility only (notice after the PIN)", [
            ("insert",), ("wait", "method"), ("tap", "use_pin"), ("wait", "pin_entry"), ("pin", "1234"),
            ("wait", "grace_notice"), ("tap", "next"), ("wait", "consent"), ("consent", "first"), *_END],
            card={"cert_days_left": -10}),
        Scenario("expired", "certificate expired beyond the grace: message and staff", [
            ("insert",), ("wait", "cert_expired"), ("remove",), ("wait", "attract")], card={"cert_days_left": -200}),
        Scenario("unsupported", "not a My Number card", [
            ("insert",), ("wait", "unsupported"), ("remove",), ("wait", "attract")], card={"supported": False}),
        Scenario("backend-down", "verification service down: face path, recorded, staff confirm eligibility", [
            ("insert",), ("wait", "face_capture"), ("wait", "consent"), ("consent", "first"), *_END],
            backend={"down": True}),
        Scenario("card-pulled", "card pulled during PIN entry: wiped, back to idle with a message", [
            ("insert",), ("wait", "method"), ("tap", "use_pin"), ("wait", "pin_entry"), ("remove",),
            ("wait", "attract")]),
        Scenario("consents-2025", "a facility that enables the 2025 consent items: each asked, then done", [
            ("insert",), ("wait", "method"), ("tap", "use_pin"), ("wait", "pin_entry"), ("pin", "1234"),
            ("wait", "consent"), ("consent", "first"), *_END], consents_2025=True),
        Scenario("staff-visual", "staff arms visual check; the next patient is confirmed by staff", [
            ("gesture",), ("wait", "staff_pin"), ("staff_pin", DEMO_STAFF_PIN), ("wait", "staff_panel"),
            ("tap", "staff_arm_visual"), ("wait", "attract"), ("insert",), ("wait", "visual_check"),
            ("tap", "visual_confirmed"), ("wait", "staff_pin"), ("staff_pin", DEMO_STAFF_PIN), ("wait", "consent"),
            ("consent", "first"), *_END]),
        Scenario("phone-android", "スマホ (Android): PIN on the keypad first, hold the phone, consents", [
            ("tap", "use_phone"), ("wait", "phone_choose"), ("tap", "phone_android"), ("wait", "phone_pin"),
            ("pin", "1234"), ("wait", "phone_hold"), ("hold_phone", "android"), ("wait", "consent"),
            ("take_phone",), ("consent", "first"), ("wait", "done"), ("wait", "attract")],
            phone={"carrier": "android"}, backend={"pin_proofs": True}),
        Scenario("phone-iphone", "スマホ (iPhone): Face ID on the phone, no PIN at the kiosk, consents", [
            ("tap", "use_phone"), ("wait", "phone_choose"), ("tap", "phone_iphone"), ("wait", "phone_hold"),
            ("hold_phone", "iphone"), ("wait", "consent"), ("take_phone",), ("consent", "first"),
            ("wait", "done"), ("wait", "attract")], phone={"carrier": "iphone"}, backend={"pin_proofs": True}),
    ]
}


@dataclass
class TranscriptLine:
    t_ms: float
    screen: str
    title: str  # in the screen's language (Japanese by default)
    title_en: str
    buttons: list[str]


def fake_probes() -> dict[str, Callable[[], tuple[bool, str]]]:
    """Self-test rows for the demo; every detail says FAKE so nobody mistakes them for hardware checks."""
    return {
        "reader": lambda: (True, "FAKE in-process card"),
        "card_face_camera": lambda: (True, "FAKE scanner"),
        "camera": lambda: (True, "FAKE synthetic preview"),
        "backend": lambda: (True, "FAKE in-process backend"),
    }


def demo_config(consents_2025: bool = False) -> KioskConfig:
    from kiosk.staff import hash_pin

    consent = ConsentPolicy(items=(*ConsentPolicy().items, *ITEMS_2025)) if consents_2025 else ConsentPolicy()
    return KioskConfig(staff=StaffPolicy(pin_hash=hash_pin(DEMO_STAFF_PIN, n=2**12)), consent=consent)


class DemoEnvironment(Protocol):
    """The devices a scenario plays against, and the card slot it pushes (fakes or the real bench)."""

    devices: Devices
    probes: dict[str, Callable[[], tuple[bool, str]]]

    def insert(self) -> None: ...

    def remove(self) -> None: ...

    def subscribe(self, listener: CardPresenceListener) -> Callable[[], None]: ...


@dataclass
class FakeEnvironment:
    devices: Devices
    probes: dict[str, Callable[[], tuple[bool, str]]]
    slot: FakePresence = field(default_factory=FakePresence)
    phone_slot: FakePresence = field(default_factory=FakePresence)  # the FAKE smartphone reader
    config: KioskConfig | None = None  # None: demo_config() (no smartphone reader)

    @classmethod
    def for_scenario(cls, scenario: Scenario, delay_s: float) -> FakeEnvironment:
        from kiosk.runtime_jobs import Devices

        phone = None
        if scenario.phone:
            settings = dict(scenario.phone)
            carrier = CredentialCarrier.ANDROID if settings.pop("carrier") == "android" else CredentialCarrier.IPHONE
            phone = FakePhone(carrier, delay_s=delay_s, **settings)
        devices = Devices(
            card=FakeCard(delay_s=delay_s, **scenario.card),
            scanner=FakeScanner(fail=scenario.scanner_fails, delay_s=delay_s * 2),
            face=ScriptedFaceVerifier(list(scenario.face), frame_s=delay_s),
            backend=FakeBackend(delay_s=delay_s, **scenario.backend),
            phone=phone,
        )
        env = cls(devices, fake_probes())
        if phone is not None:
            env.config = replace(demo_config(), devices=DeviceSettings(reader="FAKE card reader",
                                                                       phone_reader="FAKE phone reader"))
        return env

    def hold_phone(self, variant: str, pull_at: int = 0) -> None:
        self.phone_slot.insert()

    def take_phone(self) -> None:
        self.phone_slot.remove()

    def subscribe_phone(self, listener: CardPresenceListener) -> Callable[[], None]:
        return self.phone_slot.subscribe(listener)

    def insert(self) -> None:
        self.slot.insert()

    def remove(self) -> None:
        self.slot.remove()

    def subscribe(self, listener: CardPresenceListener) -> Callable[[], None]:
        return self.slot.subscribe(listener)


@dataclass
class PhoneSlot:
    """The environment's smartphone reader as a presence source of its own."""

    env: Any

    def subscribe(self, listener: CardPresenceListener) -> Callable[[], None]:
        return self.env.subscribe_phone(listener)


class ScenarioPlayer:
    """Builds the app around an environment (fakes by default) and plays one scenario through its real
    window, on the GUI thread."""

    def __init__(self, scenario: Scenario, screenshots: Path | None = None, delay_s: float = 0.02,
                 env: DemoEnvironment | None = None) -> None:
        from kiosk.consent import load_catalogue
        from ui.application import build_kiosk, make_application
        from ui.i18n import Catalogue
        from ui.sound import WavSpeaker

        self.scenario = scenario
        self.app = make_application()
        self.presence = env or FakeEnvironment.for_scenario(scenario, delay_s)
        devices = self.presence.devices
        self.speaker = WavSpeaker()
        self._catalogue = Catalogue()
        self._unshot: list[str] = []  # screens recorded before the window existed
        self.transcript: list[TranscriptLine] = []
        self.marks: list[tuple[float, str]] = []  # (t_ms, action) of the steps that place things
        self.screenshots = screenshots
        self._t0 = time.perf_counter()
        self._last_screen = ""
        self._pending_shot = ""
        self.kiosk = build_kiosk(getattr(self.presence, "config", None) or demo_config(scenario.consents_2025),
                                 load_catalogue(), devices, self.speaker,
                                 probes=self.presence.probes,
                                 on_render=self._record)  # fmt: skip
        self.kiosk.runtime.watch_presence(self.presence)  # dropped again by kiosk.close()
        if hasattr(self.presence, "subscribe_phone"):  # the real bench's smartphone reader
            self.kiosk.runtime.watch_phone_presence(PhoneSlot(self.presence))
        for name in self._unshot:
            self._shoot(name)

    def _record(self, model: ScreenModel) -> None:
        screen = model.screen + (f":{model.consent.item_id}" if model.consent else "")
        if screen == self._last_screen:
            return
        self._last_screen = screen
        from ui.textfmt import plain

        cat = self._catalogue
        line = TranscriptLine(
            t_ms=round((time.perf_counter() - self._t0) * 1000, 1),
            screen=screen,
            # plain(): the transcript carries the words, not the invisible phrase-break marks of the labels
            title=model.consent.title if model.consent else plain(cat.text(model.lang, model.title)),
            title_en=model.consent.title_en if model.consent else cat.text("en", model.title),
            buttons=[b.code for b in model.buttons],
        )
        self.transcript.append(line)
        if self.screenshots is not None:
            name = f"{self.scenario.name}_{len(self.transcript):02d}_{screen.replace(':', '-')}.png"
            if hasattr(self, "kiosk"):
                from PySide6.QtCore import QTimer

                # Shot once the window has laid out and painted the new screen; a screen the patient acts
                # on is shot by the "wait" step instead, before the player touches anything.
                QTimer.singleShot(30, lambda: self._shoot(name) if self._last_screen == screen else None)
                self._pending_shot = name
            else:
                self._unshot.append(name)

    def _shoot(self, name: str) -> None:
        assert self.screenshots is not None
        if name == self._pending_shot:
            self._pending_shot = ""
        self.screenshots.mkdir(parents=True, exist_ok=True)
        self.kiosk.window.grab().save(str(self.screenshots / name))

    # --- acting --------------------------------------------------------------------------------------

    def run(self, timeout_s: float = 20.0) -> list[TranscriptLine]:
        for step in self.scenario.steps:
            self._do(step, timeout_s)
        return self.transcript

    def close(self) -> None:
        self.speaker.close()
        self.kiosk.close()
        self.kiosk.window.deleteLater()
        self._turn()

    def _turn(self) -> None:
        """One turn of the event loop as app.exec makes it: events, timers and the deferred deletes that
        processEvents alone leaves (without them every replaced widget of every screen stays alive)."""
        from PySide6.QtCore import QCoreApplication, QEvent

        self.app.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def wait_until(self, condition: Callable[[], bool], timeout_s: float, what: str) -> None:
        end = time.perf_counter() + timeout_s
        while not condition():
            if time.perf_counter() > end:
                raise TimeoutError(f"{self.scenario.name}: timed out waiting for {what} (at {self._last_screen})")
            self._turn()
            time.sleep(0.001)

    def _do(self, step: Step, timeout_s: float) -> None:
        kind, *args = step
        window = self.kiosk.window
        if kind == "wait":
            self.wait_until(lambda: window.model is not None and window.model.screen == args[0], timeout_s, args[0])
            self._turn()
            if self.screenshots is not None and self._pending_shot:
                settle = time.perf_counter() + 0.05
                while time.perf_counter() < settle:
                    self._turn()
                self._shoot(self._pending_shot)
        elif kind == "insert":
            self.presence.insert()
        elif kind == "remove":
            self.presence.remove()
        elif kind == "hold_phone":  # ("hold_phone", variant[, APDU at which it is pulled away])
            self.marks.append((round((time.perf_counter() - self._t0) * 1000, 1), "hold_phone"))
            self.presence.hold_phone(args[0], int(args[1]) if len(args) > 1 else 0)  # type: ignore[attr-defined]
        elif kind == "take_phone":
            self.presence.take_phone()  # type: ignore[attr-defined]
        elif kind == "tap":
            window.current_page.button_for(Pressed(Intent(args[0]))).click()
        elif kind in ("pin", "staff_pin"):
            self.wait_until(lambda: window.current_page.isEnabled(), timeout_s, "keypad")
            pad = window.current_page.keypad  # type: ignore[attr-defined]
            by_digit = {b.text(): b for b in pad.digit_buttons}
            for digit in args[0]:
                by_digit[digit].click()
            pad.ok_button.click()
        elif kind == "gesture":
            corner = window.pages["attract"].staff_corner  # type: ignore[attr-defined]
            for _ in range(5):
                corner.click()
        elif kind == "consent":
            self._answer_consents(args[0], timeout_s)
        elif kind == "look":
            self._look_until_consent(timeout_s)
        else:
            raise ValueError(f"unknown scenario step {step}")

    def _look_until_consent(self, timeout_s: float) -> None:
        """A cooperative patient at the face camera: looks until the consents appear, and presses
        もう一度 when the kiosk offers another attempt (as a person would), at most the attempts it allows."""
        window = self.kiosk.window
        for _ in range(self.kiosk.controller.state.settings.config.face.max_attempts):
            self.wait_until(lambda: window.model is not None and window.model.screen in ("consent", "face_retry"),
                            timeout_s, "consent")
            if window.model is not None and window.model.screen == "consent":
                return
            window.current_page.button_for(Pressed(Intent.RETRY)).click()
        self.wait_until(lambda: window.model is not None and window.model.screen == "consent", timeout_s, "consent")

    def _answer_consents(self, which: str, timeout_s: float) -> None:
        window = self.kiosk.window
        while window.model is not None and window.model.screen == "consent":
            consent = window.model.consent
            choices = [b.press for b in window.model.buttons if isinstance(b.press, ConsentAnswered)]
            pick = choices[0] if which == "first" else choices[-1]
            window.current_page.button_for(pick).click()

            def moved_on(shown: object = consent) -> bool:
                return window.model is None or window.model.consent != shown

            self.wait_until(moved_on, timeout_s, "next consent")
