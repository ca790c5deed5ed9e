"""Keypad, camera view, countdown and the hidden staff gesture."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import Qt

from kiosk.flow_events import StaffCornerTapped
from kiosk.ports import FaceBox, PreviewFrame
from kiosk.staff import STAFF_PIN_LENGTHS
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
        pad.reset(nonce, (4, 4))
        orders.add(pad.digit_order())
        assert sorted(pad.digit_order()) == list("0123456789")
    assert len(orders) == 8
    submitted: list[str] = []
    pad.submitted.connect(submitted.append)
    by_digit = {b.text(): b for b in pad.digit_buttons}
    for d in "12":
        qtbot.mouseClick(by_digit[d], Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert pad.display.text() == "●●○○" and "1" not in pad.display.text()
    qtbot.mouseClick(pad.clear_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]  (訂正)
    assert pad.display.text() == "○○○○" and not pad.ok_button.isEnabled()
    for d in "12349":  # the 5th digit is ignored
        qtbot.mouseClick(by_digit[d], Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert pad.display.text() == "●●●●"
    qtbot.mouseClick(pad.ok_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert submitted == ["1234"] and pad.display.text() == "○○○○"
    pad.reset(8, (4, 4))
    assert pad.display.text() == "○○○○"
    order = pad.digit_order()
    pad.reset(8, (4, 4))  # same nonce: no reshuffle while the patient is typing
    assert pad.digit_order() == order
    pad.reset(8, (6, 6))  # the lengths come from the screen model
    assert pad.display.text() == "○○○○○○"


def test_two_consecutive_entries_have_different_layouts(qtbot: object) -> None:
    """Also across patients: the flow's nonce restarts at 0 for each patient, the layout must not."""
    pad = Keypad()
    qtbot.addWidget(pad)  # type: ignore[attr-defined]
    layouts = []
    for _ in range(50):
        pad.reset(0, (4, 4))  # every patient's first entry has nonce 0
        pad.show()
        layouts.append(pad.digit_order())
        by_digit = {b.text(): b for b in pad.digit_buttons}
        for d in "5555":
            qtbot.mouseClick(by_digit[d], Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
        qtbot.mouseClick(pad.ok_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
        layouts.append(pad.digit_order())  # the retry after a wrong PIN
        pad.hide()
    assert all(a != b for a, b in itertools.pairwise(layouts)), "a layout repeated on the next entry"
    assert "0123456789" not in layouts and "1234567890" not in layouts


def test_keypad_from_a_usb_numeric_keypad(qtbot: object) -> None:
    pad = Keypad()
    pad.reset(0, (4, 4))
    qtbot.addWidget(pad)  # type: ignore[attr-defined]
    pad.show()
    submitted: list[str] = []
    cancelled: list[bool] = []
    pad.submitted.connect(submitted.append)
    pad.cancelled.connect(lambda: cancelled.append(True))
    keypad = Qt.KeyboardModifier.KeypadModifier
    for d in "98":
        qtbot.keyClick(pad, getattr(Qt.Key, f"Key_{d}"), keypad)  # type: ignore[attr-defined]
    assert pad.display.text() == "●●○○"
    qtbot.keyClick(pad, Qt.Key.Key_Backspace)  # type: ignore[attr-defined]  (訂正)
    assert pad.display.text() == "○○○○"
    for d in "2468":
        qtbot.keyClick(pad, getattr(Qt.Key, f"Key_{d}"), keypad)  # type: ignore[attr-defined]
    qtbot.keyClick(pad, Qt.Key.Key_Enter, keypad)  # type: ignore[attr-defined]
    assert submitted == ["2468"]
    qtbot.keyClick(pad, Qt.Key.Key_1, keypad)  # type: ignore[attr-defined]
    qtbot.keyClick(pad, Qt.Key.Key_Escape)  # type: ignore[attr-defined]  (取消)
    assert cancelled == [True] and pad.display.text() == "○○○○"
    assert pad.clear_button.text() == "訂正" and pad.cancel_button.text() == "取消"
    pad.set_language("ko")
    assert pad.clear_button.text() == "정정\n訂正"


def test_staff_keypad_takes_4_to_8_digits(qtbot: object) -> None:
    pad = Keypad()
    pad.reset(0, STAFF_PIN_LENGTHS)
    qtbot.addWidget(pad)  # type: ignore[attr-defined]
    submitted: list[str] = []
    pad.submitted.connect(submitted.append)
    for pin in ("123", "1234", "12345678", "123456789"):
        for d in pin:
            qtbot.keyClick(pad, getattr(Qt.Key, f"Key_{d}"))  # type: ignore[attr-defined]
        qtbot.keyClick(pad, Qt.Key.Key_Return)  # type: ignore[attr-defined]
        pad.wipe()
    assert submitted == ["1234", "12345678", "12345678"]  # 3 is too short; a 9th digit is not taken


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


def test_a_screen_re_rendered_many_times_frees_its_layout_items(qtbot: object) -> None:
    """A screen's buttons and texts are rebuilt on every render; what a reception builds must be freed."""
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QTimer
    from PySide6.QtWidgets import QGridLayout, QWidget

    from testbench.benches.reception_bench import malloc_mb
    from ui.widgets.basic import clear_widgets, label

    host = QWidget()
    qtbot.addWidget(host)  # type: ignore[attr-defined]
    grid = QGridLayout(host)

    def rounds(n: int) -> None:
        for _ in range(n):
            for i in range(6):
                grid.addWidget(label("body", "受付"), i // 3, i % 3)
            clear_widgets(grid)
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            QCoreApplication.processEvents()

    grown: list[float] = []
    loop = QEventLoop()  # deferred deletes run only inside an event loop, as in the kiosk's app.exec

    def measure() -> None:
        rounds(200)  # allocator and Qt caches settle
        before = malloc_mb()["malloc_in_use_mb"]
        rounds(3000)
        grown.append((malloc_mb()["malloc_in_use_mb"] - before) * 1024)
        loop.quit()

    QTimer.singleShot(0, measure)
    loop.exec()
    grown_kb = grown[0]
    assert grid.count() == 0
    assert grown_kb < 400, f"{grown_kb:.0f} KB kept by 18,000 widgets added and cleared"  # the takeAt clear: ~1,700 KB
