"""Building blocks of the flow: entering a phase (with its timer), ending a session, and the path choices.

Each helper takes a state and returns (state, effects). They are pure; `kiosk.flow.step` composes them.
Also the shape of a button the flow offers (`Offer`: what it sends, how it looks, what it does).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import Enum

from kiosk.config import COMPREHENSIVE_CONSENT_ITEMS, Timeouts
from kiosk.domain import CardSummary
from kiosk.errors import ErrorCode
from kiosk.face import Guidance
from kiosk.flow_effects import (
    Alarm,
    CancelJob,
    CancelTimer,
    ClearSensitiveData,
    Effect,
    ReadCard,
    ReadChipPhoto,
    RunSelfTest,
    ScanCardFront,
    StartCapture,
    StartTimer,
    StopCapture,
    Submit,
    SubmitPlan,
)
from kiosk.flow_events import ConsentAnswered, Pressed
from kiosk.flow_types import CARD_OUT_PHASES, CertState, FlowState, Notice, Phase
from kiosk.reception import Method

Transition = tuple[FlowState, list[Effect]]

Press = Pressed | ConsentAnswered  # what a button sends: an intent, or a consent screen's choice


class Role(Enum):
    """How a button looks: the one to press, an ordinary one, a quiet way out, a step that costs something."""

    PRIMARY = "primary"
    NORMAL = "normal"
    QUIET = "quiet"
    DANGER = "danger"


@dataclass(frozen=True)
class Offer:
    """One button of the current phase: what it sends, how it looks, and what the flow does when it comes.
    The flow and the screens read the same offers, so a drawn button is always handled and nothing else is."""

    press: Press
    role: Role
    act: Callable[[FlowState], Transition] = field(compare=False, repr=False)

PHASE_TIMER = "phase"
CARD_LEFT_TIMER = "card_left"
VISUAL_TIMER = "visual"

# Phases whose timer is a bounded wait for a job rather than for the patient.
JOB_PHASES = frozenset(
    {Phase.READING, Phase.FACE_SCAN, Phase.FACE_PHOTO, Phase.FACE_CAPTURE, Phase.PIN_VERIFYING, Phase.SUBMITTING,
     Phase.PHONE_READING}
)


def phase_timeout(phase: Phase, t: Timeouts) -> float | None:
    table = {
        Phase.READING: t.reading_s,
        Phase.FACE_SCAN: t.card_face_scan_s,
        Phase.FACE_PHOTO: t.chip_photo_s,
        Phase.FACE_CAPTURE: t.face_capture_s,
        Phase.PIN_ENTRY: t.pin_entry_s,
        Phase.PHONE_PIN: t.pin_entry_s,
        Phase.PHONE_READING: t.reading_s,
        Phase.PIN_VERIFYING: t.pin_verify_s,
        Phase.CONSENT: t.consent_s,
        Phase.SUBMITTING: t.submit_s,
        Phase.STAFF_CALL: t.staff_s,
        Phase.STAFF_PIN: t.staff_s,
        Phase.STAFF_PANEL: t.staff_s,
        Phase.STAFF_SELF_TEST: t.staff_s,
        Phase.VISUAL_CHECK: t.staff_s,
    }
    if phase in table:
        return table[phase]
    if phase in CARD_OUT_PHASES or phase is Phase.ATTRACT:
        return None
    return t.choice_s


def new_token(s: FlowState) -> tuple[FlowState, int]:
    return replace(s, next_token=s.next_token + 1), s.next_token


def timer_token(s: FlowState, name: str) -> int | None:
    return dict(s.timers).get(name)


def start_timer(s: FlowState, name: str, seconds: float) -> Transition:
    s, tok = new_token(s)
    timers = (*tuple((n, t) for n, t in s.timers if n != name), (name, tok))
    return replace(s, timers=timers), [StartTimer(name, seconds, tok)]


def cancel_timer(s: FlowState, name: str) -> Transition:
    if timer_token(s, name) is None:
        return s, []
    return replace(s, timers=tuple((n, t) for n, t in s.timers if n != name)), [CancelTimer(name)]


def cancel_job(s: FlowState) -> Transition:
    """Stop whatever job the flow waits for; its late result will carry a token nobody expects."""
    if s.job is None:
        return s, []
    effect: Effect = StopCapture(s.job) if s.phase is Phase.FACE_CAPTURE else CancelJob(s.job)
    return replace(s, job=None), [effect]


def enter(s: FlowState, phase: Phase, **changes: object) -> Transition:
    """Switch phase: cancel the old phase timer and start the new one (if the phase has a timeout)."""
    s = replace(s, phase=phase, still_there=False, **changes)  # type: ignore[arg-type]
    s, effects = cancel_timer(s, PHASE_TIMER)
    seconds = phase_timeout(phase, s.settings.config.timeouts)
    if phase is Phase.ATTRACT and s.notice is not None:
        seconds = s.settings.config.timeouts.notice_s
    if seconds is not None:
        s, more = start_timer(s, PHASE_TIMER, seconds)
        effects += more
    return s, effects


def start_job(s: FlowState, phase: Phase, make: Callable[[int], Effect], **changes: object) -> Transition:
    """Enter a job phase and start its job with a fresh token (ReadCard-shaped effects take just the token)."""
    s, tok = new_token(s)
    s, effects = enter(s, phase, job=tok, **changes)
    return s, [*effects, make(tok)]


def end_session(s: FlowState, phase: Phase, error: ErrorCode | None = None, **changes: object) -> Transition:
    """The patient part is over (done, failed, cancelled): wipe the data and wait for the card to be taken."""
    s, effects = cancel_job(s)
    s, more = enter(s, phase, error=error, **changes)
    effects += [*more, ClearSensitiveData()]
    if s.phone_session and not s.phone_present:
        # The phone was held for a moment and taken back, as it should be: nothing is left on a reader, so
        # the message stays a while and the kiosk goes back to the idle screen by itself (no alarm).
        s, more = start_timer(s, PHASE_TIMER, s.settings.config.timeouts.notice_s)
        return replace(s, summary=None), effects + more
    s, more = start_timer(s, CARD_LEFT_TIMER, s.settings.config.timeouts.card_left_alarm_s)
    return replace(s, summary=None), effects + more


def to_idle(s: FlowState, notice: Notice | None) -> Transition:
    """Back to the attract screen: every job and timer stopped, the session wiped, the alarm off."""
    s, effects = cancel_job(s)
    s, more = cancel_timer(s, CARD_LEFT_TIMER)
    effects += more
    if s.alarm:
        effects.append(Alarm(False))
    visual_armed = s.visual_armed
    if (visual_armed and s.summary is not None) or s.method is Method.VISUAL:
        visual_armed = False  # armed for one patient only
        s, more = cancel_timer(s, VISUAL_TIMER)
        effects += more
    cfg = s.settings.config
    fresh = FlowState(
        settings=s.settings,
        lang=cfg.default_lang,
        next_token=s.next_token,
        timers=s.timers,
        card_present=s.card_present,
        phone_present=s.phone_present,
        visual_armed=visual_armed,
        notice=notice,
    )
    fresh, more = enter(fresh, Phase.ATTRACT)
    return fresh, [*effects, ClearSensitiveData(), *more]


def start_reading(s: FlowState) -> Transition:
    return start_job(s, Phase.READING, ReadCard, notice=None)


def classify_certificate(summary: CardSummary, now: datetime, s: FlowState) -> CertState:
    policy = s.settings.config.certificate
    days = summary.auth_certificate.days_to_expiry(now)
    if days < -policy.grace_days:
        return CertState.EXPIRED
    if days < 0:
        return CertState.GRACE
    if days <= policy.renewal_notice_days:
        return CertState.EXPIRING
    return CertState.VALID


def pin_usable(s: FlowState) -> bool:
    return s.pin_tries is not None and s.pin_tries > 0 and not s.backend_down


def face_usable(s: FlowState) -> bool:
    return not s.face_exhausted


def start_face(s: FlowState) -> Transition:
    if s.face_exhausted:
        return enter(s, Phase.FACE_FAILED)
    floor = s.settings.config.face.min_verification_b_tries
    if not s.face_photo_ready and s.summary is not None and s.summary.tries.verification_b < floor:
        return enter(s, Phase.FACE_FAILED, face_exhausted=True, error=ErrorCode.VERIFICATION_B_LOW)
    if s.face_photo_ready:
        return start_capture(s)
    return start_job(s, Phase.FACE_SCAN, ScanCardFront, error=None)


def read_chip_photo(s: FlowState) -> Transition:
    return start_job(s, Phase.FACE_PHOTO, ReadChipPhoto)


def start_capture(s: FlowState) -> Transition:
    return start_job(s, Phase.FACE_CAPTURE, StartCapture, face_hint=Guidance.OK, face_box=None, face_progress=0.0)


def start_pin(s: FlowState) -> Transition:
    if not pin_usable(s):
        return enter(s, Phase.PIN_LOCKED, error=ErrorCode.PIN_NOT_SET if s.pin_tries is None else ErrorCode.PIN_BLOCKED)
    if s.pin_tries == 1 and not s.last_try_confirmed:
        return enter(s, Phase.PIN_LAST_WARNING)
    return enter(s, Phase.PIN_ENTRY, pin_entry_count=s.pin_entry_count + 1, error=None)


def choose_method(s: FlowState) -> Transition:
    if s.visual_armed:
        return enter(s, Phase.VISUAL_CHECK)
    if not pin_usable(s):
        return start_face(s)  # PIN-less card or locked PIN: face (or staff) only
    return enter(s, Phase.METHOD)  # 保険証利用登録 too: with face or PIN, as on the official readers


def after_registration(s: FlowState) -> Transition:
    # The renewal and grace notices come after the identity check (start_consents), as in the official flow.
    return choose_method(s)


def consent_items(s: FlowState) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(covered by 包括同意, asked one by one) for this facility and this certificate."""
    catalogue = s.settings.consents
    items = [i for i in s.settings.config.consent.items if i in catalogue.items]
    if s.cert is CertState.GRACE:
        items = [i for i in items if not catalogue.get(i).medical_info]  # eligibility only
    comprehensive = s.settings.config.consent.comprehensive
    covered = tuple(i for i in items if i in COMPREHENSIVE_CONSENT_ITEMS) if comprehensive else ()
    return covered, tuple(i for i in items if i not in covered)


