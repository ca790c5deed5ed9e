"""A thin bar that empties over the screen's timeout. It only animates the deadline it is given; the
flow's own timer decides when time is up."""

from __future__ import annotations

from PySide6.QtCore import QVariantAnimation
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget


class Countdown(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedHeight(8)
        self._fraction = 1.0
        self._token: int | None = None
        self._anim = QVariantAnimation(self)
        self._anim.valueChanged.connect(self._set)

    def start(self, seconds: float | None, token: int | None) -> None:
        if seconds is None or token is None:
            self._anim.stop()
            self._token = None
            self.setVisible(False)
            return
        self.setVisible(True)
        if token == self._token:
            return
        self._token = token
        self._anim.stop()
        self._anim.setStartValue(1.0)
        self._anim.setEndValue(0.0)
        self._anim.setDuration(int(seconds * 1000))
        self._set(1.0)
        self._anim.start()

    @property
    def animation(self) -> QVariantAnimation:
        return self._anim

    @property
    def fraction(self) -> float:
        return self._fraction

    def _set(self, value: object) -> None:
        self._fraction = float(value)  # type: ignore[arg-type]
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#d9e2ec"))
        width = int(self.width() * self._fraction)
        p.fillRect(0, 0, width, self.height(), QColor("#0b5cad") if self._fraction > 0.2 else QColor("#c62828"))
        p.end()
