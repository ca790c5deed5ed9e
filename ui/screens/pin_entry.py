"""PIN entry: tries left above, the shuffled keypad in the lower half; also used for the staff PIN."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk.flow_events import PinEntered, Pressed, StaffPinEntered
from kiosk.flow_types import Intent
from kiosk.screens import ScreenModel
from ui.i18n import Catalogue
from ui.screens.base import Screen
from ui.widgets.keypad import Keypad


class PinEntryScreen(Screen):
    def __init__(self, catalogue: Catalogue, staff: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(catalogue, parent)
        self.staff = staff
        self.keypad = Keypad()
        self.content.addStretch(1)
        self.content.addWidget(self.keypad)
        event = StaffPinEntered if staff else PinEntered
        self.keypad.submitted.connect(lambda pin: self.sent.emit(event(pin)))
        back = Intent.STAFF_EXIT if staff else Intent.CANCEL  # 取消: the way out this screen offers
        self.keypad.cancelled.connect(lambda: self.sent.emit(Pressed(back)))

    def render_content(self, model: ScreenModel) -> None:
        self.keypad.set_language(model.lang)
        self.keypad.reset(model.keypad_nonce, model.pin_lengths)
        self.keypad.setEnabled(not model.busy)

    def hideEvent(self, event: object) -> None:
        self.keypad.wipe()  # leaving the screen never keeps typed digits
        super().hideEvent(event)  # type: ignore[arg-type]
