"""Keypad, camera view, countdown and the hidden staff gesture."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kiosk.flow_types import StaffCornerTapped
from kiosk.ports import FaceBox, PreviewFrame
from ui.i18n import Catalogue
from ui.screens.attract import AttractScreen
from ui.widgets.camera_view import CameraView
from ui.widgets.countdown import Countdown
from ui.widgets.keypad import Keypad

pytestmark = pytest.mark.ui


def test_keypad_is_shuffled_masked_and_wiped(qtbot: object) -> None:
    pad = Keypad()
    qtbot.addWidget(pad)  # type: ignore[attr-defined]
    orders = set()
    for nonce in range(8):
        pad.reset(nonce, 4)
        orders.add(pad.digit_order())
        assert sorted(pad.digit_order()) == list("0123456789")
    assert len(orders) > 1
    submitted: list[str] = []
    pad.submitted.connect(submitted.append)
    by_digit = {b.text(): b for b in pad.digit_buttons}
    for d in "1234":
        qtbot.mouseClick(by_digit[d], Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert pad.display.text() == "●●●●" and "1" not in pad.display.text()
    qtbot.mouseClick(pad.clear_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert pad.display.text() == "●●●○" and not pad.ok_button.isEnabled()
    qtbot.mouseClick(by_digit["4"], Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.mouseClick(by_digit["9"], Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]  (5th digit ignored)
    qtbot.mouseClick(pad.ok_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert submitted == ["1234"] and pad.display.text() == "○○○○"
    pad.reset(8, 4)
    assert pad.display.text() == "○○○○"
    pad.reset(8, 4)  # same nonce: no reshuffle while the patient is typing
    order = pad.digit_order()
    pad.reset(8, 4)
    assert pad.digit_order() == order
    pad.reset(8, 6)  # the length comes from the screen model
    assert pad.display.text() == "○○○○○○"


def test_camera_view_paints_frame_and_box(qtbot: object) -> None:
    view = CameraView()
    qtbot.addWidget(view)  # type: ignore[attr-defined]
    view.resize(400, 300)
    view.show_frame(PreviewFrame(4, 3, bytes([200, 10, 10]) * 12))
    view.set_overlay(FaceBox(0.1, 0.1, 0.5, 0.5), "もう少し近づいてください。", 0.5)
    image = view.grab().toImage()
    w, h = image.width(), image.height()
    corner = image.pixelColor(w - 10, h // 2 - 40)
    assert corner.red() > 150 and corner.green() < 60  # the red frame fills the view
    assert image.pixelColor(int(0.1 * w), int(0.3 * h)).green() > 200  # the green face box's left edge
    view.clear()
    assert view.grab().toImage().pixelColor(w - 10, h // 2 - 40).red() < 60


def test_countdown_restarts_only_for_a_new_token(qtbot: object) -> None:
    bar = Countdown()
    qtbot.addWidget(bar)  # type: ignore[attr-defined]
    bar.start(0.2, token=1)
    assert bar.fraction == 1.0 and bar.animation.duration() == 200
    bar.animation.setCurrentTime(150)  # jump the animation instead of sleeping
    assert abs(bar.fraction - 0.25) < 0.01
    bar.start(0.2, token=1)  # same deadline (e.g. a re-render): keeps running
    assert abs(bar.fraction - 0.25) < 0.01
    bar.start(10, token=2)  # the flow restarted its timer: full again
    assert bar.fraction == 1.0 and bar.animation.duration() == 10000
    bar.start(None, None)
    assert not bar.isVisible() and bar.animation.state() == bar.animation.State.Stopped


def test_hidden_staff_corner_reports_each_tap_with_its_time(qtbot: object, catalogue: Catalogue) -> None:
    screen = AttractScreen(catalogue)
    qtbot.addWidget(screen)  # type: ignore[attr-defined]
    seen: list[object] = []
    screen.sent.connect(seen.append)
    for t in (20.0, 20.5):
        screen.corner_tapped(now=t)
    qtbot.mouseClick(screen.staff_corner, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert seen[:2] == [StaffCornerTapped(20.0), StaffCornerTapped(20.5)]  # the flow counts them
    assert len(seen) == 3 and isinstance(seen[2], StaffCornerTapped)
