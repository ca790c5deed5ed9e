"""What the reception flow asks for: screens, timers, voice, and the jobs the runtime runs on the devices.

Everything here is a frozen value that `kiosk.flow.step` returns; `kiosk.runtime` carries the effects out. A job
carries the token the flow issued; its result comes back as an event (`kiosk.flow_events`) with that token.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.domain import CredentialCarrier
from kiosk.face import FaceDecision
from kiosk.reception import Method


@dataclass(frozen=True)
class Show:
    screen: str


@dataclass(frozen=True)
class StartTimer:
    name: str
    seconds: float
    token: int


@dataclass(frozen=True)
class CancelTimer:
    name: str


@dataclass(frozen=True)
class ReadCard:
    token: int


@dataclass(frozen=True)
class FetchChallenge:
    token: int


@dataclass(frozen=True)
class ScanCardFront:
    token: int


@dataclass(frozen=True)
class ReadChipPhoto:
    token: int


@dataclass(frozen=True)
class StartCapture:
    token: int


@dataclass(frozen=True)
class StopCapture:
    token: int


@dataclass(frozen=True)
class VerifyPin:
    token: int
    pin: str = field(repr=False)


@dataclass(frozen=True)
class SubmitPlan:
    method: Method
    face: FaceDecision | None  # the accepted face decision on the face path, with its liveness and scores
    consents: tuple[tuple[str, str], ...]  # (screen id, choice) as answered, each screen once, in order
    covered_by_comprehensive: tuple[str, ...]  # the items a 包括同意 "consent to all" stands for (else empty)
    lang: str
    register_for_insurance: bool
    eligibility_only: bool


@dataclass(frozen=True)
class HoldPhonePin:
    """Keep the Android PIN in the runtime's session vault until the phone is held (never in the flow state)."""

    pin: str = field(repr=False)


@dataclass(frozen=True)
class IdentifyPhone:
    token: int


@dataclass(frozen=True)
class ProvePhone:
    """Have the phone sign the kiosk's statement (Android with the held PIN, iPhone without)."""

    token: int
    carrier: CredentialCarrier


@dataclass(frozen=True)
class Submit:
    token: int
    plan: SubmitPlan


@dataclass(frozen=True)
class CancelJob:
    token: int


@dataclass(frozen=True)
class ClearSensitiveData:
    pass


@dataclass(frozen=True)
class PlayVoice:
    clip: str  # the screen id; the runtime picks assets/voice/<lang>/<clip>.wav
    lang: str


@dataclass(frozen=True)
class StopVoice:
    pass


@dataclass(frozen=True)
class Alarm:
    on: bool


@dataclass(frozen=True)
class CheckStaffPin:
    token: int
    pin: str = field(repr=False)


@dataclass(frozen=True)
class RunSelfTest:
    token: int


@dataclass(frozen=True)
class CallStaff:
    """Raise a staff call on the verifier's staff page; `reason` is the screen the patient called from."""

    token: int
    reason: str


@dataclass(frozen=True)
class Chime:
    """A short ding-dong at the kiosk, for staff nearby (a call for staff was raised)."""


@dataclass(frozen=True)
class RecordOutcome:
    method: Method


Effect = (
    Show | StartTimer | CancelTimer | ReadCard | FetchChallenge | ScanCardFront | ReadChipPhoto | StartCapture
    | StopCapture | VerifyPin | Submit | CancelJob | ClearSensitiveData | PlayVoice | StopVoice | Alarm
    | CheckStaffPin | RunSelfTest | RecordOutcome | CallStaff | Chime | HoldPhonePin | IdentifyPhone | ProvePhone
)
