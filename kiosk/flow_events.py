"""What happens to the reception flow: the patient's intents and the job results, each result with its token.

Everything here is a frozen value that `kiosk.flow.step` takes. The runtime turns the completion of an effect
(`kiosk.flow_effects`) back into an event carrying the token the flow issued, so a result that arrives after a
cancel or a timeout is recognised as stale and dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from kiosk.domain import CardSummary, CredentialCarrier
from kiosk.errors import ErrorCode
from kiosk.face import FaceDecision, Guidance
from kiosk.flow_types import Intent, SelfTestReport
from kiosk.ports import FaceBox


@dataclass(frozen=True)
class Pressed:
    intent: Intent


@dataclass(frozen=True)
class StaffCornerTapped:
    """A tap on the idle screen's hidden staff corner; `at_s` is the view's monotonic clock. The flow counts
    the taps (5 within 4 s open the staff PIN), so the rule is tested without a window."""

    at_s: float


@dataclass(frozen=True)
class LanguageChosen:
    lang: str


@dataclass(frozen=True)
class UserActivity:
    """Any touch: restarts the inactivity timer of a waiting screen."""


@dataclass(frozen=True)
class PinEntered:
    pin: str = field(repr=False)


@dataclass(frozen=True)
class StaffPinEntered:
    pin: str = field(repr=False)


@dataclass(frozen=True)
class ConsentAnswered:
    item_id: str
    choice: str


@dataclass(frozen=True)
class CardInserted:
    pass


@dataclass(frozen=True)
class CardTaken:
    """The card left the reader (the patient took it, or pulled it out mid-session)."""


@dataclass(frozen=True)
class PhonePlaced:
    """Something answered on the smartphone reader."""


@dataclass(frozen=True)
class PhoneTaken:
    """The smartphone reader is empty again (the phone was taken away, maybe in the middle of a read)."""


@dataclass(frozen=True)
class PhoneIdentified:
    token: int
    carrier: CredentialCarrier
    tries_left: int | None  # Android's PIN counter, read without spending a try


@dataclass(frozen=True)
class PhoneProved:
    """The phone signed the kiosk's statement; only its certificate's end of validity enters the flow."""

    token: int
    not_after: datetime
    now: datetime


@dataclass(frozen=True)
class SummaryRead:
    token: int
    summary: CardSummary
    now: datetime


@dataclass(frozen=True)
class ChallengeFetched:
    token: int
    registered: bool


@dataclass(frozen=True)
class CardFrontScanned:
    token: int


@dataclass(frozen=True)
class ChipPhotoRead:
    token: int


@dataclass(frozen=True)
class FaceProgressed:
    token: int
    hint: Guidance
    box: FaceBox | None
    progress: float


@dataclass(frozen=True)
class FaceDecided:
    """The face driver's full decision record; the flow keeps it for the result."""

    token: int
    decision: FaceDecision


@dataclass(frozen=True)
class PinVerified:
    token: int


@dataclass(frozen=True)
class PinRejected:
    token: int
    tries_left: int


@dataclass(frozen=True)
class Submitted:
    token: int
    queued: bool


@dataclass(frozen=True)
class StaffPinChecked:
    token: int
    ok: bool
    locked_for_s: int
    tries_left: int


@dataclass(frozen=True)
class SelfTestDone:
    token: int
    report: SelfTestReport


@dataclass(frozen=True)
class JobFailed:
    """A job ended with a domain error; `code` is KioskError.code, `tries_left` where the error has one."""

    token: int
    code: ErrorCode
    tries_left: int | None = None


@dataclass(frozen=True)
class ChoiceKey:
    """In voice-led mode, a digit key (1–9) on a screen without a keypad: the n-th button, as the voice reads
    them in order. Ignored otherwise."""

    number: int


@dataclass(frozen=True)
class StaffCallAnswered:
    """The verifier took the staff call (it is on the staff page), or it could not be reached."""

    token: int
    delivered: bool


@dataclass(frozen=True)
class TimerExpired:
    name: str
    token: int


Event = (
    Pressed | StaffCornerTapped | LanguageChosen | UserActivity | PinEntered | StaffPinEntered | ConsentAnswered
    | CardInserted | CardTaken | PhonePlaced | PhoneTaken | PhoneIdentified | PhoneProved | SummaryRead
    | ChallengeFetched | CardFrontScanned | ChipPhotoRead | FaceProgressed
    | FaceDecided | PinVerified | PinRejected | Submitted | StaffPinChecked | SelfTestDone | JobFailed
    | TimerExpired | StaffCallAnswered | ChoiceKey
)
