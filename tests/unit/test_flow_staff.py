"""Staff mode in the flow: hidden gesture + staff PIN, visual-check mode for one patient, self-test."""

from __future__ import annotations

from kiosk.config import KioskConfig
from kiosk.flow_types import (
    CardRemoved,
    CheckStaffPin,
    ConsentAnswered,
    Intent,
    Phase,
    Pressed,
    RunSelfTest,
    SelfTestDone,
    SelfTestItem,
    SelfTestReport,
    StaffPinChecked,
    StaffPinEntered,
    Submit,
    Submitted,
)
from tests.unit.flow_harness import FlowDriver
from tests.unit.test_flow_paths import read_card


def open_panel(d: FlowDriver) -> None:
    d.send(Pressed(Intent.STAFF_GESTURE))
    assert d.phase is Phase.STAFF_PIN
    d.send(StaffPinEntered("2468"))
    check = d.last(CheckStaffPin)
    assert "2468" not in repr(check)
    d.send(StaffPinChecked(d.token_of(CheckStaffPin), True, 0, 5))
    assert d.phase is Phase.STAFF_PANEL


def test_staff_mode_is_off_without_a_pin_hash() -> None:
    d = FlowDriver.new(KioskConfig())
    d.send(Pressed(Intent.STAFF_GESTURE))
    assert d.phase is Phase.ATTRACT


def test_wrong_staff_pin_and_lockout_message() -> None:
    d = FlowDriver.new()
    d.send(Pressed(Intent.STAFF_GESTURE))
    d.send(StaffPinEntered("0000"))
    d.send(StaffPinChecked(d.token_of(CheckStaffPin), False, 0, 4))
    assert d.phase is Phase.STAFF_PIN and d.state.staff_message == "staff_pin_wrong"
    d.send(StaffPinEntered("0000"))
    d.send(StaffPinChecked(d.token_of(CheckStaffPin), False, 300, 0))
    assert d.state.staff_message == "staff_locked" and d.state.staff_locked_for_s == 300
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
    assert d.phase is Phase.CONSENT
    for item, choice in [("comprehensive", "consent_all"), ("limit_info", "ok"), ("specific_diseases", "consent"),
                         ("public_expense", "consent"), ("prescription_form", "paper")]:
        d.send(ConsentAnswered(item, choice))
    assert d.last(Submit).plan.method == "visual"  # type: ignore[attr-defined]
    d.send(Submitted(d.token_of(Submit), queued=True))
    d.send(CardRemoved())
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
    d.send(Pressed(Intent.STAFF_GESTURE))
    assert d.phase is Phase.STAFF_PIN and d.state.staff_for_visual
    d.send(StaffPinEntered("2468"))
    d.send(StaffPinChecked(d.token_of(CheckStaffPin), True, 0, 5))
    assert d.phase is Phase.VISUAL_CHECK
    d.send(Pressed(Intent.VISUAL_REJECTED))
    assert d.phase is Phase.TAKE_CARD and d.state.error == "visual_rejected"


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
