"""The kiosk window: alarm banner, a QStackedWidget with one page per kind of screen, and the patient's
controls (language, sound, large text) along the bottom, within reach from a wheelchair.

It only maps a ScreenModel to a page (every text it shows comes from the model) and forwards the pages'
typed events; it decides nothing."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QInputEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QGridLayout, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from kiosk.flow_events import ChoiceKey, LanguageChosen, Pressed
from kiosk.flow_types import Intent
from kiosk.ports import PreviewFrame
from kiosk.screens import ScreenModel
from ui.i18n import LANGUAGE_NAMES, Catalogue
from ui.screens.attract import AttractScreen
from ui.screens.base import Screen
from ui.screens.consent import ConsentScreen
from ui.screens.face_capture import FaceCaptureScreen
from ui.screens.phone import PhoneHoldScreen
from ui.screens.pin_entry import PinEntryScreen
from ui.screens.staff import StaffScreen
from ui.theme import KIOSK_SIZE, stylesheet
from ui.widgets.basic import button, label
from ui.widgets.countdown import Countdown

PAGE_FOR_SCREEN = {
    "attract": "attract",
    "pin_entry": "pin",
    "phone_pin": "pin",
    "phone_hold": "phone",
    "phone_reading": "phone",
    "staff_pin": "staff_pin",
    "face_capture": "face",
    "consent": "consent",
    "staff_panel": "staff",
    "staff_self_test": "staff",
}


class MainWindow(QWidget):
    sent = Signal(object)  # a kiosk.flow_events.Event from a page or the patient's controls
    activity = Signal()  # any touch in the window

    def __init__(self, catalogue: Catalogue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kiosk")
        self.cat = catalogue
        self.resize(*KIOSK_SIZE)
        self.model: ScreenModel | None = None
        self._look: tuple[bool, str] | None = None
        self._last_touch = -1
        self._zero_held = False  # the numeric keypad's 0 is being held (voice-led mode asked once)
        # The session's chip photo (Runtime.chip_photo_preview), asked only when the model shows it.
        self.photo_source: Callable[[], PreviewFrame | None] | None = None
        self.alarm = label("alarm")
        self.countdown = Countdown()
        self.stack = QStackedWidget()
        self.pages: dict[str, Screen] = {
            "attract": AttractScreen(catalogue),
            "message": Screen(catalogue),
            "pin": PinEntryScreen(catalogue),
            "phone": PhoneHoldScreen(catalogue),
            "staff_pin": PinEntryScreen(catalogue, staff=True),
            "face": FaceCaptureScreen(catalogue),
            "consent": ConsentScreen(catalogue),
            "staff": StaffScreen(catalogue),
        }
        for page in self.pages.values():
            self.stack.addWidget(page)
            page.sent.connect(self.sent.emit)
        self.chrome = QWidget()
        bar = QGridLayout(self.chrome)
        bar.setContentsMargins(24, 6, 24, 12)
        self.language_buttons: dict[str, QPushButton] = {}
        for i, lang in enumerate(("ja", "en", "zh", "ko")):
            widget = button(LANGUAGE_NAMES[lang], "chrome")
            widget.setCheckable(True)
            widget.clicked.connect(lambda _=False, code=lang: self.sent.emit(LanguageChosen(code)))
            bar.addWidget(widget, 0, i)
            self.language_buttons[lang] = widget
        self.sound_button = button("", "chrome")
        self.sound_button.clicked.connect(lambda: self.sent.emit(Pressed(Intent.TOGGLE_MUTE)))
        self.contrast_button = button("", "chrome")
        self.contrast_button.setCheckable(True)
        self.contrast_button.clicked.connect(lambda: self.sent.emit(Pressed(Intent.TOGGLE_CONTRAST)))
        bar.addWidget(self.sound_button, 1, 0, 1, 2)
        bar.addWidget(self.contrast_button, 1, 2, 1, 2)
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        root.addWidget(self.alarm)
        root.addWidget(self.countdown)
        root.addWidget(self.stack, 1)
        root.addWidget(self.chrome)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def show_model(self, model: ScreenModel) -> None:
        self.model = model
        if (model.high_contrast, model.lang) != self._look:
            self._look = (model.high_contrast, model.lang)  # the language picks the font (ui.theme)
            self.setStyleSheet(stylesheet(model.high_contrast, model.lang))
        page = self.pages[PAGE_FOR_SCREEN.get(model.screen, "message")]
        page.show_model(model)
        page.show_photo(self.photo_source() if model.chip_photo and self.photo_source is not None else None)
        self.stack.setCurrentWidget(page)
        self.alarm.setVisible(model.alarm)
        if model.alarm:
            alarm = model.alarm_text
            self.alarm.setText(f"{self.cat.text(model.lang, alarm)}\n{self.cat.text(model.secondary_lang, alarm)}")
        self.countdown.start(model.countdown_s, model.countdown_token)
        self.chrome.setVisible(model.patient_controls)
        for lang, widget in self.language_buttons.items():
            widget.setChecked(lang == model.lang)
        self.sound_button.setText(self.cat.text(model.lang, model.sound_label))
        self.contrast_button.setText(self.cat.text(model.lang, model.contrast_label))
        self.contrast_button.setChecked(model.high_contrast)

    @property
    def current_page(self) -> Screen:
        page = self.stack.currentWidget()
        assert isinstance(page, Screen)
        return page

    def show_frame(self, frame: PreviewFrame) -> None:
        page = self.pages["face"]
        assert isinstance(page, FaceCaptureScreen)
        page.show_frame(frame)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Keys for patients who cannot see the screen: F1 / Help (or the numeric keypad's 0 held) starts
        voice-led mode and reads the screen again; then 1–9 choose the buttons in order. The PIN keypad
        keeps its own digits (it has the focus on its screen and passes on only what it does not use)."""
        key = Qt.Key(event.key())
        if key in (Qt.Key.Key_F1, Qt.Key.Key_Help) or (key == Qt.Key.Key_0 and event.isAutoRepeat()):
            held = key == Qt.Key.Key_0
            if not event.isAutoRepeat() or (held and not self._zero_held):  # once per press or per hold
                self.sent.emit(Pressed(Intent.VOICE_GUIDE))
            self._zero_held = held
        elif Qt.Key.Key_1 <= key <= Qt.Key.Key_9 and not event.isAutoRepeat():
            self.sent.emit(ChoiceKey(int(key) - int(Qt.Key.Key_0)))
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_0 and not event.isAutoRepeat():
            self._zero_held = False
        super().keyReleaseEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Any touch in this window is activity. An unhandled press travels up the parents; count it once."""
        if (
            event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin)
            and isinstance(watched, QWidget)
            and watched.window() is self
            and isinstance(event, QInputEvent)
            and event.timestamp() != self._last_touch
        ):
            self._last_touch = event.timestamp()
            self.activity.emit()
        return False
