"""Pure mapping FlowState → ScreenModel: what each screen says and which buttons it offers.

Everything the window shows comes from here: texts are keys of the one text table (kiosk.screen_texts,
English source; the ui shows them in the patient's language first with a second language beside it), and
the buttons are the flow's own offers (`kiosk.flow.offers`), so the screen never offers what the flow would
not handle. Consent texts are not translated here: they are the facility's versioned texts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kiosk.errors import ErrorCode
from kiosk.flow import BUSY_PHASES, PIN_LENGTH, STAFF_PHASES, offers
from kiosk.flow_events import ConsentAnswered, Pressed
from kiosk.flow_steps import PHASE_TIMER, Offer, Press, Role, consent_items, phase_timeout, timer_token
from kiosk.flow_types import CARD_OUT_PHASES, FlowState, Intent, Phase
from kiosk.ports import FaceBox
from kiosk.screen_texts import (
    AGREED,
    BUTTON_LABELS,
    CARD_LEFT,
    CHECK_FAILED,
    CHECK_OK,
    CHIP_PHOTO_SHOWN,
    CHOICE_LABELS,
    CONSENT_STEP,
    DECLINED,
    ERROR_TEXTS,
    EXPIRY_DATE,
    FACE_HINTS,
    INTERNAL_ERROR,
    NAME_NEEDS_PIN,
    NO_ERRORS,
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
    STAFF_CALL_TEXTS,
    STAFF_LABELS,
    STAFF_PIN_TO_CONFIRM,
    STAFF_PIN_TO_REJECT,
    STAFF_WILL_CONFIRM,
    STILL_THERE,
    STILL_THERE_BODY,
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
    status: Text | None = None  # the check's result in words (「正常」 / 「要確認」), beside the tick or cross


@dataclass(frozen=True)
class ConsentView:
    item_id: str
    version: str
    lang_shown: str
    title: str
    text: str
    title_en: str
    text_en: str
    step: Text  # 「2/5問目」: where the patient is among the consent screens (no internal ids on screen)


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
    chip_photo: bool = False  # the visual check shows the photo read from the chip (the ui asks the runtime)
    face_hint: Text | None = None
    face_box: FaceBox | None = None
    face_progress: float = 0.0
    alarm: bool = False
    alarm_text: Text = Text(CARD_LEFT)
    phone_picture: bool = False  # the guidance picture of where to hold the phone (the smartphone reader)
    notice: Text | None = None
    banner: Text | None = None
    call_banner: Text | None = None  # the patient's staff call: being sent, received by staff, or not delivered
    consent: ConsentView | None = None
    self_test: tuple[tuple[str, bool, str], ...] = ()
    counts: tuple[tuple[str, int], ...] = ()
    last_errors: tuple[str, ...] = ()  # error codes only
    staff_rows: tuple[StaffRow, ...] = ()  # the self-test, the day's counts and the last errors, labelled
    staff: bool = False  # staff-facing screen: no language bar, no voice toggle
    patient_controls: bool = True  # language bar, mute, high contrast
    high_contrast: bool = False
    muted: bool = False
    voice_led: bool = False  # buttons carry their numbers (1, 2 …): digit keys choose them
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
    if s.phase is Phase.VISUAL_CHECK and s.face_photo_ready:
        body = [CHIP_PHOTO_SHOWN]  # the chip's photo is on screen, beside the buttons
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
        chip_photo=s.phase is Phase.VISUAL_CHECK and s.face_photo_ready,
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
        call_banner=Text(STAFF_CALL_TEXTS[s.staff_call]) if s.staff_call and s.phase is not Phase.ATTRACT else None,
        consent=_consent_view(s),
        self_test=tuple((i.name, i.ok, i.detail) for i in s.self_test.items) if s.self_test else (),
        counts=s.self_test.counts if s.self_test else (),
        last_errors=s.self_test.last_errors if s.self_test else (),
        staff_rows=_staff_rows(s),
        staff=s.phase in STAFF_PHASES,
        patient_controls=s.phase not in STAFF_PHASES,
        high_contrast=s.high_contrast,
        muted=s.muted,
        voice_led=s.voice_led,
        sound_label=Text(SOUND_OFF if s.muted else SOUND_ON),
    )
    if s.still_there:  # the screen's own content steps aside for the question and its countdown
        model = replace(
            model, screen="still_there", title=Text(STILL_THERE), body=(Text(STILL_THERE_BODY),), keypad=False,
            consent=None, camera=False, chip_photo=False, face_hint=None, tries_left=None,
            countdown_s=s.settings.config.timeouts.still_there_s,
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
    if s.phase is Phase.DONE:
        return ((Text(STAFF_WILL_CONFIRM),) if s.queued or s.backend_down else ()) + _what_was_agreed(s)
    if s.phase is Phase.STAFF_PIN and s.staff_message:
        text = NOTICE_TEXTS[s.staff_message]
        params = (("n", str(s.staff_locked_for_s if s.staff_locked_for_s else s.staff_tries_left or 0)),)
        return (Text(text, params),)
    if s.phase is Phase.VISUAL_CHECK:
        return (Text(NAME_NEEDS_PIN),)  # the visual path has no PIN, and 券面 (照合番号B) holds no name
    if s.phase is Phase.STAFF_PIN and s.staff_pending is not None:
        return (Text(STAFF_PIN_TO_CONFIRM if s.staff_pending is Intent.VISUAL_CONFIRMED else STAFF_PIN_TO_REJECT),)
    if s.phase is Phase.STAFF_PANEL:
        return (Text(VISUAL_ARMED if s.visual_armed else VISUAL_OFF),)
    if s.phase is Phase.STAFF_SELF_TEST and s.self_test is None:
        return (Text(SELF_TEST_RUNNING),)
    return ()


def _what_was_agreed(s: FlowState) -> tuple[Text, ...]:
    """The done screen says what the patient agreed to share (and what not), by the items' own titles."""
    catalogue = s.settings.consents
    covered = consent_items(s)[0] if ("comprehensive", "consent_all") in s.consent_answers else ()
    agreed = [*covered, *(i for i, c in s.consent_answers if c == "consent")]
    declined = [i for i, c in s.consent_answers if c == "decline"]
    sep = ", " if s.lang == "en" else "、"
    lines = []
    for key, items in ((AGREED, agreed), (DECLINED, declined)):
        if items:
            titles = sep.join(catalogue.get(i).title(catalogue.get(i).lang_shown(s.lang)) for i in items)
            lines.append(Text(key, (("items", titles),)))
    return tuple(lines)


