"""Issue 12, flow side: consent voice clips, staff-only visual check, staff calls, the timeout warning."""

from __future__ import annotations

from kiosk.config import KioskConfig
from kiosk.errors import ErrorCode
from kiosk.flow import offers
from kiosk.flow_effects import (
    CallStaff,
    CheckStaffPin,
    Chime,
    FetchChallenge,
    PlayVoice,
    ReadCard,
    RunSelfTest,
    ScanCardFront,
    Submit,
    VerifyPin,
)
from kiosk.flow_events import (
    CardInserted,
    CardTaken,
    ChoiceKey,
    ConsentAnswered,
    JobFailed,
    PinEntered,
    PinVerified,
    Pressed,
    SelfTestDone,
    StaffCallAnswered,
    StaffPinChecked,
    StaffPinEntered,
    Submitted,
    SummaryRead,
    UserActivity,
)
from kiosk.flow_types import Intent, Phase, SelfTestItem, SelfTestReport, StaffCallState
from kiosk.reception import Method
from kiosk.screen_texts import (
    AGREED,
    CHECK_FAILED,
    CHECK_OK,
    CHIP_PHOTO_SHOWN,
    DECLINED,
    ERROR_TEXTS,
    INTERNAL_ERROR,
    NAME_NEEDS_PIN,
    STAFF_CALL_TEXTS,
    STAFF_PIN_TO_CONFIRM,
    STILL_THERE,
)
from kiosk.screens import Text, screen_model
from tests.unit.flow_harness import NOW, FlowDriver, summary
from tests.unit.test_flow_paths import answer_default_consents, face_to_capture, read_card
from tests.unit.test_flow_staff import open_panel


def to_consents(d: FlowDriver) -> None:
    read_card(d)
    d.send(Pressed(Intent.USE_PIN))
    d.send(PinEntered("1234"))
    d.send(PinVerified(d.token_of(VerifyPin)))
    assert d.phase is Phase.CONSENT


def test_each_consent_screen_plays_its_own_clip() -> None:
    d = FlowDriver.new()
    to_consents(d)
    assert PlayVoice("consent_comprehensive", "ja") in d.effects
    effects = d.send(ConsentAnswered("comprehensive", "consent_all"))
    assert d.phase is Phase.CONSENT  # same phase, next item: a new clip all the same
    assert PlayVoice(f"consent_{d.state.consent_queue[0]}", "ja") in effects


def armed_visual_check(d: FlowDriver) -> None:
    open_panel(d)
    d.send(Pressed(Intent.STAFF_ARM_VISUAL))
    read_card(d)
    assert d.phase is Phase.VISUAL_CHECK


def test_an_armed_visual_check_is_confirmed_only_with_the_staff_pin_then() -> None:
    d = FlowDriver.new()
    armed_visual_check(d)
    d.send(Pressed(Intent.VISUAL_CONFIRMED))
    assert d.phase is Phase.STAFF_PIN and d.state.staff_pending is Intent.VISUAL_CONFIRMED
    assert screen_model(d.state).body[0].key == STAFF_PIN_TO_CONFIRM
    d.send(StaffPinEntered("0000"))
    d.send(StaffPinChecked(d.token_of(CheckStaffPin), False, 0, 4))
    assert d.phase is Phase.STAFF_PIN and d.state.method is None  # a wrong PIN confirms nothing
    d.send(Pressed(Intent.STAFF_EXIT))
    assert d.phase is Phase.VISUAL_CHECK and d.state.staff_pending is None  # back, nothing answered
    d.send(Pressed(Intent.VISUAL_CONFIRMED))
    d.send(StaffPinEntered("2468"))
    d.send(StaffPinChecked(d.token_of(CheckStaffPin), True, 0, 5))
    assert d.phase is Phase.CONSENT and d.state.method is Method.VISUAL


def test_a_visual_rejection_needs_the_staff_pin_too_and_a_timeout_answers_nothing() -> None:
    d = FlowDriver.new()
    armed_visual_check(d)
    d.send(Pressed(Intent.VISUAL_REJECTED))
    assert d.phase is Phase.STAFF_PIN and d.state.staff_pending is Intent.VISUAL_REJECTED
    d.advance(121)
    assert d.phase is Phase.VISUAL_CHECK and d.state.error is None


def test_no_staff_pin_configured_means_no_staff_only_answer() -> None:
    d = FlowDriver.new(KioskConfig())
    read_card(d)
    d.send(Pressed(Intent.CALL_STAFF))
    assert d.phase is Phase.STAFF_CALL
    assert [o.press for o in offers(d.state)] == [Pressed(Intent.CANCEL)]  # only Stop


