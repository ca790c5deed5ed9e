"""Pure mapping FlowState → ScreenModel: what each screen says and which buttons it offers.

Texts are English source strings marked for Qt Linguist (`QT_TRANSLATE_NOOP("kiosk", …)`); the ui translates
them with the kiosk's .qm files (ja, en, zh, ko) and shows the patient's language first with a second
language beside it. Consent texts are not translated here: they are the facility's versioned texts.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.flow_steps import PHASE_TIMER, face_usable, phase_timeout, pin_usable, timer_token
from kiosk.flow_types import CARD_OUT_PHASES, FlowState, Intent, Phase
from kiosk.ports import FaceBox
from kiosk.screen_texts import (
    BUTTON_LABELS,
    CHOICE_LABELS,
    ERROR_TEXTS,
    FACE_HINTS,
    NOTICES,
    PHASE_TEXTS,
    QT_TRANSLATE_NOOP,
)


@dataclass(frozen=True)
class Text:
    key: str  # English source text; `{name}` placeholders are filled from params after translation
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Button:
    intent: str  # an Intent value, or "consent:<choice>" on consent screens
    label: str
    role: str = "normal"  # primary | normal | quiet | danger


@dataclass(frozen=True)
class ConsentView:
    item_id: str
    version: str
    lang_shown: str
    title: str
    text: str
    title_en: str
    text_en: str


@dataclass(frozen=True)
class ScreenModel:
    screen: str
    lang: str
    title: Text
    body: tuple[Text, ...] = ()
    buttons: tuple[Button, ...] = ()
    busy: bool = False  # a wait: the ui shows an animated progress indicator
    step: tuple[int, int] | None = None  # (k, n) for multi-stage waits
    countdown_s: float | None = None
    countdown_token: int | None = None  # a new token restarts the countdown animation
    tries_left: int | None = None
    keypad: bool = False
    keypad_nonce: int = 0  # a new nonce means a fresh, reshuffled keypad
    camera: bool = False
    face_hint: Text | None = None
    face_box: FaceBox | None = None
    face_progress: float = 0.0
    alarm: bool = False
    notice: Text | None = None
    banner: Text | None = None
    consent: ConsentView | None = None
    self_test: tuple[tuple[str, bool, str], ...] = ()
    counts: tuple[tuple[str, int], ...] = ()
    last_errors: tuple[str, ...] = ()  # error codes only
    staff: bool = False  # staff-facing screen: no language bar, no voice toggle
    patient_controls: bool = True  # language bar, mute, high contrast
    high_contrast: bool = False
    muted: bool = False

    @property
    def secondary_lang(self) -> str:
        """Japanese first, English beside it: the second language is English, or Japanese for English users."""
        return "ja" if self.lang == "en" else "en"


_STAFF_PHASES = {Phase.STAFF_PIN, Phase.STAFF_PANEL, Phase.STAFF_SELF_TEST, Phase.VISUAL_CHECK}
_BUSY = {Phase.READING, Phase.FACE_SCAN, Phase.FACE_PHOTO, Phase.PIN_VERIFYING, Phase.SUBMITTING}


def screen_model(s: FlowState) -> ScreenModel:
    title, *body = PHASE_TEXTS[s.phase]
    if s.phase is Phase.DONE and (s.queued or s.backend_down):
        # Stored, but the verifier has not confirmed eligibility: never say "complete" (受付完了).
        title, body = NOTICES["recorded"], []
    if s.phase is Phase.READ_FAILED and s.error == "out_of_service":
        title = NOTICES["out_of_service"]  # the card was fine: the kiosk cannot save a reception now
    texts = [Text(b) for b in body]
    if s.error and s.phase not in {Phase.PIN_WRONG, Phase.PIN_ENTRY}:
        texts.insert(0, Text(ERROR_TEXTS.get(s.error, ERROR_TEXTS["kiosk_error"])))
    timeout = phase_timeout(s.phase, s.settings.config.timeouts)
    model = ScreenModel(
        screen=s.phase.value,
        lang=s.lang,
        title=Text(title),
        body=tuple(texts) + _extra_body(s),
        buttons=_buttons(s),
        busy=s.phase in _BUSY or (s.phase is Phase.STAFF_PIN and s.job is not None),
        step=_step(s),
        countdown_s=timeout if s.phase not in _BUSY else None,
        countdown_token=timer_token(s, PHASE_TIMER),
        tries_left=s.pin_tries if s.phase in {Phase.PIN_ENTRY, Phase.PIN_WRONG, Phase.PIN_LAST_WARNING} else None,
        keypad=s.phase in {Phase.PIN_ENTRY, Phase.STAFF_PIN},
        keypad_nonce=s.pin_entry_count,
        camera=s.phase is Phase.FACE_CAPTURE,
        face_hint=Text(FACE_HINTS.get(s.face_hint, FACE_HINTS["ok"]))
        if s.phase in {Phase.FACE_CAPTURE, Phase.FACE_RETRY}
        else None,
        face_box=s.face_box if s.phase is Phase.FACE_CAPTURE else None,
        face_progress=s.face_progress,
        alarm=s.alarm and s.phase in CARD_OUT_PHASES,
        notice=Text(NOTICES[s.notice]) if s.notice and s.phase is Phase.ATTRACT else None,
        banner=Text(NOTICES["visual_armed"]) if s.visual_armed and s.phase is Phase.ATTRACT else None,
        consent=_consent_view(s),
        self_test=tuple((i.name, i.ok, i.detail) for i in s.self_test.items) if s.self_test else (),
        counts=s.self_test.counts if s.self_test else (),
        last_errors=s.self_test.last_errors if s.self_test else (),
        staff=s.phase in _STAFF_PHASES,
        patient_controls=s.phase not in _STAFF_PHASES,
        high_contrast=s.high_contrast,
        muted=s.muted,
    )
    return model


def _step(s: FlowState) -> tuple[int, int] | None:
    if s.phase is Phase.READING:
        return (1, 2) if s.summary is None else (2, 2)
    if s.phase in {Phase.FACE_SCAN, Phase.FACE_PHOTO, Phase.FACE_CAPTURE}:
        return {Phase.FACE_SCAN: 1, Phase.FACE_PHOTO: 2, Phase.FACE_CAPTURE: 3}[s.phase], 3
    return None


def _extra_body(s: FlowState) -> tuple[Text, ...]:
    if s.phase in {Phase.PIN_ENTRY, Phase.PIN_WRONG} and s.pin_tries is not None:
        extra = [Text(QT_TRANSLATE_NOOP("kiosk", "Tries left: {n}"), (("n", str(s.pin_tries)),))]
        if s.phase is Phase.PIN_ENTRY and s.error == "pin_format":
            extra.append(Text(ERROR_TEXTS["pin_format"]))
        return tuple(extra)
    if s.phase is Phase.RENEWAL_NOTICE and s.summary is not None:
        expiry = s.summary.auth_certificate.not_after.date().isoformat()
        return (Text(QT_TRANSLATE_NOOP("kiosk", "Expiry date: {date}"), (("date", expiry),)),)
    if s.phase is Phase.DONE and (s.queued or s.backend_down):
        return (Text(NOTICES["queued"]),)
    if s.phase is Phase.STAFF_PIN and s.staff_message:
        text = NOTICES[s.staff_message]
        params = (("n", str(s.staff_locked_for_s if s.staff_locked_for_s else s.staff_tries_left or 0)),)
        return (Text(text, params),)
    if s.phase is Phase.STAFF_PANEL:
        key = "visual_armed" if s.visual_armed else "visual_off"
        return (Text(NOTICES[key]),)
    if s.phase is Phase.STAFF_SELF_TEST and s.self_test is None:
        return (Text(QT_TRANSLATE_NOOP("kiosk", "Running the self-test…")),)
    return ()


def _button(intent: Intent, role: str = "normal") -> Button:
    return Button(intent.value, BUTTON_LABELS[intent], role)


def _alternatives(s: FlowState, face: bool = True, pin: bool = True) -> list[Button]:
    buttons = []
    if face and face_usable(s):
        buttons.append(_button(Intent.USE_FACE))
    if pin and pin_usable(s):
        buttons.append(_button(Intent.USE_PIN))
    buttons.append(_button(Intent.CALL_STAFF, "quiet"))
    return buttons


def _buttons(s: FlowState) -> tuple[Button, ...]:
    cancel = _button(Intent.CANCEL, "quiet")
    b: list[Button]
    match s.phase:
        case Phase.ATTRACT | Phase.READING | Phase.FACE_SCAN | Phase.FACE_PHOTO | Phase.PIN_VERIFYING:
            b = []
        case Phase.SUBMITTING:
            b = []
        case Phase.NOT_REGISTERED:
            b = [_button(Intent.REGISTER, "primary"), cancel]
        case Phase.RENEWAL_NOTICE | Phase.GRACE_NOTICE:
            b = [_button(Intent.NEXT, "primary"), cancel]
        case Phase.METHOD:
            b = [*_alternatives(s), cancel]
            b[0] = Button(b[0].intent, b[0].label, "primary")
        case Phase.FACE_CAPTURE:
            b = [cancel]
        case Phase.FACE_RETRY:
            b = [_button(Intent.RETRY, "primary"), *_alternatives(s, face=False), cancel]
        case Phase.FACE_FAILED:
            retry = [_button(Intent.RETRY, "primary")] if s.error == "card_face_unreadable" else []
            b = [*retry, *_alternatives(s, face=False), cancel]
        case Phase.PIN_LAST_WARNING:
            b = [_button(Intent.CONFIRM_LAST_TRY, "danger"), *_alternatives(s, pin=False), cancel]
        case Phase.PIN_ENTRY:
            b = [*_alternatives(s, pin=False), cancel]
        case Phase.PIN_WRONG:
            b = [_button(Intent.RETRY, "primary"), *_alternatives(s, pin=False), cancel]
        case Phase.PIN_LOCKED:
            b = [*_alternatives(s, pin=False), cancel]
        case Phase.STAFF_CALL:
            b = [_button(Intent.STAFF_GESTURE, "quiet"), cancel]
        case Phase.VISUAL_CHECK:
            b = [_button(Intent.VISUAL_CONFIRMED, "primary"), _button(Intent.VISUAL_REJECTED, "danger")]
        case Phase.CONSENT if s.consent_queue:
            item = s.settings.consents.get(s.consent_queue[0])
            b = [
                Button(f"consent:{c}", CHOICE_LABELS[(item.kind, c)], "primary" if i == 0 else "normal")
                for i, c in enumerate(item.choices)
            ]
            b.append(cancel)
        case Phase.STAFF_PIN:
            b = [_button(Intent.STAFF_EXIT, "quiet")]
        case Phase.STAFF_PANEL:
            arm = Intent.STAFF_DISARM_VISUAL if s.visual_armed else Intent.STAFF_ARM_VISUAL
            b = [_button(arm, "primary"), _button(Intent.STAFF_SELF_TEST), _button(Intent.STAFF_EXIT, "quiet")]
        case Phase.STAFF_SELF_TEST:
            b = [_button(Intent.NEXT, "primary")]
        case _:
            b = []  # card-out phases: nothing to press, the card has to be taken
    return tuple(b)


def _consent_view(s: FlowState) -> ConsentView | None:
    if s.phase is not Phase.CONSENT or not s.consent_queue:
        return None
    item = s.settings.consents.get(s.consent_queue[0])
    shown = item.lang_shown(s.lang)
    return ConsentView(
        item_id=item.item_id,
        version=item.version,
        lang_shown=shown,
        title=item.title(shown),
        text=item.text(shown),
        title_en=item.title("en"),
        text_en=item.text("en"),
    )
