"""Touch keypad with shuffled digits and a masked display, also driven from a USB numeric keypad.

The digits never leave this widget except as the one `submitted` signal; they are wiped on submit, on 訂正,
on 取消 and whenever the keypad is reset or hidden. The layout is reshuffled for every entry (each time the
keypad is shown, after each submit and on every new nonce), and a new layout always differs from the one
before, so that a bystander cannot learn a PIN from finger positions, not even across patients.

Keys: 0-9 type a digit, Enter submits, Backspace / Delete / "." is 訂正 (clear what was typed), Escape / "-"
is 取消 (cancel the entry). A USB keypad's keys carry Qt's KeypadModifier; both rows are accepted.
"""

from __future__ import annotations

import secrets

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import QGridLayout, QPushButton, QVBoxLayout, QWidget

from ui.widgets.basic import button, label

# (訂正 clear, 取消 cancel, 確定 enter) as the official readers label them, per language.
KEY_LABELS: dict[str, tuple[str, str, str]] = {
    "ja": ("訂正", "取消", "確定"),
    "en": ("Clear", "Cancel", "OK"),
    "zh": ("更正", "取消", "确定"),
    "ko": ("정정", "취소", "확인"),
}
_DIGIT_KEYS = {getattr(Qt.Key, f"Key_{d}"): str(d) for d in range(10)}
_CLEAR_KEYS = {Qt.Key.Key_Backspace, Qt.Key.Key_Delete, Qt.Key.Key_Period, Qt.Key.Key_Comma}
_CANCEL_KEYS = {Qt.Key.Key_Escape, Qt.Key.Key_Minus}
_ENTER_KEYS = {Qt.Key.Key_Enter, Qt.Key.Key_Return}


class Keypad(QWidget):
    submitted = Signal(str)
    cancelled = Signal()  # 取消: the screen turns it into its cancel intent
    typed = Signal()  # any key: counts as activity

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.min_length = self.max_length = 0  # the screen model sets them on every reset
        self._digits = ""
        self._nonce: int | None = None
        self._previous_order = ""
        self.display = label("pin")
        self._grid = QGridLayout()
        self._grid.setSpacing(8)
        self.digit_buttons: list[QPushButton] = []
        for _ in range(10):
            key = button(name="key")
            key.clicked.connect(lambda _=False, b=key: self._press(b.text()))
            self.digit_buttons.append(key)
        self.clear_button = button("", "keycmd")
        self.clear_button.clicked.connect(self._clear)
        self.cancel_button = button("", "keycmd", "quiet")
        self.cancel_button.clicked.connect(self._cancel)
        self.ok_button = button("", "keycmd", "primary")
        self.ok_button.clicked.connect(self._submit)
        for i, key in enumerate(self.digit_buttons[:9]):
            self._grid.addWidget(key, i // 3, i % 3)
        # The command keys in a column on the right, as on the official readers; 確定 spans two rows.
        self._grid.addWidget(self.digit_buttons[9], 3, 1)
        self._grid.addWidget(self.clear_button, 0, 3)
        self._grid.addWidget(self.cancel_button, 1, 3)
        self._grid.addWidget(self.ok_button, 2, 3, 2, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)  # the screen already has margins; large text needs the room
        layout.addWidget(self.display)
        layout.addLayout(self._grid)
        # A USB keypad types into whatever has focus: the keypad takes it whenever it is shown.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.set_language("ja")
        self.shuffle()

    def set_language(self, lang: str) -> None:
        clear, cancel, ok = KEY_LABELS.get(lang, KEY_LABELS["ja"])
        ja = KEY_LABELS["ja"]
        # Japanese stays on the keys for every language: staff and the reader manuals name them so.
        self.clear_button.setText(clear if lang == "ja" else f"{clear}\n{ja[0]}")
        self.cancel_button.setText(cancel if lang == "ja" else f"{cancel}\n{ja[1]}")
        self.ok_button.setText(ok if lang == "ja" else f"{ok}\n{ja[2]}")

    def reset(self, nonce: int, lengths: tuple[int, int]) -> None:
        """A new nonce from the screen model means a fresh entry: wipe and reshuffle."""
        if nonce != self._nonce or lengths != (self.min_length, self.max_length):
            self._nonce, (self.min_length, self.max_length) = nonce, lengths
            self.wipe()
            self.shuffle()

    def shuffle(self) -> None:
        """New digits on the same ten keys; never the layout just used, never 0-9 in order."""
        order = list("0123456789")
        rng = secrets.SystemRandom()  # so that a bystander cannot read the PIN from hand positions
        while True:
            rng.shuffle(order)
            if "".join(order) not in (self._previous_order, "0123456789", "1234567890"):
                break
        self._previous_order = "".join(order)
        for key, digit in zip(self.digit_buttons, order, strict=True):
            key.setText(digit)

    def digit_order(self) -> str:
        return "".join(b.text() for b in self.digit_buttons)

    def wipe(self) -> None:
        self._digits = ""
        self._update()

    # --- input ------------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        """Every time the keypad appears is a new entry (another patient, or a retry): new layout, no digits."""
        self.wipe()
        self.shuffle()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        super().showEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        if not self.isEnabled() or event.isAutoRepeat():
            event.accept()
            return
        if key in _DIGIT_KEYS:
            self._press(_DIGIT_KEYS[key])
        elif key in _CLEAR_KEYS:
            self._clear()
        elif key in _CANCEL_KEYS:
            self._cancel()
        elif key in _ENTER_KEYS:
            self._submit()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _press(self, digit: str) -> None:
        if len(self._digits) < self.max_length:
            self._digits += digit
        self.typed.emit()
        self._update()

    def _clear(self) -> None:
        """訂正: the digits are hidden, so the patient cannot tell which one was wrong; start the entry over."""
        self._digits = ""
        self.typed.emit()
        self._update()

    def _cancel(self) -> None:
        self._digits = ""
        self._update()
        self.cancelled.emit()

    def _submit(self) -> None:
        if not self.min_length <= len(self._digits) <= self.max_length:
            return
        digits, self._digits = self._digits, ""
        self._update()
        self.shuffle()  # the next entry (a retry) starts from another layout
        self.submitted.emit(digits)

    def _update(self) -> None:
        # Filled dots for what was typed, open dots up to the shortest length allowed; never the digits.
        shown = "●" * len(self._digits) + "○" * max(0, self.min_length - len(self._digits))
        self.display.setText(shown)
        self.ok_button.setEnabled(self.min_length <= len(self._digits) <= self.max_length)