def _staff_label(key: str) -> Text:
    return Text(STAFF_LABELS.get(key, key))


def _staff_rows(s: FlowState) -> tuple[StaffRow, ...]:
    report = s.self_test
    if report is None:
        return ()
    rows = [StaffRow(_staff_label(i.name), i.detail, i.ok, status=Text(CHECK_OK if i.ok else CHECK_FAILED))
            for i in report.items]
    if report.counts:
        counts = tuple((_staff_label(method), n) for method, n in report.counts)
        rows.append(StaffRow(_staff_label("counts"), counts=counts))
    # The day's errors in words, each once with how often (the code stays beside it for the log and support).
    seen: dict[str, int] = {}
    for code in report.last_errors:
        seen[code] = seen.get(code, 0) + 1
    rows.append(StaffRow(_staff_label("last_errors"), "" if seen else "—", status=None if seen else Text(NO_ERRORS)))
    codes = {c.value: c for c in ErrorCode}
    for code, n in seen.items():
        words = Text(ERROR_TEXTS[codes[code]]) if code in codes else Text(INTERNAL_ERROR)
        rows.append(StaffRow(words, f"{code} ×{n}"))
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
        step=Text(CONSENT_STEP, (("k", str(len(s.consent_answers) + 1)),
                                 ("n", str(len(s.consent_answers) + len(s.consent_queue))))),
    )
