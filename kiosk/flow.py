"""The reception flow as a pure step function: `step(state, event) -> (state, effects)`.

No I/O, no threads, no clock: timers and jobs are effects, their completions come back as events with the
token the flow issued, and anything carrying a token the flow no longer expects is dropped. See
`kiosk.flow_types` (the state and its phases), `kiosk.flow_events` and `kiosk.flow_effects` for the vocabulary
and `kiosk.flow_steps` for the transitions it is built from.

One table, `kiosk.flow_phases.PHASES`, says for every phase which buttons it offers (and what each does) and
how it answers job results; `offers` adds the Stop button where a patient may stop. `kiosk.screens` draws
the same offers, so a button on screen is always handled and a press that is not on screen changes nothing.
"""

from __future__ import annotations

from dataclasses import replace

from kiosk.config import LANGUAGES
from kiosk.errors import ErrorCode
from kiosk.face import Guidance, Verdict
from kiosk.flow_effects import Alarm, Effect, PlayVoice, Show, StopVoice
from kiosk.flow_events import (
    CardFrontScanned,
    CardInserted,
    CardTaken,
    ChallengeFetched,
    ChipPhotoRead,
    ChoiceKey,
    ConsentAnswered,
    Event,
    FaceDecided,
    FaceProgressed,
    JobFailed,
    LanguageChosen,
    PhoneIdentified,
    PhonePlaced,
    PhoneProved,
    PhoneTaken,
    PinRejected,
    PinVerified,
    Pressed,
    SelfTestDone,
    StaffCallAnswered,
    StaffPinChecked,
    Submitted,
    SummaryRead,
    TimerExpired,
    UserActivity,
)
from kiosk.flow_phases import PHASES, PIN_LENGTH, back_to_visual_check, face_not_accepted, leave_staff
from kiosk.flow_phone import phone_placed, phone_taken
from kiosk.flow_steps import (
    CARD_LEFT_TIMER,
    JOB_PHASES,
    PHASE_TIMER,
    VISUAL_TIMER,
    Offer,
    Role,
    Transition,
    cancel_job,
    end_session,
    enter,
    start_reading,
    start_timer,
    timer_token,
    to_idle,
)
from kiosk.flow_types import CARD_OUT_PHASES, SESSION_PHASES, FlowState, Intent, Notice, Phase, Settings, StaffCallState

_TOKENED = (
    SummaryRead, ChallengeFetched, CardFrontScanned, ChipPhotoRead, FaceProgressed, FaceDecided, PinVerified,
    PinRejected, Submitted, StaffPinChecked, SelfTestDone, JobFailed, PhoneIdentified, PhoneProved,
)  # fmt: skip

_CANCELLABLE = SESSION_PHASES - CARD_OUT_PHASES - {Phase.STAFF_PIN}
# Waits with nothing to press (a progress indicator), and the staff's own screens: no Stop button drawn.
# Stop still works while the kiosk waits (the runtime drops the job's late result).
BUSY_PHASES = frozenset({Phase.READING, Phase.FACE_SCAN, Phase.FACE_PHOTO, Phase.PIN_VERIFYING, Phase.SUBMITTING,
                         Phase.PHONE_READING})
STAFF_PHASES = frozenset({Phase.STAFF_PIN, Phase.STAFF_PANEL, Phase.STAFF_SELF_TEST, Phase.VISUAL_CHECK})
_STOP_DRAWN = _CANCELLABLE - BUSY_PHASES - STAFF_PHASES
_STOP_UNDRAWN = _CANCELLABLE & BUSY_PHASES
# Digits there are the PIN's, or staff-only answers: never taken as a voice-led choice.
_NO_CHOICE_KEYS = STAFF_PHASES | {Phase.PIN_ENTRY}
# Screens that wait for the patient: their timeout first asks 「まだ続けますか？」 (続ける / やめる) with a countdown.
WARNED_PHASES = SESSION_PHASES - CARD_OUT_PHASES - JOB_PHASES - STAFF_PHASES


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
    moved = new.phase is not state.phase or new.lang != state.lang or _item(new) != _item(state)
    moved = moved or new.still_there != state.still_there
    if moved and not new.muted:
        effects.append(PlayVoice(_voice_clip(new), new.lang))
    return new, effects


def _voice_clip(s: FlowState) -> str:
    # Stored but not confirmed by the verifier: the "done" clip says 受付完了, so it gets its own clip.
    if s.phase is Phase.DONE and (s.queued or s.backend_down):
        return "done_recorded"
    if s.still_there:
        return "still_there"
    item = _item(s)
    if item is not None:
        return f"consent_{item}"  # title, question and choices of this consent screen (build_voices.py)
    return s.phase.value


def _item(s: FlowState) -> str | None:
    """The consent screen on show, if any: each one has its own clip."""
    return s.consent_queue[0] if s.phase is Phase.CONSENT and s.consent_queue else None


def offers(s: FlowState) -> tuple[Offer, ...]:
    """The buttons of the current screen, in order, each with what it does: the screens draw exactly these."""
    if s.still_there:
        return (Offer(Pressed(Intent.CONTINUE), Role.PRIMARY, _go_on), Offer(Pressed(Intent.CANCEL), Role.QUIET, _stop))
    made = list(PHASES[s.phase].offers(s))
    if s.phase in _STOP_DRAWN:
        made.append(Offer(Pressed(Intent.CANCEL), Role.QUIET, _stop))
    return tuple(made)


