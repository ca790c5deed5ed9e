"""Staff mode in the flow: hidden gesture + staff PIN, visual-check mode for one patient, self-test."""

from __future__ import annotations

from kiosk.config import KioskConfig
from kiosk.errors import ErrorCode
from kiosk.flow_effects import CheckStaffPin, RunSelfTest, Submit
from kiosk.flow_events import (
    CardTaken,
    ConsentAnswered,
    Pressed,
    SelfTestDone,
    StaffCornerTapped,
    StaffPinChecked,
    StaffPinEntered,
    Submitted,
)
from kiosk.flow_types import Intent, Notice, Phase, SelfTestItem, SelfTestReport
from kiosk.reception import Method
from tests.unit.flow_harness import FlowDriver, staff_gesture
from tests.unit.test_flow_paths import read_card


def open_panel(d: FlowDriver) -> None:
    staff_gesture(d)
    assert d.phase is Phase.STAFF_PIN
    d.send(StaffPinEntered("2468"))
    check = d.last(CheckStaffPin)
    assert "2468" not in repr(check)
    d.send(StaffPinChecked(d.token_of(CheckStaffPin), True, 0, 5))
    assert d.phase is Phase.STAFF_PANEL


def test_staff_mode_is_off_without_a_pin_hash() -> None:
    d = FlowDriver.new(KioskConfig())
    staff_gesture(d)
    assert d.phase is Phase.ATTRACT


def test_wrong_staff_pin_and_lockout_message() -> None:
    d = FlowDriver.new()
    staff_gesture(d)
    d.send(StaffPinEntered("0000"))
    d.send(StaffPinChecked(d.token_of(CheckStaffPin), False, 0, 4))
    assert d.phase is Phase.STAFF_PIN and d.state.staff_message is Notice.STAFF_PIN_WRONG
    d.send(StaffPinEntered("0000"))
    d.send(StaffPinChecked(d.token_of(CheckStaffPin), False, 300, 0))
    assert d.state.staff_message is Notice.STAFF_LOCKED and d.state.staff_locked_for_s == 300
    d.advance(120)
    assert d.phase is Phase.ATTRACT


def test_visual_check_for_one_patient_then_disarmed() -> None:
    d = FlowDriver.new()
    open_panel(d)
    d.send(Pressed(Intent.STAFF_ARM_VISUAL))
    assert d.phase is Phase.ATTRACT and d.state.visual_armed
    read_card(d)
    assert d.phase is Phase.VISUAL_CHECK  # method choice skipped
    d.send(Pressed(Intent.VISUAL_CONFIRMED))
    assert d.phase is Phase.STAFF_PIN  # the staff PIN, asked at the moment of confirming
    d.send(StaffPinEntered("2468"))
    d.send(StaffPinChecked(d.token_of(CheckStaffPin), True, 0, 5))
    assert d.phase is Phase.CONSENT
    for item, choice in [("comprehensive", "consent_all"), ("limit_info", "ok"), ("specific_diseases", "consent"),
                         ("public_expense", "consent"), ("prescription_form", "paper")]:
        d.send(ConsentAnswered(item, choice))
    assert d.last(Submit).plan.method is Method.VISUAL  # type: ignore[attr-defined]
    d.send(Submitted(d.token_of(Submit), queued=True))
    d.send(CardTaken())
    assert d.phase is Phase.ATTRACT and not d.state.visual_armed
    assert "visual" not in dict(d.state.timers)
    read_card(d)
    assert d.phase is Phase.METHOD


def test_visual_check_disarms_itself_after_some_minutes() -> None:
    d = FlowDriver.new()
    open_panel(d)
    d.send(Pressed(Intent.STAFF_ARM_VISUAL))
    d.advance(301)
    assert not d.state.visual_armed


def test_staff_called_during_a_session_confirms_visually() -> None:
    d = FlowDriver.new()
    read_card(d)
    d.send(Pressed(Intent.CALL_STAFF))
    assert d.phase is Phase.STAFF_CALL
    d.send(Pressed(Intent.STAFF_SIGN_IN))
    assert d.phase is Phase.VISUAL_CHECK
    d.send(Pressed(Intent.VISUAL_REJECTED))
    assert d.phase is Phase.STAFF_PIN and d.state.staff_for_visual
    d.send(StaffPinEntered("2468"))
    d.send(StaffPinChecked(d.token_of(CheckStaffPin), True, 0, 5))
    assert d.phase is Phase.TAKE_CARD and d.state.error is ErrorCode.VISUAL_REJECTED


def test_self_test_screen() -> None:
    d = FlowDriver.new()
    open_panel(d)
    d.send(Pressed(Intent.STAFF_SELF_TEST))
    assert d.phase is Phase.STAFF_SELF_TEST and d.state.self_test is None
    report = SelfTestReport((SelfTestItem("reader", True, "Virtual PCD"),), (("face", 3), ("pin", 1)), ())
    d.send(SelfTestDone(d.token_of(RunSelfTest), report))
    assert d.state.self_test == report
    d.send(Pressed(Intent.NEXT))
    assert d.phase is Phase.STAFF_PANEL
    d.send(Pressed(Intent.STAFF_EXIT))
    assert d.phase is Phase.ATTRACT


def test_hidden_staff_gesture_needs_five_quick_taps() -> None:
    d = FlowDriver.new()
    for t in (0.0, 2.0, 4.5, 6.0, 9.0):  # too slow
        d.send(StaffCornerTapped(t))
    assert d.phase is Phase.ATTRACT
    for t in (20.0, 20.5, 21.0, 21.5):
        d.send(StaffCornerTapped(t))
    assert d.phase is Phase.ATTRACT
    d.send(StaffCornerTapped(22.0))
    assert d.phase is Phase.STAFF_PIN and d.state.staff_taps == ()


def test_staff_button_is_offered_only_when_staff_mode_is_on() -> None:
    from kiosk.flow import offers

    for config, offered in ((None, True), (KioskConfig(), False)):
        d = FlowDriver.new(config)
        read_card(d)
        d.send(Pressed(Intent.CALL_STAFF))
        assert d.phase is Phase.STAFF_CALL
        assert (Pressed(Intent.STAFF_SIGN_IN) in {o.press for o in offers(d.state)}) is offered