def test_visual_check_shows_the_chip_photo_when_it_was_read_and_says_where_the_name_is() -> None:
    d = FlowDriver.new()
    read_card(d)
    d.send(Pressed(Intent.USE_FACE))
    face_to_capture(d)  # the chip photo is now in the session vault
    while d.phase is Phase.FACE_CAPTURE:
        d.advance(5)  # no face seen: "try again" offers the staff call
    d.send(Pressed(Intent.CALL_STAFF))
    d.send(Pressed(Intent.STAFF_SIGN_IN))
    model = screen_model(d.state)
    assert model.chip_photo and Text(CHIP_PHOTO_SHOWN) in model.body and Text(NAME_NEEDS_PIN) in model.body
    d2 = FlowDriver.new()
    armed_visual_check(d2)
    assert not screen_model(d2.state).chip_photo


def test_calling_staff_raises_a_call_with_a_chime_and_says_when_staff_got_it() -> None:
    d = FlowDriver.new()
    read_card(d)
    effects = d.send(Pressed(Intent.CALL_STAFF))
    call = d.last(CallStaff)
    assert call.reason == "method" and Chime() in effects  # type: ignore[attr-defined]
    assert screen_model(d.state).call_banner == Text(STAFF_CALL_TEXTS[StaffCallState.CALLING])
    d.send(StaffCallAnswered(999, delivered=True))  # not this call's answer
    assert d.state.staff_call is StaffCallState.CALLING
    d.send(StaffCallAnswered(d.token_of(CallStaff), delivered=True))
    assert d.state.staff_call is StaffCallState.DELIVERED and d.phase is Phase.STAFF_CALL
    assert screen_model(d.state).call_banner == Text(STAFF_CALL_TEXTS[StaffCallState.DELIVERED])
    d.send(Pressed(Intent.STAFF_SIGN_IN))  # staff came: the banner stays on their screens too
    assert screen_model(d.state).call_banner is not None


def test_an_undelivered_staff_call_is_said_and_may_be_tried_again() -> None:
    d = FlowDriver.new()
    read_card(d)
    d.send(Pressed(Intent.USE_PIN))
    d.send(Pressed(Intent.CALL_STAFF))
    d.send(StaffCallAnswered(d.token_of(CallStaff), delivered=False))
    assert screen_model(d.state).call_banner == Text(STAFF_CALL_TEXTS[StaffCallState.FAILED])
    first = d.token_of(CallStaff)
    d.send(Pressed(Intent.CALL_STAFF))  # offered again on the staff-call screen
    assert d.token_of(CallStaff) != first and d.state.staff_call is StaffCallState.CALLING
    d.send(CardTaken())
    assert d.state.staff_call is None and screen_model(d.state).call_banner is None  # the next patient


def test_a_timeout_first_asks_whether_to_continue_with_its_own_countdown() -> None:
    d = FlowDriver.new()
    to_consents(d)
    d.advance(91)
    assert d.phase is Phase.CONSENT and d.state.still_there
    model = screen_model(d.state)
    assert model.screen == "still_there" and model.title == Text(STILL_THERE) and model.countdown_s == 20.0
    assert [b.code for b in model.buttons] == ["continue", "cancel"] and model.consent is None
    assert PlayVoice("still_there", "ja") in d.effects
    d.send(UserActivity())  # a stray touch is not an answer
    d.send(ConsentAnswered("comprehensive", "consent_all"))  # the consent buttons are not on screen
    assert d.state.still_there and d.state.consent_answers == ()
    d.send(Pressed(Intent.CONTINUE))
    assert d.phase is Phase.CONSENT and not d.state.still_there and d.state.consent_queue[0] == "comprehensive"
    assert PlayVoice("consent_comprehensive", "ja") in d.effects[-3:]
    d.advance(91)
    d.send(Pressed(Intent.CANCEL))
    assert d.phase is Phase.TAKE_CARD and d.state.error is ErrorCode.CANCELLED


def test_no_answer_to_the_warning_ends_the_session_and_jobs_are_never_warned() -> None:
    d = FlowDriver.new()
    read_card(d)
    d.advance(61)
    assert d.state.still_there
    d.advance(21)
    assert d.phase is Phase.TAKE_CARD and d.state.error is ErrorCode.TIMED_OUT
    d2 = FlowDriver.new()
    d2.send(CardInserted())
    d2.advance(21)  # reading is a bounded wait for the card, not for the patient
    assert d2.phase is Phase.READ_FAILED and not d2.state.still_there


