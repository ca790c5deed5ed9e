"""The reception flow's state and the vocabulary it is written in: phases, intents, notices, the self-test report.

Everything here is a frozen value. `kiosk.flow.step` maps (FlowState, Event) to (FlowState, effects); the events
it takes are in `kiosk.flow_events`, the effects it returns in `kiosk.flow_effects`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
