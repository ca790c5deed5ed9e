"""Touch keypad with shuffled digits and a masked display. The digits never leave this widget except as
the one `submitted` signal; they are wiped on submit, on clear and whenever the keypad is reset."""

from __future__ import annotations

import secrets

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QVBoxLayout, QWidget

from ui.widgets.basic import button, label


class Keypad(QWidget):
    submitted = Signal(str)
    typed = Signal()  # any key: counts as activity

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._digits = ""
        self._nonce: int | None = None
        self.length = 0  # digits expected: the screen model sets it on every reset
        self.display = label("pin")
        self._grid = QGridLayout()
        self._grid.setSpacing(8)
        self.digit_buttons: list[QPushButton] = []
        for _ in range(10):
            key = button(name="key")
            key.clicked.connect(lambda _=False, b=key: self._press(b.text()))
            self.digit_buttons.append(key)
        self.clear_button = button("⌫", "key")
        self.clear_button.clicked.connect(self._backspace)
        self.ok_button = button("OK", "key", "primary")
        self.ok_button.clicked.connect(self._submit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.display)
        layout.addLayout(self._grid)
        self.shuffle()

    def reset(self, nonce: int, length: int) -> None:
        """A new nonce from the screen model means a fresh entry: wipe and reshuffle."""
        if nonce != self._nonce or length != self.length:
            self._nonce, self.length = nonce, length
            self.wipe()
            self.shuffle()

    def shuffle(self) -> None:
        order = list("0123456789")
        secrets.SystemRandom().shuffle(order)  # so that a bystander cannot read the PIN from hand positions
        for key, digit in zip(self.digit_buttons, order, strict=True):
            key.setText(digit)
        for i, key in enumerate(self.digit_buttons[:9]):
            self._grid.addWidget(key, i // 3, i % 3)
        self._grid.addWidget(self.clear_button, 3, 0)
        self._grid.addWidget(self.digit_buttons[9], 3, 1)
        self._grid.addWidget(self.ok_button, 3, 2)

    def digit_order(self) -> str:
        return "".join(b.text() for b in self.digit_buttons)

    def wipe(self) -> None:
        self._digits = ""
        self._update()

    def _press(self, digit: str) -> None:
        if len(self._digits) < self.length:
            self._digits += digit
        self.typed.emit()
        self._update()

    def _backspace(self) -> None:
        self._digits = self._digits[:-1]
        self.typed.emit()
        self._update()

    def _submit(self) -> None:
        if len(self._digits) != self.length:
            return
        digits, self._digits = self._digits, ""
        self._update()
        self.submitted.emit(digits)

    def _update(self) -> None:
        shown = "●" * len(self._digits) + "○" * (self.length - len(self._digits))
        self.display.setText(shown)
        self.ok_button.setEnabled(len(self._digits) == self.length)
