"""The reception flow as a pure step function: `step(state, event) -> (state, effects)`.

No I/O, no threads, no clock: timers and jobs are effects, their completions come back as events with the
token the flow issued, and anything carrying a token the flow no longer expects is dropped. See
`kiosk.flow_types` for the vocabulary and `kiosk.flow_steps` for the transitions it is built from.
"""

from __future__ import annotations

import re
from dataclasses import replace

from kiosk.config import LANGUAGES
from kiosk.flow_steps import (
    CARD_LEFT_TIMER,
    JOB_PHASES,
    PHASE_TIMER,
    VISUAL_TIMER,
    Step,
    after_registration,
    answer_consent,
    cancel_job,
    choose_method,
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
    timer_token,
    to_idle,
)
from kiosk.flow_types import (
    CARD_OUT_PHASES,
    SESSION_PHASES,
    Alarm,
    CardFaceScanned,
    CardInserted,
    CardRemoved,
    CertState,
    ChallengeFetched,
    CheckStaffPin,
    ChipPhotoRead,
    ConsentAnswered,
    Effect,
    Event,
    FaceDecided,
    FaceProgressed,
    FetchChallenge,
    FlowState,
    Intent,
    JobFailed,
    LanguageChosen,
    Phase,
    PinEntered,
    PinRejected,
    PinVerified,
    PlayVoice,
    Pressed,
    RecordOutcome,
    SelfTestDone,
    Settings,
    Show,
    StaffPinChecked,
    StaffPinEntered,
    StopVoice,
    Submitted,
    SummaryRead,
    TimerExpired,
    UserActivity,
    VerifyPin,
)

_PIN = re.compile(r"[0-9]{4}")
_TOKENED = (
    SummaryRead, ChallengeFetched, CardFaceScanned, ChipPhotoRead, FaceProgressed, FaceDecided, PinVerified,
    PinRejected, Submitted, StaffPinChecked, SelfTestDone, JobFailed,
)  # fmt: skip


_CANCELLABLE = SESSION_PHASES - CARD_OUT_PHASES - {Phase.STAFF_PIN}


def initial_state(settings: Settings) -> FlowState:
    return FlowState(settings=settings, lang=settings.config.default_lang)


def step(state: FlowState, event: Event) -> tuple[FlowState, list[Effect]]:
    """Advance the flow by one event. Pure: the same (state, event) always gives the same answer."""
    if isinstance(event, _TOKENED) and event.token != state.job:
        return state, []  # a late result from a job that was cancelled or timed out
    if isinstance(event, TimerExpired) and timer_token(state, event.name) != event.token:
        return state, []  # a timer that was cancelled or restarted after it fired
    new, effects = _dispatch(state, event)
    if new != state and not any(isinstance(e, Show) for e in effects):
        effects.append(Show(new.phase.value))
    if (new.phase is not state.phase or new.lang != state.lang) and not new.muted:
        effects.append(PlayVoice(_voice_clip(new), new.lang))
    return new, effects


def _voice_clip(s: FlowState) -> str:
    # Stored but not confirmed by the verifier: the "done" clip says 受付完了, so it gets its own clip.
    if s.phase is Phase.DONE and (s.queued or s.backend_down):
        return "done_recorded"
    return s.phase.value


def _dispatch(s: FlowState, e: Event) -> Step:
    match e:
        case CardInserted():
            s = replace(s, card_present=True)
            return start_reading(s) if s.phase is Phase.ATTRACT else (s, [])
        case CardRemoved():
            return _card_removed(replace(s, card_present=False))
        case LanguageChosen(lang=lang):
            return (replace(s, lang=lang), []) if lang in LANGUAGES else (s, [])
        case Pressed(intent=Intent.TOGGLE_MUTE):
            return replace(s, muted=not s.muted), [] if s.muted else [StopVoice()]
        case Pressed(intent=Intent.TOGGLE_CONTRAST):
            return replace(s, high_contrast=not s.high_contrast), []
        case UserActivity():
            return _activity(s)
        case TimerExpired(name=name):
            return _timer(s, name)
        case Pressed(intent=Intent.CANCEL) if s.phase in _CANCELLABLE:
            return end_session(s, Phase.TAKE_CARD, error="cancelled")
    handler = _HANDLERS.get(s.phase)
    return handler(s, e) if handler else (s, [])