def consent_queue_after(s: FlowState, answers: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """The consent screens still to come once `answers` are given (declining 包括同意 asks its items one by one)."""
    covered, rest = consent_items(s)
    queue = (("comprehensive",) if covered else ()) + rest
    for item_id, choice in answers:
        queue = queue[1:]
        if item_id == "comprehensive" and choice != "consent_all":
            queue = covered + queue
    return queue


def back_consent(s: FlowState) -> Transition:
    """「戻る」 on a consent screen: the previous screen again, its answer taken back."""
    if not s.consent_answers:
        return s, []
    answers = s.consent_answers[:-1]
    return enter(s, Phase.CONSENT, consent_answers=answers, consent_queue=consent_queue_after(s, answers))


def start_consents(s: FlowState, method: Method) -> Transition:
    """Identity checked: first the certificate's notice (renewal soon / grace period) if any, then consents."""
    s = replace(s, method=method, error=None)
    if s.cert is CertState.EXPIRING:
        return enter(s, Phase.RENEWAL_NOTICE)
    if s.cert is CertState.GRACE:
        return enter(s, Phase.GRACE_NOTICE)
    return begin_consents(s)


def begin_consents(s: FlowState) -> Transition:
    queue = consent_queue_after(s, ())
    if not queue:
        return submit(s)
    return enter(s, Phase.CONSENT, consent_queue=queue, consent_answers=())


def answer_consent(s: FlowState, item_id: str, choice: str) -> Transition:
    if not s.consent_queue or s.consent_queue[0] != item_id:
        return s, []  # a stale tap on a screen that has already moved on
    if choice not in s.settings.consents.get(item_id).choices:
        return s, []
    # Only what the patient answered: the items "consent to all" stands for are named once, at submit.
    answers = (*s.consent_answers, (item_id, choice))
    queue = s.consent_queue[1:]
    if item_id == "comprehensive" and choice != "consent_all":
        covered, _ = consent_items(s)
        queue = covered + queue
    s = replace(s, consent_answers=answers, consent_queue=queue)
    if not queue:
        return submit(s)
    return enter(s, Phase.CONSENT)  # restarts the consent timeout for the next screen


def submit(s: FlowState) -> Transition:
    assert s.method is not None, "consents come after the identity check"
    covered = consent_items(s)[0] if ("comprehensive", "consent_all") in s.consent_answers else ()
    plan = SubmitPlan(
        method=s.method,
        face=s.face if s.method is Method.FACE else None,
        consents=s.consent_answers,
        covered_by_comprehensive=covered,
        lang=s.lang,
        register_for_insurance=s.registering,
        eligibility_only=s.cert is CertState.GRACE,
    )
    s, tok = new_token(s)
    s, effects = enter(s, Phase.SUBMITTING, job=tok, consent_queue=())
    return s, [*effects, Submit(tok, plan)]


def start_self_test(s: FlowState) -> Transition:
    return start_job(s, Phase.STAFF_SELF_TEST, RunSelfTest, self_test=None)
