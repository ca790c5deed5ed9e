"""Idle/attract screen: how to place the card, a notice from the last session, and the hidden staff corner."""

from __future__ import annotations

import time

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QPushButton, QWidget

from kiosk.flow_events import StaffCornerTapped
from kiosk.screens import ScreenModel
from ui.i18n import Catalogue
from ui.screens.base import Screen
from ui.widgets.basic import label


class CardIllustration(QWidget):
    """A card lying face up on the reader, drawn rather than shipped as an image so it scales."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedHeight(380)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        reader = QRectF(w * 0.25, h * 0.62, w * 0.5, h * 0.36)
        p.setBrush(QColor("#334e68"))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawRoundedRect(reader, 24, 24)
        card = QRectF(w * 0.32, h * 0.02, w * 0.36, w * 0.36 / 1.586)
        p.setBrush(QColor("#e3f2fd"))
        p.setPen(QPen(QColor("#0b5cad"), 4))
        p.drawRoundedRect(card, 14, 14)
        p.setBrush(QColor("#90a4ae"))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawRect(QRectF(card.right() - card.width() * 0.3, card.top() + card.height() * 0.2,
                          card.width() * 0.22, card.height() * 0.6))
        font = QFont(self.font())
        font.setPixelSize(max(14, int(card.height() * 0.14)))
        p.setFont(font)
        p.setPen(QColor("#0b5cad"))
        p.drawText(card.adjusted(16, 8, -card.width() * 0.3, 0), Qt.AlignmentFlag.AlignLeft, "個人番号カード")
        p.setPen(QPen(QColor("#0b5cad"), 8))
        x = w * 0.5
        p.drawLine(int(x), int(card.bottom() + 10), int(x), int(reader.top() + 30))
        p.drawLine(int(x - 24), int(reader.top() + 6), int(x), int(reader.top() + 30))
        p.drawLine(int(x + 24), int(reader.top() + 6), int(x), int(reader.top() + 30))
        p.end()


class AttractScreen(Screen):
    def __init__(self, catalogue: Catalogue, parent: QWidget | None = None) -> None:
        super().__init__(catalogue, parent)
        self.banner = label("banner")
        self.notice = label("notice")
        self.content.addStretch(1)
        self.content.addWidget(CardIllustration())
        self.content.addStretch(1)
        self.content.addWidget(self.notice)
        self.content.addWidget(self.banner)
        # The hidden staff corner: an invisible, flat button over the top-left corner. It only reports taps;
        # the flow decides when enough came quickly enough.
        self.staff_corner = QPushButton(self)
        self.staff_corner.setFlat(True)
        self.staff_corner.setStyleSheet("background: transparent; border: none; min-height: 0;")
        self.staff_corner.setGeometry(0, 0, 120, 120)
        self.staff_corner.clicked.connect(self.corner_tapped)

    def render_content(self, model: ScreenModel) -> None:
        for widget, text in ((self.notice, model.notice), (self.banner, model.banner)):
            widget.setVisible(text is not None)
            if text is not None:
                widget.setText(f"{self.t(text)}\n{self.t2(text)}")
        self.staff_corner.raise_()

    def corner_tapped(self, _checked: bool = False, now: float | None = None) -> None:
        self.sent.emit(StaffCornerTapped(time.monotonic() if now is None else now))