def test_consent_screens_count_their_steps_and_go_back() -> None:
    d = FlowDriver.new()
    to_consents(d)
    view = screen_model(d.state).consent
    assert view is not None and dict(view.step.params) == {"k": "1", "n": "5"}
    assert Pressed(Intent.BACK) not in [o.press for o in offers(d.state)]  # nothing to go back to
    d.send(ConsentAnswered("comprehensive", "individual"))  # declined: its 4 items are asked one by one
    view = screen_model(d.state).consent
    assert view is not None and dict(view.step.params) == {"k": "2", "n": "9"}
    d.send(Pressed(Intent.BACK))
    assert d.state.consent_queue[0] == "comprehensive" and d.state.consent_answers == ()
    assert len(d.state.consent_queue) == 5  # the items the decline had added are gone again
    d.send(ConsentAnswered("comprehensive", "consent_all"))
    d.send(ConsentAnswered("limit_info", "ok"))
    d.send(Pressed(Intent.BACK))
    assert d.state.consent_queue[0] == "limit_info" and d.state.consent_answers == (("comprehensive", "consent_all"),)


def test_the_done_screen_lists_what_was_agreed_and_what_not() -> None:
    d = FlowDriver.new()
    to_consents(d)
    answer_default_consents(d)  # all at once, specific diseases yes, public expense no
    d.send(Submitted(d.token_of(Submit), queued=False))
    assert d.phase is Phase.DONE
    body = {t.key: dict(t.params)["items"] for t in screen_model(d.state).body if t.params}
    catalogue = d.state.settings.consents
    assert catalogue.get("diagnosis").title("ja") in body[AGREED]
    assert catalogue.get("specific_diseases").title("ja") in body[AGREED]
    assert body[DECLINED] == catalogue.get("public_expense").title("ja")


def test_a_revoked_card_is_turned_away_right_after_reading() -> None:
    d = FlowDriver.new()
    d.send(CardInserted())
    d.send(SummaryRead(d.token_of(ReadCard), summary(), NOW))
    d.send(JobFailed(d.token_of(FetchChallenge), ErrorCode.CARD_REVOKED))
    assert d.phase is Phase.READ_FAILED and d.state.error is ErrorCode.CARD_REVOKED
    assert not any(isinstance(e, ScanCardFront | VerifyPin) for e in d.effects)  # nothing spent on it
    assert screen_model(d.state).body[0] == Text(ERROR_TEXTS[ErrorCode.CARD_REVOKED])


def test_voice_led_mode_reads_the_screen_again_and_digits_choose_its_buttons() -> None:
    d = FlowDriver.new()
    read_card(d)
    d.send(Pressed(Intent.TOGGLE_MUTE))
    assert d.send(ChoiceKey(1)) == []  # not in voice-led mode: a digit is nothing
    effects = d.send(Pressed(Intent.VOICE_GUIDE))
    assert d.state.voice_led and not d.state.muted and PlayVoice("method", "ja") in effects
    assert screen_model(d.state).voice_led
    first = offers(d.state)[0].press
    assert first == Pressed(Intent.USE_FACE)
    d.send(ChoiceKey(2))  # the second button: the PIN
    assert d.phase is Phase.PIN_ENTRY
    d.send(ChoiceKey(1))  # on the PIN screen digits are the PIN's (the keypad takes them), never a choice
    assert d.phase is Phase.PIN_ENTRY
    d.send(ChoiceKey(9))
    assert d.phase is Phase.PIN_ENTRY
    d.send(CardTaken())
    assert not d.state.voice_led  # the next patient starts as usual


def test_the_self_test_speaks_in_words() -> None:
    report = SelfTestReport(
        (SelfTestItem("reader", True, "Virtual PCD"), SelfTestItem("camera", False, "no frames")),
        (), ("camera_lost", "pin_wrong", "pin_wrong", "ValueError"),
    )
    d = FlowDriver.new()
    open_panel(d)
    d.send(Pressed(Intent.STAFF_SELF_TEST))
    d.send(SelfTestDone(d.token_of(RunSelfTest), report))
    rows = screen_model(d.state).staff_rows
    assert [r.status.key if r.status else None for r in rows[:2]] == [CHECK_OK, CHECK_FAILED]
    errors = {r.label.key: r.value for r in rows[3:]}
    assert errors[ERROR_TEXTS[ErrorCode.PIN_WRONG]] == "pin_wrong ×2"
    assert errors[INTERNAL_ERROR] == "ValueError ×1"  # an exception type: said to be internal, named for support
    assert ERROR_TEXTS[ErrorCode.CAMERA_LOST] in errors