def _card_removed(s: FlowState) -> Step:
    if s.phase in {Phase.ATTRACT, Phase.STAFF_PANEL, Phase.STAFF_SELF_TEST}:
        return s, []
    if s.phase is Phase.STAFF_PIN and not s.staff_for_visual:
        return s, []
    return to_idle(s, "thanks" if s.phase is Phase.DONE else None if s.phase in CARD_OUT_PHASES else "card_removed")


def _activity(s: FlowState) -> Step:
    if s.phase in JOB_PHASES or timer_token(s, PHASE_TIMER) is None or s.phase is Phase.ATTRACT:
        return s, []
    return enter(s, s.phase)  # same phase, fresh timeout


def _timer(s: FlowState, name: str) -> Step:
    s = replace(s, timers=tuple((n, t) for n, t in s.timers if n != name))
    if name == CARD_LEFT_TIMER:
        return replace(s, alarm=True), [Alarm(True)]
    if name == VISUAL_TIMER:
        return replace(s, visual_armed=False), []
    match s.phase:
        case Phase.ATTRACT:
            return replace(s, notice=None), []
        case Phase.READING:
            return end_session(s, Phase.READ_FAILED, error="timeout")
        case Phase.FACE_SCAN | Phase.FACE_PHOTO:
            s, effects = cancel_job(s)
            s, more = enter(s, Phase.FACE_FAILED, error="timeout", face_exhausted=True)
            return s, effects + more
        case Phase.FACE_CAPTURE:
            s, effects = cancel_job(s)
            s, more = _face_not_accepted(s, "retry", "ok")
            return s, effects + more
        case Phase.SUBMITTING:
            return end_session(s, Phase.SUBMIT_FAILED, error="backend_timeout")
        case Phase.STAFF_PIN if s.staff_for_visual:
            return enter(s, Phase.STAFF_CALL, staff_for_visual=False, staff_message=None)
        case Phase.STAFF_PIN | Phase.STAFF_PANEL | Phase.STAFF_SELF_TEST:
            s, effects = cancel_job(s)
            s, more = _leave_staff(s)
            return s, effects + more
    return end_session(s, Phase.TAKE_CARD, error="timed_out")


def _leave_staff(s: FlowState) -> Step:
    s = replace(s, staff_message=None, self_test=None, staff_for_visual=False)
    if s.card_present:
        return start_reading(s)
    return to_idle(s, None)


# --- per-phase handlers ----------------------------------------------------------------------------------


def _attract(s: FlowState, e: Event) -> Step:
    if e == Pressed(Intent.STAFF_GESTURE) and s.settings.config.staff.pin_hash:
        return _open_staff_pin(s, for_visual=False)
    return s, []


def _reading(s: FlowState, e: Event) -> Step:
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
        case JobFailed(code="backend_unavailable") if s.summary is not None:
            # The card was read; only the verifier is away. Go on (face or staff), record the reception and
            # say honestly that staff will confirm eligibility — never "the card could not be read".
            return after_registration(replace(s, job=None, backend_down=True))
        case JobFailed(code=code):
            if code == "unsupported_card":
                return end_session(s, Phase.UNSUPPORTED, error=code)
            return end_session(s, Phase.READ_FAILED, error=code)
    return s, []


def _not_registered(s: FlowState, e: Event) -> Step:
    if e == Pressed(Intent.REGISTER):
        return after_registration(replace(s, registering=True))
    return s, []


def _notice(s: FlowState, e: Event) -> Step:
    return choose_method(s) if e == Pressed(Intent.NEXT) else (s, [])


def _alternatives(s: FlowState, e: Event) -> Step:
    """The buttons shared by the method, retry, failure, PIN-wrong and PIN-locked screens."""
    if e == Pressed(Intent.USE_FACE) and face_usable(s):
        return start_face(s)
    if e == Pressed(Intent.USE_PIN) and pin_usable(s):
        return start_pin(s)
    if e == Pressed(Intent.CALL_STAFF):
        return enter(s, Phase.STAFF_CALL)
    return s, []


def _face_scan(s: FlowState, e: Event) -> Step:
    match e:
        case CardFaceScanned():
            return read_chip_photo(replace(s, job=None))
        case JobFailed(code=code):
            # An unreadable card front spent nothing: the patient may place the card again and retry.
            exhausted = code != "card_face_unreadable"
            return enter(s, Phase.FACE_FAILED, job=None, error=code, face_exhausted=exhausted)
    return s, []


