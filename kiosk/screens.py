"""Pure mapping FlowState → ScreenModel: what each screen says and which buttons it offers.

Everything the window shows comes from here: texts are keys of the one text table (kiosk.screen_texts,
English source; the ui shows them in the patient's language first with a second language beside it), and
the buttons are the flow's own offers (`kiosk.flow.offers`), so the screen never offers what the flow would
not handle. Consent texts are not translated here: they are the facility's versioned texts.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.errors import ErrorCode
from kiosk.flow import BUSY_PHASES, PIN_LENGTH, STAFF_PHASES, offers
from kiosk.flow_steps import PHASE_TIMER, Offer, Press, Role, phase_timeout, timer_token
from kiosk.flow_types import CARD_OUT_PHASES, ConsentAnswered, FlowState, Intent, Phase, Pressed
from kiosk.ports import FaceBox
from kiosk.screen_texts import (
    BUTTON_LABELS,
    CARD_LEFT,
    CHOICE_LABELS,
    ERROR_TEXTS,
    EXPIRY_DATE,
    FACE_HINTS,
    NOTICE_TEXTS,
    OUT_OF_SERVICE,
    PHASE_TEXTS,
    PHONE_ASK_STAFF,
    PHONE_DONE,
    PHONE_LEFT,
    PHONE_NOT_DONE,
    PHONE_RECORDED,
    PHONE_UNREADABLE,
    RECORDED,
    SELF_TEST_RUNNING,
    SOUND_OFF,
    SOUND_ON,
    STAFF_LABELS,
    STAFF_WILL_CONFIRM,
    TRIES_LEFT,
    VISUAL_ARMED,
    VISUAL_OFF,
)
from kiosk.staff import STAFF_PIN_LENGTHS


@dataclass(frozen=True)
class Text:
    key: str  # English source text; `{name}` placeholders are filled from params after translation
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Button:
    press: Press  # what the view sends when it is pressed: Pressed(intent) or a consent screen's answer
    label: str  # a text-table key
    role: Role = Role.NORMAL

    @property
    def code(self) -> str:
        """A stable name for transcripts and widget properties ("use_pin", "consent:decline")."""
        if isinstance(self.press, Pressed):
            return self.press.intent.value
        return f"consent:{self.press.choice}"


@dataclass(frozen=True)
class StaffRow:
    """One line of the staff screens: a label, a value, and a tick or a cross where it is a check."""

    label: Text
    value: str = ""  # technical detail, shown as it is
    ok: bool | None = None
    counts: tuple[tuple[Text, int], ...] = ()  # (method, receptions today)


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
    pin_lengths: tuple[int, int] = (PIN_LENGTH, PIN_LENGTH)  # shortest and longest entry the keypad takes
    camera: bool = False
    face_hint: Text | None = None
    face_box: FaceBox | None = None
    face_progress: float = 0.0
    alarm: bool = False
    alarm_text: Text = Text(CARD_LEFT)
    phone_picture: bool = False  # the guidance picture of where to hold the phone (the smartphone reader)
    notice: Text | None = None
    banner: Text | None = None
    consent: ConsentView | None = None
    self_test: tuple[tuple[str, bool, str], ...] = ()
    counts: tuple[tuple[str, int], ...] = ()
    last_errors: tuple[str, ...] = ()  # error codes only
    staff_rows: tuple[StaffRow, ...] = ()  # the self-test, the day's counts and the last errors, labelled
    staff: bool = False  # staff-facing screen: no language bar, no voice toggle
    patient_controls: bool = True  # language bar, mute, high contrast
    high_contrast: bool = False
    muted: bool = False
    sound_label: Text = Text(SOUND_ON)
    contrast_label: Text = Text(BUTTON_LABELS[Intent.TOGGLE_CONTRAST])

    @property
    def secondary_lang(self) -> str:
        """Japanese first, English beside it: the second language is English, or Japanese for English users."""
        return "ja" if self.lang == "en" else "en"


def screen_model(s: FlowState) -> ScreenModel:
    title, *body = PHASE_TEXTS[s.phase]
    if s.phase is Phase.DONE and (s.queued or s.backend_down):
        # Stored, but the verifier has not confirmed eligibility: never say "complete" (受付完了).
        title, body = RECORDED, []
    if s.phone_session and s.phase is Phase.DONE:
        title = PHONE_RECORDED if (s.queued or s.backend_down) else PHONE_DONE
    if s.phone_session and s.phase is Phase.TAKE_CARD:
        title, body = PHONE_NOT_DONE, []
    if s.phone_session and s.phase in {Phase.READ_FAILED, Phase.UNSUPPORTED, Phase.SUBMIT_FAILED}:
        title = PHONE_NOT_DONE if s.phase is Phase.SUBMIT_FAILED else PHONE_UNREADABLE
        body = [PHONE_ASK_STAFF]  # the card texts say "take your card": not for a phone already taken back
    if s.phase is Phase.READ_FAILED and s.error is ErrorCode.OUT_OF_SERVICE:
        title = OUT_OF_SERVICE  # the card was fine: the kiosk cannot save a reception now
    texts = [Text(b) for b in body]
    if s.error and s.phase not in {Phase.PIN_WRONG, Phase.PIN_ENTRY, Phase.PHONE_PIN_WRONG, Phase.PHONE_PIN}:
        texts.insert(0, Text(ERROR_TEXTS[s.error]))
    timeout = phase_timeout(s.phase, s.settings.config.timeouts)
    model = ScreenModel(
        screen=s.phase.value,
        lang=s.lang,
        title=Text(title),
        body=tuple(texts) + _extra_body(s),
        buttons=_buttons(s),
        busy=s.phase in BUSY_PHASES or (s.phase is Phase.STAFF_PIN and s.job is not None),
        step=_step(s),
        countdown_s=timeout if s.phase not in BUSY_PHASES else None,
        countdown_token=timer_token(s, PHASE_TIMER),
        tries_left=s.pin_tries if s.phase in _TRIES_SHOWN else None,
        keypad=s.phase in {Phase.PIN_ENTRY, Phase.STAFF_PIN, Phase.PHONE_PIN},
        keypad_nonce=s.pin_entry_count,
        pin_lengths=STAFF_PIN_LENGTHS if s.phase is Phase.STAFF_PIN else (PIN_LENGTH, PIN_LENGTH),
        camera=s.phase is Phase.FACE_CAPTURE,
        face_hint=Text(FACE_HINTS[s.face_hint])
        if s.phase in {Phase.FACE_CAPTURE, Phase.FACE_RETRY}
        else None,
        face_box=s.face_box if s.phase is Phase.FACE_CAPTURE else None,
        face_progress=s.face_progress,
        alarm=s.alarm and s.phase in CARD_OUT_PHASES,
        alarm_text=Text(PHONE_LEFT if s.phone_session else CARD_LEFT),
        phone_picture=s.phase in {Phase.PHONE_HOLD, Phase.PHONE_READING, Phase.PHONE_PIN},
        notice=Text(NOTICE_TEXTS[s.notice]) if s.notice and s.phase is Phase.ATTRACT else None,
        banner=Text(VISUAL_ARMED) if s.visual_armed and s.phase is Phase.ATTRACT else None,
        consent=_consent_view(s),
        self_test=tuple((i.name, i.ok, i.detail) for i in s.self_test.items) if s.self_test else (),
        counts=s.self_test.counts if s.self_test else (),
        last_errors=s.self_test.last_errors if s.self_test else (),
        staff_rows=_staff_rows(s),
        staff=s.phase in STAFF_PHASES,
        patient_controls=s.phase not in STAFF_PHASES,
        high_contrast=s.high_contrast,
        muted=s.muted,
        sound_label=Text(SOUND_OFF if s.muted else SOUND_ON),
    )
    return model


_TRIES_SHOWN = frozenset({Phase.PIN_ENTRY, Phase.PIN_WRONG, Phase.PIN_LAST_WARNING, Phase.PHONE_PIN,
                          Phase.PHONE_PIN_WRONG, Phase.PHONE_LAST_WARNING})


def _step(s: FlowState) -> tuple[int, int] | None:
    if s.phase is Phase.READING:
        return (1, 2) if s.summary is None else (2, 2)
    if s.phase in {Phase.FACE_SCAN, Phase.FACE_PHOTO, Phase.FACE_CAPTURE}:
        return {Phase.FACE_SCAN: 1, Phase.FACE_PHOTO: 2, Phase.FACE_CAPTURE: 3}[s.phase], 3
    return None


def _extra_body(s: FlowState) -> tuple[Text, ...]:
    if s.phase is Phase.PHONE_PIN and s.error is ErrorCode.PIN_FORMAT:
        return (Text(ERROR_TEXTS[ErrorCode.PIN_FORMAT]),)  # the phone's counter is read once it is held
    if s.phase in {Phase.PIN_ENTRY, Phase.PIN_WRONG, Phase.PHONE_PIN_WRONG} and s.pin_tries is not None:
        extra = [Text(TRIES_LEFT, (("n", str(s.pin_tries)),))]
        if s.phase is Phase.PIN_ENTRY and s.error is ErrorCode.PIN_FORMAT:
            extra.append(Text(ERROR_TEXTS[ErrorCode.PIN_FORMAT]))
        return tuple(extra)
    if s.phase is Phase.RENEWAL_NOTICE and s.summary is not None:
        expiry = s.summary.auth_certificate.not_after.date().isoformat()
        return (Text(EXPIRY_DATE, (("date", expiry),)),)
    if s.phase is Phase.DONE and (s.queued or s.backend_down):
        return (Text(STAFF_WILL_CONFIRM),)
    if s.phase is Phase.STAFF_PIN and s.staff_message:
        text = NOTICE_TEXTS[s.staff_message]
        params = (("n", str(s.staff_locked_for_s if s.staff_locked_for_s else s.staff_tries_left or 0)),)
        return (Text(text, params),)
    if s.phase is Phase.STAFF_PANEL:
        return (Text(VISUAL_ARMED if s.visual_armed else VISUAL_OFF),)
    if s.phase is Phase.STAFF_SELF_TEST and s.self_test is None:
        return (Text(SELF_TEST_RUNNING),)
    return ()


def _staff_label(key: str) -> Text:
    return Text(STAFF_LABELS.get(key, key))


def _staff_rows(s: FlowState) -> tuple[StaffRow, ...]:
    report = s.self_test
    if report is None:
        return ()
    rows = [StaffRow(_staff_label(i.name), i.detail, i.ok) for i in report.items]
    if report.counts:
        counts = tuple((_staff_label(method), n) for method, n in report.counts)
        rows.append(StaffRow(_staff_label("counts"), counts=counts))
    rows.append(StaffRow(_staff_label("last_errors"), ", ".join(report.last_errors) or "—"))
    return tuple(rows)


def _buttons(s: FlowState) -> tuple[Button, ...]:
    return tuple(_button(s, o) for o in offers(s))


def _button(s: FlowState, offer: Offer) -> Button:
    press = offer.press
    if isinstance(press, ConsentAnswered):
        kind = s.settings.consents.get(press.item_id).kind
        return Button(press, CHOICE_LABELS[(kind, press.choice)], offer.role)
    return Button(press, BUTTON_LABELS[press.intent], offer.role)


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
