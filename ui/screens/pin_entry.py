"""PIN entry: tries left above, the shuffled keypad in the lower half; also used for the staff PIN."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk.screens import ScreenModel
from ui.i18n import Catalogue
from ui.screens.base import Screen
from ui.widgets.keypad import PIN_LENGTH, STAFF_PIN_LENGTHS, Keypad


class PinEntryScreen(Screen):
    def __init__(self, catalogue: Catalogue, staff: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(catalogue, parent)
        self.staff = staff
        self.keypad = Keypad(lengths=STAFF_PIN_LENGTHS if staff else (PIN_LENGTH, PIN_LENGTH))
        self.content.addStretch(1)
        self.content.addWidget(self.keypad)
        signal = self.staff_pin_submitted if staff else self.pin_submitted
        self.keypad.submitted.connect(signal.emit)
        self.keypad.cancelled.connect(lambda: self.intent.emit("cancel"))

    def render_content(self, model: ScreenModel) -> None:
        self.keypad.set_language(model.lang)
        self.keypad.reset(model.keypad_nonce)
        self.keypad.setEnabled(not model.busy)

    def hideEvent(self, event: object) -> None:
        self.keypad.wipe()  # leaving the screen never keeps typed digits
        super().hideEvent(event)  # type: ignore[arg-type]
