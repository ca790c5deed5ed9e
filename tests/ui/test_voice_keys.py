"""Voice-led mode from the keyboard, through the real window: F1 (or the numeric keypad's 0 held) asks for it,
and then digits 1–9 choose the buttons in the order the voice reads them (numbers shown on the buttons)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from kiosk.flow_events import ChoiceKey, Pressed
from kiosk.flow_types import Intent
from kiosk.screens import screen_model
from tests.screen_samples import sample_states
from ui.i18n import Catalogue
from ui.main_window import MainWindow
from ui.textfmt import plain

pytestmark = pytest.mark.ui


def test_f1_held_zero_and_digits(qtbot: object, catalogue: Catalogue) -> None:
    window = MainWindow(catalogue)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    window.show()
    method = sample_states()["method"]
    window.show_model(screen_model(method))
    sent: list[object] = []
    window.sent.connect(sent.append)
    qtbot.keyClick(window, Qt.Key.Key_F1)  # type: ignore[attr-defined]
    qtbot.keyClick(window, Qt.Key.Key_2)  # type: ignore[attr-defined]
    for repeat in (False, True, True, True):  # the 0 held down: the first auto-repeat asks, once
        QApplication.sendEvent(window, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_0, Qt.KeyboardModifier.NoModifier,
                                                 "0", repeat))
    QApplication.sendEvent(window, QKeyEvent(QEvent.Type.KeyRelease, Qt.Key.Key_0, Qt.KeyboardModifier.NoModifier))
    assert sent == [Pressed(Intent.VOICE_GUIDE), ChoiceKey(2), Pressed(Intent.VOICE_GUIDE)]
    window.show_model(screen_model(replace(method, voice_led=True)))
    QApplication.processEvents()
    labels = [plain(b.text()) for b in window.current_page.button_widgets]
    assert [label.split()[0] for label in labels] == [str(i + 1) for i in range(len(labels))]
