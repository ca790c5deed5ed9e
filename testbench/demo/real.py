"""Scripted patients against the real parts: the virtual card through pcscd + vpcd, the recorded video,
the rendered card front and the reference verifier on loopback (testbench.demo.bench).

Each scenario names the card profile and the video it needs; the environment sets them up before the
card is placed. Steps are the same language as testbench.demo.scenarios.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kiosk.ports import CardPresenceListener
from kiosk.runtime_jobs import Devices
from testbench.demo.bench import DemoBench
from testbench.demo.scenarios import DEMO_STAFF_PIN, Scenario, Step

END: list[Step] = [("wait", "done"), ("remove",), ("wait", "attract")]
# A phone is held for a moment and taken back before the consents; the kiosk returns to idle by itself.
PHONE_END: list[Step] = [("take_phone",), ("consent", "first"), ("wait", "done"), ("wait", "attract")]
PIN_PATH: list[Step] = [("wait", "pin_entry"), ("pin", "1234"), ("wait", "consent"), ("consent", "first"), *END]


@dataclass
class RealScenario:
    scenario: Scenario
    variant: str = "ordinary"
    video: str = "same-person"
    verifier_down: bool = False


def _s(name: str, about: str, steps: list[Step], variant: str = "ordinary", video: str = "same-person",
       verifier_down: bool = False) -> RealScenario:
    return RealScenario(Scenario(name, about, steps), variant, video, verifier_down)


REAL_SCENARIOS: dict[str, RealScenario] = {r.scenario.name: r for r in [
    _s("face", "face: card-face OCR → 照合番号B → chip photo → live video → liveness → consents", [
        ("insert",), ("wait", "method"), ("tap", "use_face"), ("wait", "face_capture"), ("look",),
        ("consent", "first"), *END]),
    _s("face-fails-then-pin", "someone else's face: no match, the patient uses the PIN", [
        ("insert",), ("wait", "method"), ("tap", "use_face"), ("wait", "face_capture"), ("wait", "face_failed"),
        ("tap", "use_pin"), *PIN_PATH], video="other-person"),
    _s("wrong-pin-then-right", "a wrong PIN (2 tries left shown), then the right one", [
        ("insert",), ("wait", "method"), ("tap", "use_pin"), ("wait", "pin_entry"), ("pin", "0000"),
        ("wait", "pin_wrong"), ("tap", "retry"), *PIN_PATH]),
    _s("pin-lockout-after-confirmation", "PIN at its last try: explicit confirmation, then a wrong PIN locks it", [
        ("insert",), ("wait", "method"), ("tap", "use_pin"), ("wait", "pin_last_warning"),
        ("tap", "confirm_last_try"), ("wait", "pin_entry"), ("pin", "0000"), ("wait", "pin_locked"),
        ("remove",), ("wait", "attract")], variant="pin-last-try"),
    _s("staff-visual", "staff arms visual check at the kiosk; the next patient is confirmed by staff", [
        ("gesture",), ("wait", "staff_pin"), ("staff_pin", DEMO_STAFF_PIN), ("wait", "staff_panel"),
        ("tap", "staff_arm_visual"), ("wait", "attract"), ("insert",), ("wait", "visual_check"),
        ("tap", "visual_confirmed"), ("wait", "staff_pin"), ("staff_pin", DEMO_STAFF_PIN), ("wait", "consent"),
        ("consent", "first"), *END]),
    _s("register-for-insurance", "not registered: 保険証利用登録 proven with the PIN (face is offered too)", [
        ("insert",), ("wait", "not_registered"), ("tap", "register"), ("wait", "method"), ("tap", "use_pin"),
        *PIN_PATH], variant="unregistered"),
    _s("grace", "certificate expired 30 days ago: eligibility only (notice after the PIN)", [
        ("insert",), ("wait", "method"), ("tap", "use_pin"), ("wait", "pin_entry"), ("pin", "1234"),
        ("wait", "grace_notice"), ("tap", "next"), ("wait", "consent"), ("consent", "first"), *END],
        variant="grace"),
    _s("expiring", "certificate expires within 3 months: renewal notice after the PIN", [
        ("insert",), ("wait", "method"), ("tap", "use_pin"), ("wait", "pin_entry"), ("pin", "1234"),
        ("wait", "renewal_notice"), ("tap", "next"), ("wait", "consent"), ("consent", "first"), *END],
        variant="expiring"),
    _s("expired", "certificate expired beyond the grace: message and staff", [
        ("insert",), ("wait", "cert_expired"), ("remove",), ("wait", "attract")], variant="expired"),
    _s("pin-less", "顔認証マイナンバーカード (no PIN): face only", [
        ("insert",), ("wait", "face_capture"), ("look",), ("consent", "first"), *END],
        variant="pin-less"),
    _s("card-pulled", "card pulled during PIN entry: wiped, back to idle with a message", [
        ("insert",), ("wait", "method"), ("tap", "use_pin"), ("wait", "pin_entry"), ("remove",),
        ("wait", "attract")]),
    _s("phone-android", "Android スマホ用電子証明書: the PIN on the kiosk's keypad first, then the phone held", [
        ("tap", "use_phone"), ("wait", "phone_choose"), ("tap", "phone_android"), ("wait", "phone_pin"),
        ("pin", "1234"), ("wait", "phone_hold"), ("hold_phone", "android"), ("wait", "consent"), *PHONE_END]),
    _s("phone-android-wrong-then-right", "Android: a wrong PIN (the phone's own counter), then the right one", [
        ("tap", "use_phone"), ("wait", "phone_choose"), ("tap", "phone_android"), ("wait", "phone_pin"),
        ("pin", "0000"), ("hold_phone", "android"), ("wait", "phone_pin_wrong"), ("tap", "retry"),
        ("wait", "phone_pin"), ("pin", "1234"), ("wait", "consent"), *PHONE_END]),
    _s("phone-android-last-try", "Android at its last PIN try: confirmation before the try is spent", [
        ("tap", "use_phone"), ("wait", "phone_choose"), ("tap", "phone_android"), ("wait", "phone_pin"),
        ("pin", "1234"), ("hold_phone", "android-pin-last-try"), ("wait", "phone_last_warning"),
        ("tap", "confirm_last_try"), ("wait", "consent"), *PHONE_END]),
    _s("phone-iphone", "iPhone: Face ID on the phone, no PIN at the kiosk; placed straight on the reader", [
        ("hold_phone", "iphone"), ("wait", "consent"), *PHONE_END]),
    _s("phone-expired", "a phone whose certificate expired 30 days ago: no grace, use the card", [
        ("hold_phone", "iphone-expired"), ("wait", "phone_cert_expired"), ("take_phone",), ("wait", "attract")]),
    _s("phone-pulled", "the phone pulled away in the middle of the read: hold it again", [
        ("hold_phone", "iphone", "5"), ("wait", "phone_hold"), ("hold_phone", "iphone"), ("wait", "consent"),
        *PHONE_END]),
    _s("card-and-phone", "a card and a phone both present: the card's reception, the phone only remembered", [
        ("insert",), ("hold_phone", "iphone"), ("wait", "method"), ("tap", "use_pin"), *PIN_PATH[:-1],
        ("take_phone",), ("wait", "attract")]),
    _s("backend-down", "verification service down: face path, recorded, staff confirm eligibility, nothing lost", [
        ("insert",), ("wait", "face_capture"), ("look",), ("consent", "first"), *END],
        verifier_down=True),
]}


class RealEnvironment:
    """The demo bench as a scenario environment: `prepare(scenario)` picks the card and the video."""

    def __init__(self, bench: DemoBench) -> None:
        self.bench = bench
        self.devices: Devices = bench.real.devices
        self.probes = bench.real.probes
        self.config = bench.config  # names both readers: the idle screen offers スマホ

    def prepare(self, real: RealScenario) -> None:
        self.bench.remove()
        self.bench.take_phone()
        self.bench.reset_cards()
        self.bench.variant, self.bench.video = real.variant, real.video
        self.bench.set_verifier_running(not real.verifier_down)

    def insert(self) -> None:
        self.bench.insert()

    def remove(self) -> None:
        self.bench.remove()

    def subscribe(self, listener: CardPresenceListener) -> Callable[[], None]:
        return self.bench.subscribe(listener)

    def hold_phone(self, variant: str, pull_at: int = 0) -> None:
        self.bench.hold_phone(variant, pull_at=pull_at)

    def take_phone(self) -> None:
        self.bench.take_phone()

    def subscribe_phone(self, listener: CardPresenceListener) -> Callable[[], None]:
        return self.bench.subscribe_phone(listener)
