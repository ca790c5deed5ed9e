"""The reception flow's vocabulary: phases, events (intents and job results with tokens) and effects.

Everything here is a frozen value. `kiosk.flow.step` maps (FlowState, Event) to (FlowState, effects); the
runtime carries out the effects and turns their completions back into events carrying the token the flow
issued, so a result that arrives after a cancel or a timeout is recognised as stale and dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum

from kiosk.config import KioskConfig
from kiosk.consent import ConsentCatalogue
from kiosk.domain import CardSummary, CredentialCarrier
from kiosk.errors import ErrorCode
from kiosk.face import FaceDecision, Guidance
from kiosk.ports import FaceBox
from kiosk.reception import Method


class Phase(Enum):
    ATTRACT = "attract"
    READING = "reading"
    UNSUPPORTED = "unsupported"
    READ_FAILED = "read_failed"
    CERT_EXPIRED = "cert_expired"
    NOT_REGISTERED = "not_registered"
    RENEWAL_NOTICE = "renewal_notice"
    GRACE_NOTICE = "grace_notice"
    METHOD = "method"
    FACE_SCAN = "face_scan"
    FACE_PHOTO = "face_photo"
    FACE_CAPTURE = "face_capture"
    FACE_RETRY = "face_retry"
    FACE_FAILED = "face_failed"
    PIN_LAST_WARNING = "pin_last_warning"
    PIN_ENTRY = "pin_entry"
    PIN_VERIFYING = "pin_verifying"
    PIN_WRONG = "pin_wrong"
    PIN_LOCKED = "pin_locked"
    STAFF_CALL = "staff_call"
    VISUAL_CHECK = "visual_check"
    CONSENT = "consent"
    SUBMITTING = "submitting"
    SUBMIT_FAILED = "submit_failed"
    DONE = "done"
    TAKE_CARD = "take_card"
    STAFF_PIN = "staff_pin"
    STAFF_PANEL = "staff_panel"
    STAFF_SELF_TEST = "staff_self_test"
    # スマホのマイナ保険証 (kiosk.flow_phone)
    PHONE_CHOOSE = "phone_choose"  # Android or iPhone
    PHONE_PIN = "phone_pin"  # Android: the phone certificate's 4-digit PIN, before the phone is held
    PHONE_HOLD = "phone_hold"  # where to hold the phone (with a picture)
    PHONE_READING = "phone_reading"
    PHONE_LAST_WARNING = "phone_last_warning"
    PHONE_PIN_WRONG = "phone_pin_wrong"
    PHONE_CERT_EXPIRED = "phone_cert_expired"  # no 3-month grace for a phone: use the card


# Phases that hold a patient session (a card on the reader and data that must be wiped on the way out).
SESSION_PHASES = frozenset(p for p in Phase if p not in {Phase.ATTRACT, Phase.STAFF_PANEL, Phase.STAFF_SELF_TEST})
# Phases where the session is over and the kiosk only waits for the card to be taken (alarm after a while).
CARD_OUT_PHASES = frozenset(
    {Phase.UNSUPPORTED, Phase.READ_FAILED, Phase.CERT_EXPIRED, Phase.SUBMIT_FAILED, Phase.DONE, Phase.TAKE_CARD,
     Phase.PHONE_CERT_EXPIRED}
)


class CertState(Enum):
    VALID = "valid"
    EXPIRING = "expiring"  # within the renewal-notice window
    GRACE = "grace"  # expired, inside the grace period: eligibility only
    EXPIRED = "expired"  # beyond the grace period


class StaffCallState(Enum):
    """Where a patient's 「職員を呼ぶ」 stands: being sent, on the staff page, or not delivered (say so)."""

    CALLING = "calling"
    DELIVERED = "delivered"
    FAILED = "failed"


class Notice(Enum):
    """A short message the idle or staff PIN screen shows about what just happened."""

    CARD_REMOVED = "card_removed"
    THANKS = "thanks"
    STAFF_PIN_WRONG = "staff_pin_wrong"
    STAFF_LOCKED = "staff_locked"


