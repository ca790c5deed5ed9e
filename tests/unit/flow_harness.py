"""A fake clock and timer table around the pure flow, plus card-summary builders, for the flow tests."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from kiosk.config import KioskConfig, StaffPolicy
from kiosk.consent import load_catalogue
from kiosk.domain import CardSummary, CertificateInfo, TriesLeft
from kiosk.face import FACE_MODEL_ID, FaceDecision, Guidance, LivenessOutcome, LivenessReport, Verdict
from kiosk.flow import initial_state, step
from kiosk.flow_effects import CancelTimer, Effect, StartTimer
from kiosk.flow_events import Event, StaffCornerTapped, TimerExpired
from kiosk.flow_types import FlowState, Phase, Settings
from kiosk.staff import hash_pin

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
STAFF_PIN = "2468"
STAFF_HASH = hash_pin(STAFF_PIN, salt=b"0123456789abcdef", n=2**10)
CATALOGUE = load_catalogue()


def certificate(days_left: int) -> CertificateInfo:
    return CertificateInfo(
        der=b"\x30\x82cert",
        subject_id="TESTCN",
        serial=1234,
        issuer="JPKI test CA",
        not_before=NOW - timedelta(days=1000),
        not_after=NOW + timedelta(days=days_left),
    )


def summary(days_left: int = 1000, pin_tries: int | None = 3) -> CardSummary:
    return CardSummary(
        reader="Virtual PCD 00 00",
        atr=b"\x3b\x00",
        applications=("jpki", "kenkaku", "kenhojo"),
        auth_certificate=certificate(days_left),
        auth_ca_certificate=certificate(5000),
        tries=TriesLeft(auth_pin=pin_tries, verification_b=10),
    )


def settings(config: KioskConfig | None = None) -> Settings:
    config = config or KioskConfig(staff=StaffPolicy(pin_hash=STAFF_HASH))
    return Settings(config=config, consents=CATALOGUE)


@dataclass
class FlowDriver:
    """Feeds events to `step`, keeps the timers the flow started, and fires them from a fake clock."""

    state: FlowState
    now: float = 0.0
    timers: dict[str, tuple[float, int]] = field(default_factory=dict)
    effects: list[Effect] = field(default_factory=list)

    @classmethod
    def new(cls, config: KioskConfig | None = None) -> FlowDriver:
        return cls(initial_state(settings(config)))

    @property
    def phase(self) -> Phase:
        return self.state.phase

    def send(self, event: Event) -> list[Effect]:
        self.state, effects = step(self.state, event)
        for e in effects:
            if isinstance(e, StartTimer):
                self.timers[e.name] = (self.now + e.seconds, e.token)
            elif isinstance(e, CancelTimer):
                self.timers.pop(e.name, None)
        self.effects += effects
        return effects

    def advance(self, seconds: float) -> list[Effect]:
        """Move the fake clock; fire due timers in deadline order, as QTimer would."""
        end = self.now + seconds
        fired: list[Effect] = []
        while True:
            due = sorted((d, name) for name, (d, _t) in self.timers.items() if d <= end)
            if not due:
                break
            deadline, name = due[0]
            self.now = deadline
            _, token = self.timers.pop(name)
            fired += self.send(TimerExpired(name, token))
        self.now = end
        return fired

    def last(self, kind: type) -> object:
        for e in reversed(self.effects):
            if isinstance(e, kind):
                return e
        raise AssertionError(f"no {kind.__name__} effect so far")

    def token_of(self, kind: type) -> int:
        effect = self.last(kind)
        return effect.token  # type: ignore[attr-defined]


def face_decision(verdict: Verdict, *guidance: Guidance, distance: float | None = None) -> FaceDecision:
    """A face driver's decision record as the flow receives it (numbers made up, shaped like the real one)."""
    if distance is None and verdict in (Verdict.ACCEPT, Verdict.RETRY, Verdict.REJECT):
        distance = {Verdict.ACCEPT: 0.41, Verdict.RETRY: 0.55, Verdict.REJECT: 0.72}[verdict]
    live = LivenessOutcome.FAILED if verdict is Verdict.LIVENESS_FAILED else LivenessOutcome.PASSED
    return FaceDecision(verdict, distance, () if distance is None else (distance,), 0.5, 0.6, FACE_MODEL_ID,
                        12, 8, (3,), LivenessReport(live, None), guidance=guidance)


def staff_gesture(d: FlowDriver) -> None:
    """Five quick taps on the idle screen's hidden staff corner."""
    for i in range(5):
        d.send(StaffCornerTapped(100.0 + 0.3 * i))


def with_config(**changes: object) -> KioskConfig:
    return replace(KioskConfig(staff=StaffPolicy(pin_hash=STAFF_HASH)), **changes)  # type: ignore[arg-type]