def _dispatch(s: FlowState, e: Event) -> Transition:
    match e:
        case CardInserted():
            s = replace(s, card_present=True)
            return start_reading(s) if s.phase is Phase.ATTRACT else (s, [])
        case CardTaken():
            return _card_taken(replace(s, card_present=False))
        case PhonePlaced():
            return phone_placed(replace(s, phone_present=True))
        case PhoneTaken():
            return phone_taken(replace(s, phone_present=False))
        case LanguageChosen(lang=lang):
            return (replace(s, lang=lang), []) if lang in LANGUAGES else (s, [])
        case Pressed(intent=Intent.TOGGLE_MUTE):
            return replace(s, muted=not s.muted), [] if s.muted else [StopVoice()]
        case Pressed(intent=Intent.VOICE_GUIDE):
            # On, and this screen read again (every later screen is read anyway, sound on): any time, any screen.
            s = replace(s, voice_led=True, muted=False)
            return s, [StopVoice(), PlayVoice(_voice_clip(s), s.lang)]
        case ChoiceKey(number=n):
            choices = offers(s) if s.voice_led and s.phase not in _NO_CHOICE_KEYS else ()
            return choices[n - 1].act(s) if 1 <= n <= len(choices) else (s, [])
        case Pressed(intent=Intent.TOGGLE_CONTRAST):
            return replace(s, high_contrast=not s.high_contrast), []
        case UserActivity():
            return _activity(s)
        case TimerExpired(name=name):
            return _timer(s, name)
        case StaffCallAnswered(token=token, delivered=delivered):
            if token != s.staff_call_token:
                return s, []  # a call from a session that has ended
            answer = StaffCallState.DELIVERED if delivered else StaffCallState.FAILED
            return replace(s, staff_call=answer, staff_call_token=None), []
        case Pressed(intent=Intent.CANCEL) if s.phase in _STOP_UNDRAWN:
            return _stop(s)  # no Stop is drawn on a wait, but one still ends it (its late result is dropped)
        case Pressed() | ConsentAnswered():
            offer = next((o for o in offers(s) if o.press == e), None)
            return offer.act(s) if offer is not None else (s, [])
    return PHASES[s.phase].on_event(s, e)


def _go_on(s: FlowState) -> Transition:
    return enter(s, s.phase)  # the same screen as it was, with a fresh timeout


def _stop(s: FlowState) -> Transition:
    return end_session(s, Phase.TAKE_CARD, error=ErrorCode.CANCELLED)


def _card_taken(s: FlowState) -> Transition:
    if s.phone_session:
        return s, []  # a phone's reception: the card reader has no part in it
    if s.phase in {Phase.ATTRACT, Phase.STAFF_PANEL, Phase.STAFF_SELF_TEST}:
        return s, []
    if s.phase is Phase.STAFF_PIN and not s.staff_for_visual:
        return s, []
    if s.phase is Phase.DONE:
        return to_idle(s, Notice.THANKS)
    return to_idle(s, None if s.phase in CARD_OUT_PHASES else Notice.CARD_REMOVED)


def _activity(s: FlowState) -> Transition:
    if s.phase in JOB_PHASES or timer_token(s, PHASE_TIMER) is None or s.phase is Phase.ATTRACT:
        return s, []
    if s.still_there:
        return s, []  # the warning wants an answer (続ける / やめる), not any touch
    return enter(s, s.phase)  # same phase, fresh timeout


def _timer(s: FlowState, name: str) -> Transition:
    s = replace(s, timers=tuple((n, t) for n, t in s.timers if n != name))
    if name == CARD_LEFT_TIMER:
        return replace(s, alarm=True), [Alarm(True)]
    if name == VISUAL_TIMER:
        return replace(s, visual_armed=False), []
    if s.phone_session and s.phase in CARD_OUT_PHASES:
        return to_idle(s, Notice.THANKS if s.phase is Phase.DONE else None)  # nothing left on a reader
    if name == PHASE_TIMER and s.phase in WARNED_PHASES and not s.still_there:
        s, effects = start_timer(replace(s, still_there=True), PHASE_TIMER, s.settings.config.timeouts.still_there_s)
        return s, effects
    match s.phase:
        case Phase.ATTRACT:
            return replace(s, notice=None), []
        case Phase.PHONE_READING:
            return end_session(s, Phase.READ_FAILED, error=ErrorCode.TIMEOUT)
        case Phase.READING:
            return end_session(s, Phase.READ_FAILED, error=ErrorCode.TIMEOUT)
        case Phase.FACE_SCAN | Phase.FACE_PHOTO:
            s, effects = cancel_job(s)
            s, more = enter(s, Phase.FACE_FAILED, error=ErrorCode.TIMEOUT, face_exhausted=True)
            return s, effects + more
        case Phase.FACE_CAPTURE:
            s, effects = cancel_job(s)
            s, more = face_not_accepted(s, Verdict.RETRY, Guidance.OK)
            return s, effects + more
        case Phase.SUBMITTING:
            return end_session(s, Phase.SUBMIT_FAILED, error=ErrorCode.BACKEND_TIMEOUT)
        case Phase.STAFF_PIN if s.staff_for_visual:
            return back_to_visual_check(s)
        case Phase.STAFF_PIN | Phase.STAFF_PANEL | Phase.STAFF_SELF_TEST:
            s, effects = cancel_job(s)
            s, more = leave_staff(s)
            return s, effects + more
    return end_session(s, Phase.TAKE_CARD, error=ErrorCode.TIMED_OUT)


__all__ = ["BUSY_PHASES", "PIN_LENGTH", "STAFF_PHASES", "initial_state", "offers", "step"]