class Intent(Enum):
    """Buttons. Views emit these (inside `Pressed`); the flow's phase table says what each one does."""

    NEXT = "next"
    CANCEL = "cancel"
    CONTINUE = "continue"  # 「続ける」 on the still-there warning
    BACK = "back"  # 「戻る」 on a consent screen after the first
    VOICE_GUIDE = "voice_guide"  # F1 / Help, or the keypad's 0 held: voice-led mode on, this screen read again
    REGISTER = "register"
    USE_FACE = "use_face"
    USE_PIN = "use_pin"
    CALL_STAFF = "call_staff"
    RETRY = "retry"
    CONFIRM_LAST_TRY = "confirm_last_try"
    TOGGLE_MUTE = "toggle_mute"
    TOGGLE_CONTRAST = "toggle_contrast"
    STAFF_SIGN_IN = "staff_sign_in"  # the staff button on staff_call (the idle screen has the hidden corner)
    STAFF_ARM_VISUAL = "staff_arm_visual"
    STAFF_DISARM_VISUAL = "staff_disarm_visual"
    STAFF_SELF_TEST = "staff_self_test"
    STAFF_EXIT = "staff_exit"
    VISUAL_CONFIRMED = "visual_confirmed"
    VISUAL_REJECTED = "visual_rejected"
    USE_PHONE = "use_phone"  # the idle screen's スマホ choice
    PHONE_ANDROID = "phone_android"
    PHONE_IPHONE = "phone_iphone"


@dataclass(frozen=True)
class SelfTestItem:
    name: str  # "reader", "card_face_camera", "camera", "backend", "outbox", "version"
    ok: bool
    detail: str  # short, technical, no personal data


@dataclass(frozen=True)
class SelfTestReport:
    items: tuple[SelfTestItem, ...]
    counts: tuple[tuple[str, int], ...]  # today's receptions by method
    last_errors: tuple[str, ...]  # error codes only


# --- events ------------------------------------------------------------------------------------------------


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

# --- effects -----------------------------------------------------------------------------------------------


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


# --- state -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """What the pure flow needs from the configuration, fixed for the life of the kiosk."""

    config: KioskConfig
    consents: ConsentCatalogue


@dataclass(frozen=True)
class FlowState:
    settings: Settings = field(repr=False)
    phase: Phase = Phase.ATTRACT
    lang: str = "ja"
    muted: bool = False
    high_contrast: bool = False
    notice: Notice | None = None  # shown on the idle screen
    next_token: int = 1
    job: int | None = None  # token of the one job the flow is waiting for
    timers: tuple[tuple[str, int], ...] = ()  # running timers: (name, token)
    card_present: bool = False
    phone_present: bool = False  # something is on the smartphone reader
    alarm: bool = False
    staff_taps: tuple[float, ...] = ()  # recent taps on the hidden staff corner (view clock, seconds)
    # session
    summary: CardSummary | None = field(default=None, repr=False)
    cert: CertState = CertState.VALID
    registering: bool = False
    method: Method | None = None
    face_attempts: int = 0
    face_exhausted: bool = False  # face path failed for good in this session
    face_photo_ready: bool = False  # the chip photo sits in the runtime's session vault
    face_hint: Guidance = Guidance.OK
    face: FaceDecision | None = field(default=None, repr=False)  # the last decision (accepted: for the result)
    face_box: FaceBox | None = None
    face_progress: float = 0.0
    pin_tries: int | None = None
    last_try_confirmed: bool = False
    pin_entry_count: int = 0  # bumps on every fresh keypad (the ui reshuffles the digits)
    consent_queue: tuple[str, ...] = ()
    consent_answers: tuple[tuple[str, str], ...] = ()
    error: ErrorCode | None = None  # what the current screen explains
    voice_led: bool = False  # voice-led mode (for patients who cannot see the screen): until the card is taken
    still_there: bool = False  # the screen timed out once: 「まだ続けますか？」 counts down before it ends
    phone_session: bool = False  # this reception is a phone's (the card reader's events do not end it)
    carrier: CredentialCarrier | None = None  # the phone chosen, then the one identified
    phone_pin_held: bool = False  # the runtime's vault holds an Android PIN for the next ProvePhone
    # staff
    visual_armed: bool = False
    staff_for_visual: bool = False  # the staff PIN screen was opened from a patient's visual check
    # The staff-only press (confirm / reject a visual check) that waits for the staff PIN: the PIN is asked at
    # the moment of the press, so an armed visual check cannot be confirmed by whoever stands at the kiosk.
    staff_pending: Intent | None = None
    staff_call: StaffCallState | None = None  # the patient called staff in this session
    staff_call_token: int | None = None  # the call in flight (its answer carries this token)
    staff_message: Notice | None = None
    staff_locked_for_s: int = 0
    staff_tries_left: int | None = None
    self_test: SelfTestReport | None = None
    queued: bool = False  # the last submission sits in the outbox
    # The verifier could not be reached in this session: eligibility stays unconfirmed (staff confirm it);
    # the PIN path, which needs the verifier's live challenge today, is not offered.
    backend_down: bool = False