def _face_photo(s: FlowState, e: Event) -> Step:
    match e:
        case ChipPhotoRead():
            return start_capture(replace(s, job=None, face_photo_ready=True))
        case JobFailed(code=code):
            return enter(s, Phase.FACE_FAILED, job=None, error=code, face_exhausted=True)
    return s, []


def _face_capture(s: FlowState, e: Event) -> Step:
    match e:
        case FaceProgressed(hint=hint, box=box, progress=progress):
            return replace(s, face_hint=hint, face_box=box, face_progress=progress), []
        case FaceDecided(verdict="accept"):
            return start_consents(replace(s, job=None), "face")
        case FaceDecided(verdict=verdict, hint=hint):
            return _face_not_accepted(replace(s, job=None), verdict, hint)
        case JobFailed(code=code):
            return enter(s, Phase.FACE_FAILED, job=None, error=code, face_exhausted=True)
    return s, []


def _face_not_accepted(s: FlowState, verdict: str, hint: str) -> Step:
    attempts = s.face_attempts + 1
    if verdict == "reject" or attempts >= s.settings.config.face.max_attempts:
        error = "face_liveness" if verdict == "liveness_failed" else "face_no_match"
        return enter(s, Phase.FACE_FAILED, face_attempts=attempts, face_exhausted=True, error=error)
    return enter(s, Phase.FACE_RETRY, face_attempts=attempts, face_hint=hint)


def _face_retry(s: FlowState, e: Event) -> Step:
    return start_capture(s) if e == Pressed(Intent.RETRY) else _alternatives(s, e)


def _face_failed(s: FlowState, e: Event) -> Step:
    if e == Pressed(Intent.RETRY) and s.error == "card_face_unreadable":
        return start_face(s)
    return _alternatives(s, e)


def _pin_last_warning(s: FlowState, e: Event) -> Step:
    if e == Pressed(Intent.CONFIRM_LAST_TRY):
        return start_pin(replace(s, last_try_confirmed=True))
    return _alternatives(s, e)


def _pin_entry(s: FlowState, e: Event) -> Step:
    if isinstance(e, PinEntered):
        if not _PIN.fullmatch(e.pin):
            return replace(s, error="pin_format"), []
        s, tok = new_token(s)
        s, effects = enter(s, Phase.PIN_VERIFYING, job=tok, last_try_confirmed=False, error=None)
        return s, [*effects, VerifyPin(tok, e.pin)]
    return _alternatives(s, e) if e != Pressed(Intent.USE_PIN) else (s, [])


def _pin_verifying(s: FlowState, e: Event) -> Step:
    match e:
        case PinVerified():
            return start_consents(replace(s, job=None), "pin")
        case PinRejected(tries_left=tries):
            phase = Phase.PIN_LOCKED if tries <= 0 else Phase.PIN_WRONG
            return enter(s, phase, job=None, pin_tries=max(tries, 0), error="pin_wrong")
        case JobFailed(code="pin_blocked"):
            return enter(s, Phase.PIN_LOCKED, job=None, pin_tries=0, error="pin_blocked")
        case JobFailed(code=code):
            return end_session(replace(s, job=None), Phase.TAKE_CARD, error=code)
    return s, []


def _pin_wrong(s: FlowState, e: Event) -> Step:
    return start_pin(s) if e == Pressed(Intent.RETRY) else _alternatives(s, e)


def _staff_call(s: FlowState, e: Event) -> Step:
    if e == Pressed(Intent.STAFF_GESTURE) and s.settings.config.staff.pin_hash:
        return _open_staff_pin(s, for_visual=True)
    return s, []


def _open_staff_pin(s: FlowState, for_visual: bool) -> Step:
    count = s.pin_entry_count + 1  # a fresh, reshuffled keypad
    return enter(s, Phase.STAFF_PIN, staff_for_visual=for_visual, staff_message=None, pin_entry_count=count)


