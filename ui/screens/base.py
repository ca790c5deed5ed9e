"""The shared screen skeleton: text in the upper half, everything the patient touches in the lower half.

Every text is shown in the patient's language with English (or Japanese, for English users) beneath it.
Screens hold no timers, threads, rules or driver imports; they render a model and send the flow's own
typed events (`sent`): a button sends the `Press` its model carries, the keypad a PinEntered.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.flow_steps import Press, Role
from kiosk.ports import PreviewFrame
from kiosk.screens import Button, ScreenModel, Text
from ui.i18n import Catalogue
from ui.widgets.basic import button, clear_widgets, label
from ui.widgets.progress import BusyIndicator


class Screen(QWidget):
    sent = Signal(object)  # a kiosk.flow_events.Event

    def __init__(self, catalogue: Catalogue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cat = catalogue
        self.model: ScreenModel | None = None
        self.title = label("title")
        self.title2 = label("title2")
        self.call_banner = label("banner")  # 「職員を呼ぶ」: the call's state, on every screen while it stands
        self.call_banner.setVisible(False)
        self.body = QVBoxLayout()
        self.busy = BusyIndicator()
        self.photo = QLabel()  # the chip photo on the staff visual check, beside the staff's buttons
        self.photo.setObjectName("chip_photo")
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.setVisible(False)
        self.content = QVBoxLayout()  # screen-specific widgets (camera, consent text, keypad …)
        self.buttons = QGridLayout()
        self.buttons.setSpacing(14)
        self.button_widgets: list[QPushButton] = []
        root = QVBoxLayout(self)
        root.setContentsMargins(36, 28, 36, 20)
        root.setSpacing(14)
        root.addWidget(self.title)
        root.addWidget(self.title2)
        root.addWidget(self.call_banner)
        root.addLayout(self.body)
        root.addWidget(self.busy)
        root.addWidget(self.photo)
        root.addLayout(self.content, 1)
        root.addStretch(0)
        root.addLayout(self.buttons)

    # --- rendering -----------------------------------------------------------------------------------

    def show_model(self, model: ScreenModel) -> None:
        previous, self.model = self.model, model
        # Live guidance re-renders the capture screen many times a second: rebuild only what changed.
        same_text = previous is not None and (previous.lang, previous.title, previous.body) == (
            model.lang, model.title, model.body)  # fmt: skip
        if not same_text:
            self.title.setText(self.t(model.title))
            self.title2.setText(self.t2(model.title))
            self.title2.setVisible(model.lang != model.secondary_lang)
            self._render_body(model.body)
        self.call_banner.setVisible(model.call_banner is not None)
        if model.call_banner is not None:
            self.call_banner.setText(f"{self.t(model.call_banner)}\n{self.t2(model.call_banner)}")
        self.busy.set_state(model.busy, model.step)
        if previous is None or (previous.lang, previous.buttons, previous.voice_led) != (
            model.lang, model.buttons, model.voice_led):  # fmt: skip
            self._render_buttons(model.buttons)
        self.render_content(model)

    def render_content(self, model: ScreenModel) -> None:
        """Screen-specific part; the generic screen has none."""

    def show_photo(self, frame: PreviewFrame | None) -> None:
        """The chip photo, scaled for a face-to-face comparison; None hides it (and drops the pixels)."""
        if frame is None:
            self.photo.clear()
            self.photo.setVisible(False)
            return
        image = QImage(frame.rgb, frame.width, frame.height, frame.width * 3, QImage.Format.Format_RGB888).copy()
        self.photo.setPixmap(QPixmap.fromImage(image).scaledToHeight(360, Qt.TransformationMode.SmoothTransformation))
        self.photo.setVisible(True)

    def t(self, text: Text) -> str:
        assert self.model is not None
        return self.cat.text(self.model.lang, text)

    def t2(self, text: Text) -> str:
        assert self.model is not None
        return self.cat.text(self.model.secondary_lang, text)

    def _render_body(self, body: tuple[Text, ...]) -> None:
        clear_widgets(self.body)
        for text in body:
            self.body.addWidget(label("body", self.t(text)))
            self.body.addWidget(label("body2", self.t2(text)))

    def _render_buttons(self, buttons: tuple[Button, ...]) -> None:
        clear_widgets(self.buttons)
        self.button_widgets = []
        wide_first = len(buttons) > 1 and buttons[0].role in (Role.PRIMARY, Role.DANGER)
        rest = len(buttons) - (1 if wide_first else 0)
        columns = max(1, min(3, rest))  # one row where it fits: the lower half stays free for the keypad
        for i, b in enumerate(buttons):
            assert self.model is not None
            text = self.cat.tr(self.model.lang, b.label)
            second = self.cat.tr(self.model.secondary_lang, b.label)
            if self.model.voice_led:  # voice-led mode: digit keys choose, in the order the voice reads them
                text = f"{i + 1}  {text}"
            widget = button(f"{text}\n{second}" if second != text else text, role=b.role.value)
            widget.setProperty("press", b.code)
            widget.clicked.connect(lambda _=False, press=b.press: self.sent.emit(press))
            if wide_first and i == 0:
                self.buttons.addWidget(widget, 0, 0, 1, columns)
            else:
                row, col = divmod(i - (1 if wide_first else 0), columns)
                row += 1 if wide_first else 0
                self.buttons.addWidget(widget, row, col)
            self.button_widgets.append(widget)

    def button_for(self, press: Press) -> QPushButton:
        assert self.model is not None
        for b, widget in zip(self.model.buttons, self.button_widgets, strict=True):
            if b.press == press:
                return widget
        raise KeyError(press)
