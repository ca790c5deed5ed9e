"""Every staff-only action refuses without the staff PIN, through the real window (issue 12): opening the
staff panel (from which visual check is armed and the self-test run), and confirming or rejecting a visual
check, which asks for the PIN at the moment of the press."""

from __future__ import annotations

import pytest

from kiosk.flow_events import Pressed
from kiosk.flow_types import Intent, Phase
from testbench.demo.scenarios import DEMO_STAFF_PIN, Scenario, ScenarioPlayer

pytestmark = pytest.mark.ui

_WRONG = "0000" if DEMO_STAFF_PIN != "0000" else "1111"
_ARMED = [
    ("gesture",), ("wait", "staff_pin"), ("staff_pin", DEMO_STAFF_PIN), ("wait", "staff_panel"),
    ("tap", "staff_arm_visual"), ("wait", "attract"), ("insert",), ("wait", "visual_check"),
]  # fmt: skip


def _player(steps: list[tuple[str, ...]]) -> ScenarioPlayer:
    player = ScenarioPlayer(Scenario("staff-only", "", steps), delay_s=0.0)
    player.run(timeout_s=15)
    return player


def _wrong_pin_then(player: ScenarioPlayer) -> None:
    controller = player.kiosk.controller
    player._do(("staff_pin", _WRONG), 5)
    player.wait_until(lambda: controller.state.staff_message is not None, 5, "wrong staff PIN")


def test_the_staff_panel_refuses_a_wrong_staff_pin(qapp: object) -> None:
    player = _player([("gesture",), ("wait", "staff_pin")])
    try:
        _wrong_pin_then(player)
        state = player.kiosk.controller.state
        assert state.phase is Phase.STAFF_PIN and not state.visual_armed  # no panel, nothing armed
        assert player.kiosk.window.current_page.keypad.isVisible()  # type: ignore[attr-defined]
    finally:
        player.close()


@pytest.mark.parametrize("intent", [Intent.VISUAL_CONFIRMED, Intent.VISUAL_REJECTED])
def test_a_visual_check_answer_refuses_without_the_staff_pin(qapp: object, intent: Intent) -> None:
    player = _player(_ARMED)
    try:
        window, controller = player.kiosk.window, player.kiosk.controller
        window.current_page.button_for(Pressed(intent)).click()
        player.wait_until(lambda: controller.state.phase is Phase.STAFF_PIN, 5, "staff PIN asked")
        _wrong_pin_then(player)
        assert controller.state.phase is Phase.STAFF_PIN and controller.state.method is None
        assert controller.state.error is None  # neither confirmed nor rejected
        window.current_page.button_for(Pressed(Intent.STAFF_EXIT)).click()
        player.wait_until(lambda: controller.state.phase is Phase.VISUAL_CHECK, 5, "back to the check")
        window.current_page.button_for(Pressed(intent)).click()
        player.wait_until(lambda: controller.state.phase is Phase.STAFF_PIN, 5, "staff PIN asked again")
        player._do(("staff_pin", DEMO_STAFF_PIN), 5)
        done = Phase.CONSENT if intent is Intent.VISUAL_CONFIRMED else Phase.TAKE_CARD
        player.wait_until(lambda: controller.state.phase is done, 5, done.value)
    finally:
        player.close()


def test_the_visual_check_shows_the_chip_photo_beside_the_buttons(qtbot: object, catalogue: object) -> None:
    from dataclasses import replace

    from kiosk.ports import PreviewFrame
    from kiosk.screens import screen_model
    from tests.screen_samples import sample_states
    from ui.main_window import MainWindow

    window = MainWindow(catalogue)  # type: ignore[arg-type]
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    window.show()
    asked: list[int] = []

    def photo() -> PreviewFrame:
        asked.append(1)
        return PreviewFrame(30, 40, bytes(30 * 40 * 3))

    window.photo_source = photo
    check = sample_states()["visual_check_photo"]
    window.show_model(screen_model(check))
    assert window.current_page.photo.isVisible() and asked == [1]
    window.show_model(screen_model(replace(check, face_photo_ready=False)))  # no photo read: none shown
    assert not window.current_page.photo.isVisible() and asked == [1]