def _staff_pin(s: FlowState, e: Event) -> Step:
    match e:
        case StaffPinEntered(pin=pin) if s.job is None:
            s, tok = new_token(s)
            return replace(s, job=tok, staff_message=None), [CheckStaffPin(tok, pin)]
        case StaffPinChecked(ok=True):
            s = replace(s, job=None, staff_message=None)
            if s.staff_for_visual:
                return enter(s, Phase.VISUAL_CHECK, staff_for_visual=False)
            return enter(s, Phase.STAFF_PANEL)
        case StaffPinChecked(locked_for_s=locked, tries_left=tries):
            message = "staff_locked" if locked > 0 else "staff_pin_wrong"
            s = replace(s, job=None, staff_message=message, staff_locked_for_s=locked, staff_tries_left=tries)
            return replace(s, pin_entry_count=s.pin_entry_count + 1), []  # a fresh, reshuffled keypad
        case Pressed(intent=Intent.STAFF_EXIT | Intent.CANCEL):
            if s.staff_for_visual:
                return enter(s, Phase.STAFF_CALL, staff_for_visual=False, staff_message=None)
            return _leave_staff(s)
    return s, []


def _visual_check(s: FlowState, e: Event) -> Step:
    if e == Pressed(Intent.VISUAL_CONFIRMED):
        return start_consents(s, "visual")
    if e == Pressed(Intent.VISUAL_REJECTED):
        return end_session(s, Phase.TAKE_CARD, error="visual_rejected")
    return s, []


def _consent(s: FlowState, e: Event) -> Step:
    if isinstance(e, ConsentAnswered):
        return answer_consent(s, e.item_id, e.choice)
    return s, []


def _submitting(s: FlowState, e: Event) -> Step:
    match e:
        case Submitted(queued=queued):
            s, effects = end_session(replace(s, job=None, queued=queued), Phase.DONE)
            return s, [*effects, RecordOutcome(s.method or "")]
        case JobFailed(code=code):
            return end_session(replace(s, job=None), Phase.SUBMIT_FAILED, error=code)
    return s, []


def _staff_panel(s: FlowState, e: Event) -> Step:
    match e:
        case Pressed(intent=Intent.STAFF_ARM_VISUAL):
            s, effects = start_timer(s, VISUAL_TIMER, s.settings.config.timeouts.visual_check_arm_s)
            s, more = _leave_staff(replace(s, visual_armed=True))
            return s, effects + more
        case Pressed(intent=Intent.STAFF_DISARM_VISUAL):
            s = replace(s, visual_armed=False, timers=tuple(t for t in s.timers if t[0] != VISUAL_TIMER))
            return s, []
        case Pressed(intent=Intent.STAFF_SELF_TEST):
            return start_self_test(s)
        case Pressed(intent=Intent.STAFF_EXIT):
            return _leave_staff(s)
    return s, []


def _staff_self_test(s: FlowState, e: Event) -> Step:
    match e:
        case SelfTestDone(report=report):
            return replace(s, job=None, self_test=report), []
        case JobFailed():
            return replace(s, job=None), []
        case Pressed(intent=Intent.STAFF_EXIT | Intent.NEXT):
            s, effects = cancel_job(s)
            s, more = enter(s, Phase.STAFF_PANEL, self_test=None)
            return s, effects + more
    return s, []


def _ignore(s: FlowState, e: Event) -> Step:
    return s, []


_HANDLERS = {
    Phase.ATTRACT: _attract,
    Phase.READING: _reading,
    Phase.NOT_REGISTERED: _not_registered,
    Phase.RENEWAL_NOTICE: _notice,
    Phase.GRACE_NOTICE: _notice,
    Phase.METHOD: _alternatives,
    Phase.FACE_SCAN: _face_scan,
    Phase.FACE_PHOTO: _face_photo,
    Phase.FACE_CAPTURE: _face_capture,
    Phase.FACE_RETRY: _face_retry,
    Phase.FACE_FAILED: _face_failed,
    Phase.PIN_LAST_WARNING: _pin_last_warning,
    Phase.PIN_ENTRY: _pin_entry,
    Phase.PIN_VERIFYING: _pin_verifying,
    Phase.PIN_WRONG: _pin_wrong,
    Phase.PIN_LOCKED: _alternatives,
    Phase.STAFF_CALL: _staff_call,
    Phase.STAFF_PIN: _staff_pin,
    Phase.VISUAL_CHECK: _visual_check,
    Phase.CONSENT: _consent,
    Phase.SUBMITTING: _submitting,
    Phase.STAFF_PANEL: _staff_panel,
    Phase.STAFF_SELF_TEST: _staff_self_test,
    **{p: _ignore for p in CARD_OUT_PHASES},
}
assert set(_HANDLERS) == set(Phase), "every phase needs a handler"  # exhaustive by construction

__all__ = ["initial_state", "step"]
