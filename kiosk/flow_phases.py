"""The reception flow's one table: for every phase, the buttons it offers (each with what it does) and how
it answers job results and other input. `kiosk.flow.step` dispatches through it; `kiosk.screens` draws the
same offers, so a button on screen is always handled and a press that is not on screen changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from kiosk.errors import ErrorCode
from kiosk.face import Guidance, Verdict
from kiosk.flow_effects import CallStaff, CheckStaffPin, Chime, FetchChallenge, RecordOutcome, VerifyPin
from kiosk.flow_events import (
    CardFrontScanned,
    ChallengeFetched,
    ChipPhotoRead,
    ConsentAnswered,
    Event,
    FaceDecided,
    FaceProgressed,
    JobFailed,
    PinEntered,
    PinRejected,
    PinVerified,
    Pressed,
    SelfTestDone,
    StaffCornerTapped,
    StaffPinChecked,
    StaffPinEntered,
    Submitted,
    SummaryRead,
)
from kiosk.flow_phone import (
    phone_choose_offers,
    phone_last_warning_offers,
    phone_pin,
    phone_pin_wrong_offers,
    phone_reader_configured,
    phone_reading,
    start_phone_choice,
)
from kiosk.flow_steps import (
    VISUAL_TIMER,
    Offer,
    Role,
    Transition,
    after_registration,
    answer_consent,
    back_consent,
    begin_consents,
    cancel_job,
    classify_certificate,
    end_session,
    enter,
    face_usable,
    new_token,
    pin_usable,
    read_chip_photo,
    start_capture,
    start_consents,
    start_face,
    start_pin,
    start_reading,
    start_self_test,
    start_timer,
    to_idle,
)
from kiosk.flow_types import CARD_OUT_PHASES, CertState, FlowState, Intent, Notice, Phase, StaffCallState
from kiosk.reception import Method

PIN_LENGTH = 4  # the card's auth PIN (and the staff PIN) are 4 digits
_PIN = re.compile(rf"[0-9]{{{PIN_LENGTH}}}")
STAFF_TAPS = 5  # taps on the hidden corner of the idle screen …
STAFF_TAP_WINDOW_S = 4.0  # … within this many seconds open the staff PIN


def leave_staff(s: FlowState) -> Transition:
    s = replace(s, staff_message=None, self_test=None, staff_for_visual=False, staff_pending=None)
    if s.card_present:
        return start_reading(s)
    return to_idle(s, None)



# --- what each phase offers (buttons) ----------------------------------------------------------------------


def _offer(intent: Intent, role: Role, act: Callable[[FlowState], Transition]) -> Offer:
    return Offer(Pressed(intent), role, act)


def _nothing(s: FlowState) -> list[Offer]:
    return []


def _alternatives(s: FlowState, face: bool = True, pin: bool = True) -> list[Offer]:
    """The ways on shared by the method, retry, failure, PIN-wrong and PIN-locked screens."""
    made = []
    if face and face_usable(s):
        made.append(_offer(Intent.USE_FACE, Role.NORMAL, start_face))
    if pin and pin_usable(s):
        made.append(_offer(Intent.USE_PIN, Role.NORMAL, start_pin))
    made.append(_offer(Intent.CALL_STAFF, Role.QUIET, call_staff))
    return made


def call_staff(s: FlowState) -> Transition:
    """「職員を呼ぶ」: the call goes to the staff page at once, with a chime and a banner at the kiosk; the
    screen then says whether staff got it. Called once per session (a second press only shows the screen)."""
    if s.staff_call in {StaffCallState.CALLING, StaffCallState.DELIVERED}:
        return enter(s, Phase.STAFF_CALL)
    reason = s.phase.value
    s, tok = new_token(s)
    s, effects = enter(s, Phase.STAFF_CALL, staff_call=StaffCallState.CALLING, staff_call_token=tok)
    return s, [*effects, CallStaff(tok, reason), Chime()]


def _attract_offers(s: FlowState) -> list[Offer]:
    # The スマホ choice, where the facility has a smartphone reader (a card needs no button: it is placed).
    return [_offer(Intent.USE_PHONE, Role.NORMAL, start_phone_choice)] if phone_reader_configured(s) else []


def _method_offers(s: FlowState) -> list[Offer]:
    first, *rest = _alternatives(s)
    return [replace(first, role=Role.PRIMARY), *rest]


def _not_registered_offers(s: FlowState) -> list[Offer]:
    return [_offer(Intent.REGISTER, Role.PRIMARY, lambda s: after_registration(replace(s, registering=True)))]


def _notice_offers(s: FlowState) -> list[Offer]:
    return [_offer(Intent.NEXT, Role.PRIMARY, begin_consents)]


def _face_retry_offers(s: FlowState) -> list[Offer]:
    return [_offer(Intent.RETRY, Role.PRIMARY, start_capture), *_alternatives(s, face=False)]


def _face_failed_offers(s: FlowState) -> list[Offer]:
    # An unreadable card front spent nothing: the patient may place the card again and retry.
    retry = [_offer(Intent.RETRY, Role.PRIMARY, start_face)] if s.error is ErrorCode.CARD_FACE_UNREADABLE else []
    return [*retry, *_alternatives(s, face=False)]


def _pin_last_warning_offers(s: FlowState) -> list[Offer]:
    confirm = _offer(Intent.CONFIRM_LAST_TRY, Role.DANGER, lambda s: start_pin(replace(s, last_try_confirmed=True)))
    return [confirm, *_alternatives(s, pin=False)]


def _pin_wrong_offers(s: FlowState) -> list[Offer]:
    return [_offer(Intent.RETRY, Role.PRIMARY, start_pin), *_alternatives(s, pin=False)]


def _without_pin(s: FlowState) -> list[Offer]:
    return _alternatives(s, pin=False)


def _staff_call_offers(s: FlowState) -> list[Offer]:
    again = [_offer(Intent.CALL_STAFF, Role.PRIMARY, call_staff)] if s.staff_call is StaffCallState.FAILED else []
    if not s.settings.config.staff.pin_hash:
        return again  # staff mode is off: no staff button that would do nothing
    # Staff look at the card and the patient first; confirming (or rejecting) then asks for their PIN.
    return [*again, _offer(Intent.STAFF_SIGN_IN, Role.QUIET, lambda s: enter(s, Phase.VISUAL_CHECK))]


def _staff_pin_offers(s: FlowState) -> list[Offer]:
    return [_offer(Intent.STAFF_EXIT, Role.QUIET, _close_staff_pin)]


def _visual_check_offers(s: FlowState) -> list[Offer]:
    # Both answers are staff-only: each opens the staff PIN, and only a PIN checked then carries it out.
    return [
        _offer(Intent.VISUAL_CONFIRMED, Role.PRIMARY, lambda s: _ask_staff(s, Intent.VISUAL_CONFIRMED)),
        _offer(Intent.VISUAL_REJECTED, Role.DANGER, lambda s: _ask_staff(s, Intent.VISUAL_REJECTED)),
    ]


def _ask_staff(s: FlowState, pending: Intent) -> Transition:
    if not s.settings.config.staff.pin_hash:
        return s, []  # staff mode is off: no staff PIN to check, so no staff-only answer
    return _open_staff_pin(replace(s, staff_pending=pending), for_visual=True)


def _carry_out(s: FlowState, pending: Intent | None) -> Transition:
    """The staff-only answer the staff PIN was asked for, now that it checked out."""
    s = replace(s, staff_for_visual=False, staff_pending=None)
    if pending is Intent.VISUAL_CONFIRMED:
        return start_consents(s, Method.VISUAL)
    if pending is Intent.VISUAL_REJECTED:
        return end_session(s, Phase.TAKE_CARD, error=ErrorCode.VISUAL_REJECTED)
    return enter(s, Phase.VISUAL_CHECK)


def _consent_offers(s: FlowState) -> list[Offer]:
    if not s.consent_queue:
        return []
    item = s.settings.consents.get(s.consent_queue[0])
    made = [
        Offer(ConsentAnswered(item.item_id, c), Role.PRIMARY if i == 0 else Role.NORMAL, _answer(item.item_id, c))
        for i, c in enumerate(item.choices)
    ]
    if s.consent_answers:
        made.append(_offer(Intent.BACK, Role.QUIET, back_consent))
    return made


def _answer(item_id: str, choice: str) -> Callable[[FlowState], Transition]:
    return lambda s: answer_consent(s, item_id, choice)


def _staff_panel_offers(s: FlowState) -> list[Offer]:
    if s.visual_armed:
        arm = _offer(Intent.STAFF_DISARM_VISUAL, Role.PRIMARY, _disarm_visual)
    else:
        arm = _offer(Intent.STAFF_ARM_VISUAL, Role.PRIMARY, _arm_visual)
    return [arm, _offer(Intent.STAFF_SELF_TEST, Role.NORMAL, start_self_test),
            _offer(Intent.STAFF_EXIT, Role.QUIET, leave_staff)]  # fmt: skip


def _self_test_offers(s: FlowState) -> list[Offer]:
    return [_offer(Intent.NEXT, Role.PRIMARY, _back_to_panel)]


# --- what each phase does with job results and other events ---------------------------------------------


def _ignore(s: FlowState, e: Event) -> Transition:
    return s, []


def _attract(s: FlowState, e: Event) -> Transition:
    if isinstance(e, StaffCornerTapped):
        taps = (*(t for t in s.staff_taps if e.at_s - t <= STAFF_TAP_WINDOW_S), e.at_s)
        if len(taps) < STAFF_TAPS:
            return replace(s, staff_taps=taps), []
        s = replace(s, staff_taps=())
        return _open_staff_pin(s, for_visual=False) if s.settings.config.staff.pin_hash else (s, [])
    return s, []


def _reading(s: FlowState, e: Event) -> Transition:
    match e:
        case SummaryRead(summary=summary, now=now):
            cert = classify_certificate(summary, now, s)
            s = replace(s, summary=summary, cert=cert, pin_tries=summary.tries.auth_pin)
            if cert is CertState.EXPIRED:
                return end_session(s, Phase.CERT_EXPIRED)
            s, tok = new_token(s)
            return replace(s, job=tok), [FetchChallenge(tok)]
        case ChallengeFetched(registered=registered):
            s = replace(s, job=None)
            return after_registration(s) if registered else enter(s, Phase.NOT_REGISTERED)
        case JobFailed(code=ErrorCode.BACKEND_UNAVAILABLE) if s.summary is not None:
            # The card was read; only the verifier is away. Go on (face or staff), record the reception and
            # say honestly that staff will confirm eligibility — never "the card could not be read".
            return after_registration(replace(s, job=None, backend_down=True))
        case JobFailed(code=ErrorCode.UNSUPPORTED_CARD):
            return end_session(s, Phase.UNSUPPORTED, error=ErrorCode.UNSUPPORTED_CARD)
        case JobFailed(code=ErrorCode.CARD_REVOKED):
            # Told by the verifier right after the read: no face scan, PIN or consent is spent on it.
            return end_session(s, Phase.READ_FAILED, error=ErrorCode.CARD_REVOKED)
        case JobFailed(code=code):
            return end_session(s, Phase.READ_FAILED, error=code)
    return s, []


def _face_scan(s: FlowState, e: Event) -> Transition:
    match e:
        case CardFrontScanned():
            return read_chip_photo(replace(s, job=None))
        case JobFailed(code=code):
            # An unreadable card front spent nothing: the patient may place the card again and retry.
            exhausted = code is not ErrorCode.CARD_FACE_UNREADABLE
            return enter(s, Phase.FACE_FAILED, job=None, error=code, face_exhausted=exhausted)
    return s, []


def _face_photo(s: FlowState, e: Event) -> Transition:
    match e:
        case ChipPhotoRead():
            return start_capture(replace(s, job=None, face_photo_ready=True))
        case JobFailed(code=code):
            return enter(s, Phase.FACE_FAILED, job=None, error=code, face_exhausted=True)
    return s, []


def _face_capture(s: FlowState, e: Event) -> Transition:
    match e:
        case FaceProgressed(hint=hint, box=box, progress=progress):
            return replace(s, face_hint=hint, face_box=box, face_progress=progress), []
        case FaceDecided(decision=decision) if decision.verdict is Verdict.ACCEPT:
            return start_consents(replace(s, job=None, face=decision), Method.FACE)
        case FaceDecided(decision=decision):
            return face_not_accepted(replace(s, job=None, face=decision), decision.verdict, decision.retry_hint)
        case JobFailed(code=code):
            return enter(s, Phase.FACE_FAILED, job=None, error=code, face_exhausted=True)
    return s, []


def face_not_accepted(s: FlowState, verdict: Verdict, hint: Guidance) -> Transition:
    attempts = s.face_attempts + 1
    if verdict is Verdict.REJECT or attempts >= s.settings.config.face.max_attempts:
        error = ErrorCode.FACE_LIVENESS if verdict is Verdict.LIVENESS_FAILED else ErrorCode.FACE_NO_MATCH
        return enter(s, Phase.FACE_FAILED, face_attempts=attempts, face_exhausted=True, error=error)
    return enter(s, Phase.FACE_RETRY, face_attempts=attempts, face_hint=hint)


def _pin_entry(s: FlowState, e: Event) -> Transition:
    if isinstance(e, PinEntered):
        if not _PIN.fullmatch(e.pin):
            return replace(s, error=ErrorCode.PIN_FORMAT), []
        s, tok = new_token(s)
        s, effects = enter(s, Phase.PIN_VERIFYING, job=tok, last_try_confirmed=False, error=None)
        return s, [*effects, VerifyPin(tok, e.pin)]
    return s, []


def _pin_verifying(s: FlowState, e: Event) -> Transition:
    match e:
        case PinVerified():
            return start_consents(replace(s, job=None), Method.PIN)
        case PinRejected(tries_left=tries):
            phase = Phase.PIN_LOCKED if tries <= 0 else Phase.PIN_WRONG
            return enter(s, phase, job=None, pin_tries=max(tries, 0), error=ErrorCode.PIN_WRONG)
        case JobFailed(code=ErrorCode.PIN_BLOCKED):
            return enter(s, Phase.PIN_LOCKED, job=None, pin_tries=0, error=ErrorCode.PIN_BLOCKED)
        case JobFailed(code=code):
            return end_session(replace(s, job=None), Phase.TAKE_CARD, error=code)
    return s, []


def _open_staff_pin(s: FlowState, for_visual: bool) -> Transition:
    count = s.pin_entry_count + 1  # a fresh, reshuffled keypad
    return enter(s, Phase.STAFF_PIN, staff_for_visual=for_visual, staff_message=None, pin_entry_count=count)


def _close_staff_pin(s: FlowState) -> Transition:
    if s.staff_for_visual:
        return back_to_visual_check(s)
    return leave_staff(s)


def back_to_visual_check(s: FlowState) -> Transition:
    """The staff PIN was closed (or timed out) before a visual check answer: nothing was answered."""
    return enter(s, Phase.VISUAL_CHECK, staff_for_visual=False, staff_pending=None, staff_message=None)


def _staff_pin(s: FlowState, e: Event) -> Transition:
    match e:
        case StaffPinEntered(pin=pin) if s.job is None:
            s, tok = new_token(s)
            return replace(s, job=tok, staff_message=None), [CheckStaffPin(tok, pin)]
        case StaffPinChecked(ok=True):
            s = replace(s, job=None, staff_message=None)
            if s.staff_for_visual:
                return _carry_out(s, s.staff_pending)
            return enter(s, Phase.STAFF_PANEL)
        case StaffPinChecked(locked_for_s=locked, tries_left=tries):
            message = Notice.STAFF_LOCKED if locked > 0 else Notice.STAFF_PIN_WRONG
            s = replace(s, job=None, staff_message=message, staff_locked_for_s=locked, staff_tries_left=tries)
            return replace(s, pin_entry_count=s.pin_entry_count + 1), []  # a fresh, reshuffled keypad
    return s, []


def _submitting(s: FlowState, e: Event) -> Transition:
    match e:
        case Submitted(queued=queued):
            method = s.method
            s, effects = end_session(replace(s, job=None, queued=queued), Phase.DONE)
            return s, [*effects, *([RecordOutcome(method)] if method is not None else [])]
        case JobFailed(code=code):
            return end_session(replace(s, job=None), Phase.SUBMIT_FAILED, error=code)
    return s, []


def _arm_visual(s: FlowState) -> Transition:
    s, effects = start_timer(s, VISUAL_TIMER, s.settings.config.timeouts.visual_check_arm_s)
    s, more = leave_staff(replace(s, visual_armed=True))
    return s, effects + more


def _disarm_visual(s: FlowState) -> Transition:
    return replace(s, visual_armed=False, timers=tuple(t for t in s.timers if t[0] != VISUAL_TIMER)), []


def _back_to_panel(s: FlowState) -> Transition:
    s, effects = cancel_job(s)
    s, more = enter(s, Phase.STAFF_PANEL, self_test=None)
    return s, effects + more


def _staff_self_test(s: FlowState, e: Event) -> Transition:
    match e:
        case SelfTestDone(report=report):
            return replace(s, job=None, self_test=report), []
        case JobFailed():
            return replace(s, job=None), []
    return s, []


# --- the table ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseRules:
    offers: Callable[[FlowState], list[Offer]]  # the buttons, each with its action
    on_event: Callable[[FlowState, Event], Transition] = _ignore  # job results and other input


_NOTHING = PhaseRules(_nothing)

PHASES: dict[Phase, PhaseRules] = {
    Phase.ATTRACT: PhaseRules(_attract_offers, _attract),
    Phase.READING: PhaseRules(_nothing, _reading),
    Phase.NOT_REGISTERED: PhaseRules(_not_registered_offers),
    Phase.RENEWAL_NOTICE: PhaseRules(_notice_offers),
    Phase.GRACE_NOTICE: PhaseRules(_notice_offers),
    Phase.METHOD: PhaseRules(_method_offers),
    Phase.FACE_SCAN: PhaseRules(_nothing, _face_scan),
    Phase.FACE_PHOTO: PhaseRules(_nothing, _face_photo),
    Phase.FACE_CAPTURE: PhaseRules(_nothing, _face_capture),
    Phase.FACE_RETRY: PhaseRules(_face_retry_offers),
    Phase.FACE_FAILED: PhaseRules(_face_failed_offers),
    Phase.PIN_LAST_WARNING: PhaseRules(_pin_last_warning_offers),
    Phase.PIN_ENTRY: PhaseRules(_without_pin, _pin_entry),
    Phase.PIN_VERIFYING: PhaseRules(_nothing, _pin_verifying),
    Phase.PIN_WRONG: PhaseRules(_pin_wrong_offers),
    Phase.PIN_LOCKED: PhaseRules(_without_pin),
    Phase.STAFF_CALL: PhaseRules(_staff_call_offers),
    Phase.STAFF_PIN: PhaseRules(_staff_pin_offers, _staff_pin),
    Phase.VISUAL_CHECK: PhaseRules(_visual_check_offers),
    Phase.CONSENT: PhaseRules(_consent_offers),
    Phase.SUBMITTING: PhaseRules(_nothing, _submitting),
    Phase.STAFF_PANEL: PhaseRules(_staff_panel_offers),
    Phase.STAFF_SELF_TEST: PhaseRules(_self_test_offers, _staff_self_test),
    Phase.PHONE_CHOOSE: PhaseRules(phone_choose_offers),
    Phase.PHONE_PIN: PhaseRules(_nothing, phone_pin),
    Phase.PHONE_HOLD: _NOTHING,  # waits for the phone (PhonePlaced, handled with the other reader events)
    Phase.PHONE_READING: PhaseRules(_nothing, phone_reading),
    Phase.PHONE_LAST_WARNING: PhaseRules(phone_last_warning_offers),
    Phase.PHONE_PIN_WRONG: PhaseRules(phone_pin_wrong_offers),
    **{p: _NOTHING for p in CARD_OUT_PHASES},  # nothing to press: the card has to be taken
}
assert set(PHASES) == set(Phase), "every phase needs its rules"  # exhaustive by construction

